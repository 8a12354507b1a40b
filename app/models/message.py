from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User
from app.rendering import render_comment_html


class Message(db.Model):
    """A private message from ``sender`` to ``recipient``: Markdown like a comment,
    with the same limits. Deleting it (only its sender may) removes it for both."""

    BODY_MAX_LENGTH = 2_000

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_sender_id_recipient_id_timestamp",
              "sender_id", "recipient_id", "timestamp"),
        Index("ix_messages_recipient_id_sender_id_timestamp",
              "recipient_id", "sender_id", "timestamp"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])

    @validates("body")
    def _render_body(self, key: str, body: str) -> str:
        self.body_html = render_comment_html(body)
        return body

    def __repr__(self) -> str:
        return f"<Message {self.id}>"
