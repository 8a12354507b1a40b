from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.models.base import JsonRepresentable, UTCDateTime, utcnow
from app.models.post import Post
from app.models.user import User
from app.rendering import render_comment_html


class Comment(JsonRepresentable, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_post_id_timestamp", "post_id", "timestamp"),
        Index("ix_comments_timestamp_id", "timestamp", "id"),
        Index("ix_comments_author_id", "author_id"),
        # The dashboard counts each day's comments and commenters from it alone.
        Index("ix_comments_timestamp_author_id", "timestamp", "author_id"),
    )

    BODY_MAX_LENGTH = 2_000

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))

    author: Mapped[User] = relationship(back_populates="comments")
    post: Mapped[Post] = relationship(back_populates="comments")

    @validates("body")
    def _render_body(self, key: str, body: str) -> str:
        self.body_html = render_comment_html(body)
        return body

    def __repr__(self) -> str:
        return f"<Comment {self.id}>"
