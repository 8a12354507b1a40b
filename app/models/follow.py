from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Select, bindparam, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.post import Post
from app.models.tag import posts_under_tags_followed_by

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


@cache
def followed_posts_of() -> Select:
    """``User.followed_posts`` for whoever the ``followed_posts_of`` parameter names:
    posts by the people they follow, their own, and those under the tags they
    follow, newest first. Built once; each reader gets a copy with ``params``."""
    reader = bindparam("followed_posts_of")
    return Post.newest_first().where(or_(
        Post.author_id.in_(select(Follow.followed_id).where(Follow.follower_id == reader)),
        Post.author_id == reader, Post.id.in_(posts_under_tags_followed_by(reader))))
