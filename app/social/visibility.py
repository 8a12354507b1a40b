"""What a viewer is shown of other people: the one filter for timelines,
comments, search and notifications.

Everyone: nothing written by a suspended account. A signed-in viewer: nothing
by people they blocked; in timelines and notifications, nothing by people they
muted either. On a post's page a blocked person's comment stays in place,
collapsed (``hidden_authors``), so the conversation still reads in order.
"""

from typing import Any

from flask import g
from sqlalchemy import Select, union
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.models import Post
from app.social.blocking import blocked_ids, muted_ids
from app.social.suspensions import suspended_ids


def _viewer_id(viewer: Any) -> int | None:
    return viewer.id if viewer is not None and viewer.is_authenticated else None


def without_hidden(statement: Select, author: InstrumentedAttribute, viewer: Any,
                   muted_too: bool = True) -> Select:
    """``statement`` without rows whose ``author`` column names someone
    suspended, or blocked (and with ``muted_too``, muted) by ``viewer``."""
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
    """Whose comments a post page collapses for ``viewer``: people they blocked,
    and suspended accounts. One query per request, asked only by pages that show
    comments."""
    if "hidden_authors" not in g:
        viewer_id = _viewer_id(viewer)
        query = union(suspended_ids(), blocked_ids(viewer_id)) if viewer_id else suspended_ids()
        g.hidden_authors = frozenset(db.session.scalars(query))
    return g.hidden_authors
