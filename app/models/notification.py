from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.comment import Comment
from app.models.post import Post
from app.models.user import User

if TYPE_CHECKING:
    from app.models.message import Message
    from app.models.report import Report


class Notification(db.Model):
    """Something that happened to ``user``: ``actor`` followed them, commented on
    their post, mentioned them, replied where they commented, messaged them, or
    (for moderators) reported something.

    What it points at may be deleted later: the link becomes NULL and the page
    says the thing is gone (``gone``), instead of losing the notification.
    """

    FOLLOW = "follow"
    COMMENT = "comment"
    MENTION = "mention"
    REPLY = "reply"
    MESSAGE = "message"
    REPORT = "report"
    KINDS = (FOLLOW, COMMENT, MENTION, REPLY, MESSAGE, REPORT)
    # What each kind needs to still exist to be shown as more than "it is gone".
    NEEDS = {COMMENT: "comment_id", MENTION: "post_id", REPLY: "comment_id",
             MESSAGE: "message_id", REPORT: "report_id", FOLLOW: "actor_id"}

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_timestamp", "user_id", "timestamp"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    post: Mapped[Post | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
    message: Mapped["Message | None"] = relationship()
    report: Mapped["Report | None"] = relationship()

    @property
    def gone(self) -> bool:
        """True when what this notification is about has been deleted since."""
        return getattr(self, self.NEEDS[self.kind]) is None

    def __repr__(self) -> str:
        return f"<Notification {self.kind} for {self.user_id}>"
