"""What a viewer is shown of other people: the one filter for timelines,
profiles, comments and search.

Everyone: nothing written by a suspended account. A signed-in viewer: nothing
by people they blocked; in timelines, nothing by people they muted either. On a
post's page a hidden person's comment stays in place, collapsed
(``hidden_authors``), so the conversation still reads in order.

Who is hidden from a viewer is one small query, remembered until the content
changes (and at most a minute, as suspensions end by themselves). Lists get a
clause only when someone is hidden, so the list of all posts keeps its cached
count (app/pagination.py) on a site where nobody is suspended.
"""

from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import Select, bindparam, literal, select, union, union_all
from sqlalchemy.orm import InstrumentedAttribute

from app.caching import cached
from app.database import plain_rows
from app.models import Post, utcnow
from app.social.blocking import blocked_ids, muted_ids
from app.social.suspensions import suspended_ids

REMEMBERED_SECONDS = 60


@dataclass(frozen=True)
class Hidden:
    suspended: frozenset[int]
    blocked: frozenset[int]
    muted: frozenset[int]


def _viewer_id(viewer: Any) -> int | None:
    return viewer.id if viewer is not None and viewer.is_authenticated else None


# Built once, run as plain rows (app/database.py): asked on every uncached page.
_NOW, _VIEWER = bindparam("now"), bindparam("viewer_id")
_SUSPENDED = select(literal("s"), suspended_ids(_NOW).subquery().c.id)
_HIDDEN_FROM_VISITORS = _SUSPENDED
_HIDDEN_FROM_VIEWER = union_all(
    _SUSPENDED, select(literal("b"), blocked_ids(_VIEWER).subquery().c.blocked_id),
    select(literal("m"), muted_ids(_VIEWER).subquery().c.muted_id))


def _lookup(viewer_id: int | None) -> list[tuple[str, int]]:
    if viewer_id is None:
        rows = plain_rows(_HIDDEN_FROM_VISITORS, {"now": utcnow()})
    else:
        rows = plain_rows(_HIDDEN_FROM_VIEWER, {"now": utcnow(), "viewer_id": viewer_id})
    return [(kind, person) for kind, person in rows]


def hidden_from(viewer: Any) -> Hidden:
    """Whom ``viewer`` is not shown, once per request."""
    if "flasky_hidden" not in g:
        viewer_id = _viewer_id(viewer)
        # Its rows are ids, not loaded models: a block or mute moves its people's
        # viewer tags and a suspension everything (app/caching/changes.py).
        viewer_tags = (f"viewer:{viewer_id}",) if viewer_id is not None else ()
        rows = cached(f"hidden-from:{viewer_id or 0}", lambda: _lookup(viewer_id),
                      lists=viewer_tags, timeout=REMEMBERED_SECONDS)
        g.flasky_hidden = Hidden(*(frozenset(person for kind, person in rows if kind == tag)
                                   for tag in ("s", "b", "m")))
    return g.flasky_hidden


def without_hidden(statement: Select, author: InstrumentedAttribute, viewer: Any,
                   muted_too: bool = True) -> Select:
    """``statement`` without rows whose ``author`` column names someone
    suspended, or blocked (and with ``muted_too``, muted) by ``viewer``."""
    hidden = hidden_from(viewer)
    people = hidden.suspended | hidden.blocked | (hidden.muted if muted_too else frozenset())
    return statement.where(author.not_in(sorted(people))) if people else statement


def without_hidden_in_sql(statement: Select, author: InstrumentedAttribute, viewer: Any,
                          muted_too: bool = True) -> Select:
    """``without_hidden`` as subqueries of the same statement, for lists whose
    count is live anyway (search): no query of its own."""
    statement = statement.where(author.not_in(suspended_ids()))
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return statement
    hidden = union(blocked_ids(viewer_id), muted_ids(viewer_id)) if muted_too \
        else blocked_ids(viewer_id)
    return statement.where(author.not_in(hidden))


def timeline(statement: Select, viewer: Any) -> Select:
    """A list of posts as timelines show it."""
    return without_hidden(statement, Post.author_id, viewer)


def hidden_authors(viewer: Any) -> frozenset[int]:
    """Whose comments a post page collapses for ``viewer``."""
    hidden = hidden_from(viewer)
    return hidden.suspended | hidden.blocked
