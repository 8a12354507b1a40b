from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, Index, Select, String, Text, false, select
from sqlalchemy.orm import (
    Mapped,
    WriteOnlyMapped,
    joinedload,
    mapped_column,
    relationship,
    validates,
)

from app.excerpts import excerpt, without_marker
from app.extensions import db
from app.models.base import JsonRepresentable, UTCDateTime, utcnow
from app.rendering import render_post_html
from app.slugs import slugify

if TYPE_CHECKING:
    from app.models.comment import Comment
    from app.models.image import PostImage
    from app.models.tag import Tag
    from app.models.user import User


class Post(JsonRepresentable, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_timestamp_id", "timestamp", "id"),
        # An author's posts newest first; with ``draft``, the Followed tab finds its
        # published posts in the index alone (migration 0015).
        Index("ix_posts_author_id_timestamp_draft", "author_id", "timestamp", "draft"),
        # The dashboard counts each day's published posts and writers from it alone.
        Index("ix_posts_timestamp_author_id_draft", "timestamp", "author_id", "draft"),
    )

    BODY_MAX_LENGTH = 10_000
    TITLE_MAX_LENGTH = 200

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    # What timelines show before "Read more" (app/excerpts.py); None: the whole body.
    summary_html: Mapped[str | None] = mapped_column(Text)
    # Publishing time (a draft's is when it was started); ``updated``: the last edit.
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated: Mapped[datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)
    # A draft is seen by its author only (app/access.py, Post.published), on every
    # page, in the API, search, counts and feeds; publishing is for good.
    draft: Mapped[bool] = mapped_column(default=False, server_default=false())
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    author: Mapped["User"] = relationship(back_populates="posts")
    comments: WriteOnlyMapped["Comment"] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True
    )
    # Loaded to be deleted with it, so their files go too (app/images/files.py).
    images: Mapped[list["PostImage"]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostImage.position")
    # The #tags of its text, kept in step when it is saved (app/models/tag.py).
    tags: Mapped[list["Tag"]] = relationship(secondary="post_tags", passive_deletes=True,
                                             order_by="Tag.key")

    @validates("body")
    def _render_body(self, key: str, body: str) -> str:
        self.body_html = render_post_html(without_marker(body or ""))
        summary = excerpt(body or "")
        self.summary_html = render_post_html(summary) if summary is not None else None
        return body

    def publish(self) -> None:
        """Make a draft public, dated now: readers see it as new."""
        if self.draft:
            self.draft = False
            self.timestamp = utcnow()

    @staticmethod
    def published() -> ColumnElement[bool]:
        """The clause every public list, count and feed filters posts by."""
        return Post.draft.is_(False)

    @property
    def slug(self) -> str:
        """The permalink's readable part ("" for an untitled post)."""
        return slugify(self.title)

    @property
    def last_changed(self) -> datetime:
        return self.updated or self.timestamp

    @staticmethod
    def newest_first() -> Select:
        """Every published post, newest first, with its author loaded in the same
        query. The lists that show posts load their images with
        ``app.images.posts.load_images`` (pagination and feeds do)."""
        return _newest_first()

    def __repr__(self) -> str:
        return f"<Post {self.id}>"


@cache
def _newest_first() -> Select:
    """Built once (on first use, when every model is mapped): each list of posts
    starts from it, and a Select is never changed, only copied by what it adds.
    The authors come without their roles (``User.role`` is joined by default): a
    post's card shows none, and a role asked for comes from the session's own rows,
    as every account has one of a few."""
    user = Post.author.property.mapper.class_  # User, whose module imports this one
    return (select(Post).options(joinedload(Post.author).lazyload(user.role))
            .where(Post.published())
            .order_by(Post.timestamp.desc(), Post.id.desc()))
