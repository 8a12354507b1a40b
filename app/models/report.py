from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.comment import Comment
from app.models.post import Post
from app.models.user import User

if TYPE_CHECKING:
    from app.models.message import Message


class Report(db.Model):
    """Someone's report of a post, a comment, a message or a person, for the
    moderators' queue (app/social/reporting.py). One per reporter and thing:
    reporting it again changes nothing. ``target`` names the thing ("post:12"),
    so the uniqueness holds whatever kind it is, even after it is deleted."""

    REASONS = {
        "spam": _l("Spam"),
        "harassment": _l("Harassment or bullying"),
        "hate": _l("Hateful content"),
        "illegal": _l("Illegal content"),
        "other": _l("Something else"),
    }
    OPEN, DISMISSED, ACTED = "open", "dismissed", "acted"
    DETAILS_MAX_LENGTH = 1_000  # the page's form and the API alike

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target"),
        Index("ix_reports_status_timestamp", "status", "timestamp"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    # The person reported, or the author of what was reported.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    post: Mapped[Post | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
    message: Mapped["Message | None"] = relationship()

    @property
    def kind(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def reason_text(self) -> str:
        return self.REASONS.get(self.reason, self.reason)

    def __repr__(self) -> str:
        return f"<Report {self.id} of {self.target}>"
