from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class Follow(db.Model):
    """``follower`` follows ``followed``. Nobody follows themselves."""

    __tablename__ = "follows"
    __table_args__ = (
        Index("ix_follows_followed_id_timestamp", "followed_id", "timestamp"),
        Index("ix_follows_follower_id_timestamp", "follower_id", "timestamp"),
    )

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followed_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    follower: Mapped["User"] = relationship(foreign_keys=[follower_id], back_populates="followed")
    followed: Mapped["User"] = relationship(foreign_keys=[followed_id], back_populates="followers")
