from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User
from app.rendering import render_post_html

if TYPE_CHECKING:
    from app.models.comment import Comment


class Post(db.Model):
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

    author: Mapped[User] = relationship(back_populates="posts")
    comments: WriteOnlyMapped["Comment"] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("body")
    def _render_body(self, key: str, body: str) -> str:
        self.body_html = render_post_html(body)
        return body

    def to_json(self) -> dict[str, Any]:
        from app.api.serializers import post_to_json

        return post_to_json(self)

    @staticmethod
    def from_json(json_post: Any) -> "Post":
        """A new, unsaved post from an API body; raises ValidationError."""
        from app.api.forms import post_body_from_json

        return Post(body=post_body_from_json(json_post))

    def __repr__(self) -> str:
        return f"<Post {self.id}>"
