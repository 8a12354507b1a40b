"""Lists of people: who may be listed, the directory's two orders (``/people``),
and whom the viewer follows among a page of people, so every list's Follow
buttons cost one query however long the page is."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from app.extensions import db
from app.models import Follow, Post, RemoteActor, User
from app.social.visibility import without_hidden

NEWEST, ACTIVE = "newest", "active"
ORDERS = (NEWEST, ACTIVE)
# "Most active" ranks people by their share of the site's latest posts: a bounded
# read of the posts' timestamp index, however many posts the site holds.
RECENT_POSTS = 1000


def listable() -> ColumnElement[bool]:
    """People a list of people to follow may offer: confirmed, local (accounts on other
    servers are followed from their own), and not closing their account."""
    return (User.confirmed.is_(True) & User.deleting.is_(False)
            & User.id.not_in(select(RemoteActor.user_id)))


def recent_authors():
    """``(id, posts)``: how many of the site's latest posts each author wrote."""
    latest = (select(Post.author_id).where(Post.published())
              .order_by(Post.timestamp.desc()).limit(RECENT_POSTS).subquery())
    return (select(latest.c.author_id.label("id"), func.count().label("posts"))
            .group_by(latest.c.author_id).subquery())


def directory(order: str, viewer: Any) -> Select:
    """Everyone listable that ``viewer`` may see (nobody suspended, nobody they
    blocked), newest member first or most active first."""
    if order == ACTIVE:
        recent = recent_authors()
        people = (select(User).join(recent, recent.c.id == User.id)
                  .order_by(recent.c.posts.desc(), User.id.desc()))
    else:
        people = select(User).order_by(User.member_since.desc(), User.id.desc())
    return without_hidden(people.where(listable()), User.id, viewer, muted_too=False)


def followed_among(viewer: Any, people: Iterable[User]) -> frozenset[int]:
    """The ids of ``people`` that ``viewer`` follows, in one query (none for
    visitors or an empty page)."""
    ids = {person.id for person in people}
    if not ids or not getattr(viewer, "is_authenticated", False):
        return frozenset()
    return frozenset(db.session.scalars(
        select(Follow.followed_id).where(Follow.follower_id == viewer.id,
                                         Follow.followed_id.in_(ids))))
