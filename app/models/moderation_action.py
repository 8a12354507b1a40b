from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.report import Report
from app.models.user import User


class ModerationAction(db.Model):
    """The audit log of the moderators' actions on reports: who did what to
    whom, why, and until when for a suspension."""

    DISMISS = "dismiss"
    DISABLE_COMMENT = "disable-comment"
    DELETE_POST = "delete-post"
    DELETE_MESSAGE = "delete-message"
    WARN = "warn"
    SUSPEND = "suspend"
    LABELS = {DISMISS: _l("Dismissed the report"), DISABLE_COMMENT: _l("Disabled the comment"),
              DELETE_POST: _l("Deleted the post"), DELETE_MESSAGE: _l("Deleted the message"),
              WARN: _l("Warned"), SUSPEND: _l("Suspended")}

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    report: Mapped[Report | None] = relationship()

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)
