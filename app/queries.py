"""Queries shared by the pages and the API, written once.

Each returns a ``Select`` so the caller chooses how to paginate it, and
eager-loads what the templates and serializers read, so a page of results
costs a fixed number of queries however long the page is.
"""

from collections.abc import Iterable
from datetime import timedelta
from functools import cache

from sqlalchemy import ColumnElement, Integer, ScalarSelect, Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from app.database import plain_rows
from app.extensions import db
from app.listed_in import ListedIn
from app.models import Block, Comment, Follow, Mute, Post, Tag, TagFollow, User, post_tags, utcnow

TRENDING_DAYS = 7
TRENDING_TAGS = 10


def all_posts() -> Select:
    return Post.newest_first()


def user_posts(user: User) -> Select:
    return all_posts().where(Post.author_id == user.id)


def drafts_of(user: User) -> Select:
    """``user``'s drafts, the one last changed first."""
    last_changed = func.coalesce(Post.updated, Post.timestamp)
    return (select(Post).options(joinedload(Post.author))
            .where(Post.author_id == user.id, Post.draft.is_(True))
            .order_by(last_changed.desc(), Post.id.desc()))


def followed_posts(user: User) -> Select:
    """Posts by the people ``user`` follows, and ``user``'s own."""
    return user.followed_posts


def tag_posts(tag: Tag) -> Select:
    """Published posts filed under ``tag``, newest first."""
    return all_posts().where(Post.id.in_(
        select(post_tags.c.post_id).where(post_tags.c.tag_id == tag.id)))


_USES = func.count(post_tags.c.post_id)
# Built once, run as plain rows (app/database.py) on every uncached home page.
_TRENDING = (select(Tag.name, Tag.key, _USES).join(post_tags, post_tags.c.tag_id == Tag.id)
             .join(Post, Post.id == post_tags.c.post_id)
             .where(Post.published(), Post.timestamp >= bindparam("since"))
             .group_by(Tag.id).order_by(_USES.desc(), Tag.key).limit(TRENDING_TAGS))


def trending_tags() -> list[tuple[str, str, int]]:
    """``(name, key, posts)`` for the tags of the most published posts in the last
    TRENDING_DAYS days, the most used first."""
    since = utcnow() - timedelta(days=TRENDING_DAYS)
    return [tuple(row) for row in plain_rows(_TRENDING, {"since": since})]


def tag_names(post_ids: Iterable[int]) -> dict[int, list[str]]:
    """The tag names of each post, in one query."""
    ids = list(post_ids)
    names: dict[int, list[str]] = {post_id: [] for post_id in ids}
    if ids:
        rows = db.session.execute(
            select(post_tags.c.post_id, Tag.name).join(Tag, Tag.id == post_tags.c.tag_id)
            .where(post_tags.c.post_id.in_(ids)).order_by(Tag.key))
        for post_id, name in rows:
            names[post_id].append(name)
    return names


def follows_tag(user: User, tag: Tag) -> bool:
    return (user.is_authenticated
            and db.session.get(TagFollow, (user.id, tag.id)) is not None)


def post_comments(post: Post) -> Select:
    """A post's comments, oldest first (a conversation reads top to bottom), their
    authors without their roles (a comment's card shows none)."""
    return (select(Comment).options(joinedload(Comment.author).lazyload(User.role))
            .where(Comment.post_id == post.id)
            .order_by(Comment.timestamp.asc(), Comment.id.asc()))


def recent_comments() -> Select:
    """All comments, newest first, for moderation and the API."""
    return (select(Comment).options(joinedload(Comment.author), joinedload(Comment.post))
            .order_by(Comment.timestamp.desc(), Comment.id.desc()))


def all_users() -> Select:
    """Everyone, newest member first."""
    return select(User).order_by(User.member_since.desc(), User.id.desc())


def followers_of(user: User) -> Select:
    """Follow rows whose ``follower`` follows ``user``, newest first."""
    return (select(Follow).options(joinedload(Follow.follower))
            .where(Follow.followed_id == user.id)
            .order_by(Follow.timestamp.desc()))


def followed_by(user: User) -> Select:
    """Follow rows whose ``followed`` is followed by ``user``, newest first."""
    return (select(Follow).options(joinedload(Follow.followed))
            .where(Follow.follower_id == user.id)
            .order_by(Follow.timestamp.desc()))


_COMMENT_COUNTS = ListedIn(Comment.post_id, lambda listed: select(Comment.post_id, func.count())
                           .where(listed).group_by(Comment.post_id))


def comment_counts(post_ids: Iterable[int]) -> dict[int, int]:
    """Comment count per post, in one grouped query (plain rows, built once)."""
    ids = list(post_ids)
    if not ids:
        return {}
    counts = dict.fromkeys(ids, 0)
    counts.update({post_id: count for post_id, count in _COMMENT_COUNTS.rows(ids)})
    return counts


def post_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Post count per author, in one grouped query."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Post.author_id, func.count())
        .where(Post.author_id.in_(ids), Post.published())
        .group_by(Post.author_id)
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({author_id: count for author_id, count in rows})
    return counts


@cache
def _user_counts() -> Select:
    """``user_counts``' one query for ``user_id`` seen by ``viewer_id`` (None for a
    visitor: the viewer's counts are 0), built once."""
    user_id = bindparam("user_id", type_=Integer)
    viewer_id = bindparam("viewer_id", type_=Integer)

    def count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).where(*where).scalar_subquery()

    return select(
        count(Post.author_id == user_id, Post.published()),
        count(Follow.followed_id == user_id), count(Follow.follower_id == user_id),
        count(Follow.follower_id == viewer_id, Follow.followed_id == user_id),
        count(Block.blocker_id == viewer_id, Block.blocked_id == user_id),
        count(Mute.muter_id == viewer_id, Mute.muted_id == user_id))


def user_counts(user: User, viewer: User | None = None) -> dict[str, int]:
    """Posts, followers and following of ``user``, in one query.

    With a ``viewer``, ``viewer_follows`` (0 or 1) says whether the viewer
    follows ``user``, so a profile page needs no extra query for its button;
    ``viewer_blocks`` and ``viewer_mutes`` likewise for the block and mute buttons.
    """
    row = plain_rows(_user_counts(), {
        "user_id": user.id, "viewer_id": viewer.id if viewer is not None else None}).one()
    return {"posts": row[0], "followers": row[1], "following": row[2], "viewer_follows": row[3],
            "viewer_blocks": row[4], "viewer_mutes": row[5]}
