"""Search: posts, comments and people, ranked and highlighted, inside the database
Flasky already uses (no search server).

    from app.search import counts, search

    counts("cats -dogs")                  # {"posts": 12, "comments": 3, "people": 0}
    page = search("cats -dogs", "posts")  # a page of Hits, newest first among equals
    page.items[0].item, page.items[0].snippet, page.total

One interface, two backends: ``query`` parses what was typed into a small
tree, which ``sqlite`` (FTS5) or ``postgres`` (tsvector) compiles for the
database in use; ``visibility`` decides who may find what; ``snippets`` marks
what matched, the same way on both; ``schema`` keeps the index in step with
the tables. docs/search.md describes the language and the backends.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.access import acting_user
from app.extensions import db
from app.models import AnonymousUser, Comment, Post, User
from app.pagination import FetchedPagination
from app.search import postgres, sqlite
from app.search.query import Query, parse
from app.search.schema import INDEXED
from app.search.snippets import highlight
from app.search.visibility import visible

__all__ = ["KINDS", "SORTS", "Hit", "counts", "parse", "search"]

KINDS = tuple(INDEXED)  # posts, comments, people
SORTS = ("relevance", "newest")
_BACKENDS = {"sqlite": sqlite, "postgresql": postgres}
_NEWEST = {"posts": (Post.timestamp.desc(), Post.id.desc()),
           "comments": (Comment.timestamp.desc(), Comment.id.desc()),
           "people": (User.member_since.desc(), User.id.desc())}
_LOADED = {"posts": (joinedload(Post.author),), "comments": (joinedload(Comment.author),),
           "people": ()}


@dataclass(frozen=True)
class Hit:
    """One result: the row, and its text with the matches marked (``title``: a
    person's username, a post's title; ``snippet``: a post's or comment's text, a
    person's name)."""

    item: Any
    snippet: Markup
    title: Markup | None = None


def _viewer(viewer: Any) -> Any:
    """Whom the search is for: ``viewer``, else whoever makes the request (nobody,
    outside a request, as in ``flask shell``)."""
    return viewer or acting_user() or AnonymousUser()


def _query(text_or_query: str | Query | None, kind: str) -> Query:
    query = text_or_query if isinstance(text_or_query, Query) else parse(text_or_query)
    return query.with_prefixes() if kind == "people" else query


def _by_authors(kind: str, authors: tuple[str, ...]) -> ColumnElement:
    if kind == "people":
        return func.lower(User.username).in_(authors)
    model = INDEXED[kind].model
    return model.author_id.in_(select(User.id).where(func.lower(User.username).in_(authors)))


def _matching(kind: str, query: Query, viewer: Any) -> tuple[Select, ColumnElement | None]:
    """Every ``kind`` row that ``query`` finds and ``viewer`` may see, unordered, and
    the rank (lower is better; None when no word is searched for)."""
    backend = _BACKENDS[db.session.get_bind().dialect.name]
    statement, rank = backend.restrict(select(INDEXED[kind].model), kind, query)
    if query.authors:
        statement = statement.where(_by_authors(kind, query.authors))
    return visible(kind, statement, viewer), rank


def _ordered(kind: str, statement: Select, rank: ColumnElement | None, sort: str,
             query: Query) -> Select:
    """Best match first, the newest first among equals; or simply newest first.
    People whose username or name is exactly what was typed come before all."""
    if sort == "newest" or rank is None:
        return statement.order_by(*_NEWEST[kind])
    first = []
    if kind == "people":
        exact = or_(func.lower(User.username) == query.text, func.lower(User.name) == query.text)
        first.append(case((exact, 0), else_=1))
    return statement.order_by(*first, rank, *_NEWEST[kind])


def _count(statement: Select) -> Select:
    return select(func.count()).select_from(statement.order_by(None).subquery())


def counts(query_text: str | Query | None, viewer: Any = None) -> dict[str, int]:
    """How many of each kind ``query_text`` finds for ``viewer``, in one query."""
    viewer = _viewer(viewer)
    queries = {kind: _query(query_text, kind) for kind in KINDS}
    if all(query.is_empty for query in queries.values()):
        return dict.fromkeys(KINDS, 0)
    columns = [_count(_matching(kind, query, viewer)[0]).scalar_subquery()
               if not query.is_empty else select(0).scalar_subquery()
               for kind, query in queries.items()]
    return dict(zip(KINDS, db.session.execute(select(*columns)).one(), strict=True))


def _hits(kind: str, items: list[Any], query: Query) -> list[Hit]:
    if kind == "people":
        return [Hit(user, highlight(user.name, query), highlight(user.username, query))
                for user in items]
    if kind == "posts":
        return [Hit(post, highlight(post.body, query),
                    highlight(post.title, query) if post.title else None) for post in items]
    return [Hit(item, highlight(item.body, query)) for item in items]


def _fetcher(kind: str, statement: Select | None, query: Query,
             total: int | None) -> Callable[[int, int], list[Hit]]:
    def fetch(offset: int, limit: int) -> list[Hit]:
        if statement is None or (total is not None and offset >= total):
            return []  # nothing to find, or past the end: no query
        page = statement.options(*_LOADED[kind]).limit(limit).offset(offset)
        return _hits(kind, list(db.session.scalars(page).unique()), query)

    return fetch


def _counter(statement: Select | None, total: int | None) -> Callable[[], int]:
    def count() -> int:
        if total is not None or statement is None:
            return total or 0
        return db.session.scalar(_count(statement))

    return count


def search(query_text: str | Query | None, kind: str = "posts", page: int = 1,
           sort: str = "relevance", per_page: int = 20, viewer: Any = None,
           total: int | None = None, error_out: bool = True) -> FetchedPagination:
    """The ``page`` of ``kind`` that ``query_text`` finds for ``viewer`` (by default
    whoever makes the request), as Hits. ``total``, when the caller has it from
    ``counts()``, saves the count. Past the last page: 404, or an empty page
    without ``error_out``. An empty query finds nothing, and asks the database nothing."""
    query = _query(query_text, kind)
    statement = None
    if not query.is_empty:
        matching, rank = _matching(kind, query, _viewer(viewer))
        statement = _ordered(kind, matching, rank, sort, query)
    return FetchedPagination(page=page, per_page=per_page, max_per_page=None,
                             error_out=error_out, fetch=_fetcher(kind, statement, query, total),
                             counter=_counter(statement, total))
