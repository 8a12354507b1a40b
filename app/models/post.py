from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Select, Text, select
from sqlalchemy.orm import (
    Mapped,
    WriteOnlyMapped,
    joinedload,
    mapped_column,
    relationship,
    validates,
)

from app.extensions import db
from app.models.base import JsonRepresentable, UTCDateTime, utcnow
from app.rendering import render_post_html

if TYPE_CHECKING:
    from app.models.comment import Comment
    from app.models.user import User


class Post(JsonRepresentable, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_timestamp_id", "timestamp", "id"),
        Index("ix_posts_author_id_timestamp", "author_id", "timestamp"),
    )

    BODY_MAX_LENGTH = 10_000

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    author: Mapped["User"] = relationship(back_populates="posts")
    comments: WriteOnlyMapped["Comment"] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("body")
    def _render_body(self, key: str, body: str) -> str:
        self.body_html = render_post_html(body)
        return body

    @staticmethod
    def newest_first() -> Select:
        """Every post, newest first, with its author loaded in the same query."""
        return (select(Post).options(joinedload(Post.author))
                .order_by(Post.timestamp.desc(), Post.id.desc()))

    def __repr__(self) -> str:
        return f"<Post {self.id}>"
