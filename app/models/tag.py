"""Tags: the ``#names`` a post's text carries (app/hashtags.py), and who follows
which. A post's tags are kept in step with its text when it is flushed, by
whatever path it was written (a page, the API, the shell)."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    Select,
    String,
    Table,
    event,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.hashtags import TAG_MAX_LENGTH, tag_key
from app.models.base import UTCDateTime, utcnow
from app.models.post import Post
from app.rendering import post_hashtags

post_tags = Table(
    "post_tags", db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_tags_tag_id_post_id", "tag_id", "post_id"),
)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    # As first written; ``key`` is the same whatever the case (hashtags.tag_key).
    name: Mapped[str] = mapped_column(String(TAG_MAX_LENGTH))
    key: Mapped[str] = mapped_column(String(4 * TAG_MAX_LENGTH), unique=True)

    @staticmethod
    def by_name(name: str) -> "Tag | None":
        return db.session.scalar(select(Tag).where(Tag.key == tag_key(name)))

    def __repr__(self) -> str:
        return f"<Tag {self.name!r}>"


class TagFollow(db.Model):
    """``user`` sees the posts tagged ``tag`` in their Followed timeline."""

    __tablename__ = "tag_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"),
                                        primary_key=True, index=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def posts_under_tags_followed_by(user_id: int | ColumnElement[int]) -> Select:
    """Ids of the posts filed under a tag the user follows."""
    return (select(post_tags.c.post_id)
            .join(TagFollow, TagFollow.tag_id == post_tags.c.tag_id)
            .where(TagFollow.user_id == user_id))


def _tags_named(session: Session, names: list[str]) -> list[Tag]:
    """The tags of ``names``, created when new. Two posts naming a new tag at
    once both get it: the insert yields to the one that came first."""
    spellings: dict[str, str] = {}
    for name in names:
        spellings.setdefault(tag_key(name), name)
    if not spellings:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(Tag).values([{"key": key, "name": name}
                                        for key, name in spellings.items()])
                    .on_conflict_do_nothing(index_elements=["key"]))
    tags = {tag.key: tag for tag in session.scalars(
        select(Tag).where(Tag.key.in_(spellings)))}
    return [tags[key] for key in spellings]


def _file_posts_under_their_tags(session: Session, flush_context: Any, instances: Any) -> None:
    for post in list(session.new) + list(session.dirty):
        if isinstance(post, Post) and (post in session.new
                                       or db.inspect(post).attrs.body.history.has_changes()):
            post.tags = _tags_named(session, post_hashtags(post.body))


event.listen(Session, "before_flush", _file_posts_under_their_tags)
