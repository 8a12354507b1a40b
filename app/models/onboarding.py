from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class Onboarding(db.Model):
    """The first-minutes checklist of someone who confirmed their address
    (app/onboarding.py): shown until its steps are done or ``dismissed_at``.
    People who joined before it existed have no row, and no checklist."""

    __tablename__ = "onboarding"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
