from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class Mute(db.Model):
    """``muter`` no longer sees ``muted`` in timelines or notifications; ``muted``
    is not told and notices nothing."""

    __tablename__ = "mutes"

    muter_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    muted_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
