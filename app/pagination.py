"""Page-numbered lists that stay fast a million rows deep: the one pagination
helper of the pages and the API (which only format pages differently).

``page_of`` reads ``?page=`` the way pages do (not a number: page 1; zero,
negative, too large or past the end: 404); ``number_argument`` is the
API's strict reading (anything but 1..LARGEST_ID is a 400).
``paginate`` is ``db.paginate`` with two changes that keep ``?page=N``
working as before:

* Deep pages skip rows in an index, not in the table: the page's ids are
  found first (``SELECT id ... ORDER BY ... LIMIT n OFFSET m`` reads only
  the index that matches the ORDER BY) and only those rows are loaded, with
  what the select eager-loads. Page 500 costs about what page 1 does.
* The row count of a whole table (every post, every comment), which a
  database finds by reading an entire index, is cached until the content
  changes (every published post counts as a whole table: drafts are few);
  counts of filtered lists use their indexes and stay live.

A list that shows no total (the timelines, a profile's posts) asks
``page_of(..., total=False)``: a ``NextPagePagination`` loads one row more than
the page holds to learn whether a next page exists, and counts nothing. Its
``total`` is None and its ``pages`` the pages known so far (this one, and the
next when there is one), so the page widget offers the pages around this one
and the next, never a last page it would have to count for.
"""

import re
from typing import Any

from flask import abort, current_app, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, inspect

from app.caching import cached
from app.database import LARGEST_ID
from app.exceptions import ValidationError
from app.extensions import db
from app.images.posts import load_images
from app.models import Post

# Page numbers share the id bound: no list is longer, and a larger offset would
# overflow the database.
_DIGITS = re.compile(r"[0-9]{1,10}")


def _entity(select: Select) -> Any | None:
    descriptions = select.column_descriptions
    if len(descriptions) != 1 or descriptions[0].get("entity") is None:
        return None
    return descriptions[0]["entity"]


def _single_primary_key(select: Select) -> Any | None:
    entity = _entity(select)
    if entity is None:
        return None
    keys = inspect(entity).primary_key
    return keys[0] if len(keys) == 1 else None


def _whole_table(select: Select) -> tuple[str, str] | None:
    """``(name of its count, table)`` when ``select`` lists all of one table's rows
    (all published posts, for posts).

    (``get_final_froms()`` would say so too, at the price of compiling the
    statement; explicit joins and FROMs are checked on the statement itself.)
    """
    entity = _entity(select)
    if (entity is None or getattr(select, "_setup_joins", ())
            or getattr(select, "_from_obj", ())):
        return None
    where = select.whereclause
    published = entity is Post and where is not None and where.compare(Post.published())
    if where is not None and not published:
        return None
    froms = select.columns_clause_froms  # annotated copies: compare names
    table = inspect(entity).local_table
    if len(froms) != 1 or getattr(froms[0], "name", None) != table.name:
        return None
    return (f"{table.name}:published" if published else table.name), table.name


def list_tags(select: Select) -> tuple[str, ...]:
    """The cache tags of the list ``select`` reads: a new row of its table may join it."""
    entity = _entity(select)
    return (f"table:{inspect(entity).local_table.name}",) if entity is not None else ("*",)


class DeferredJoinPagination(SelectPagination):
    def _rows(self, limit: int) -> list[Any]:
        """Up to ``limit`` rows from this page's first: their ids from the index,
        then those rows only."""
        select: Select = self._query_args["select"]
        session = self._query_args["session"]
        key = _single_primary_key(select)
        if key is None:
            statement = select.limit(limit).offset(self._query_offset)
            rows = list(session.execute(statement).unique().scalars())
        else:
            page_ids = (select.with_only_columns(key).limit(limit)
                        .offset(self._query_offset).scalar_subquery())
            rows = list(session.execute(select.where(key.in_(page_ids))).unique().scalars())
        if _entity(select) is Post:  # every list of posts shows their images
            load_images(rows)
        return rows

    def _query_items(self) -> list[Any]:
        return self._rows(self.per_page)

    def _query_count(self) -> int:
        whole = _whole_table(self._query_args["select"])
        if whole is None:
            return super()._query_count()
        name, table = whole  # any write of the table moves ``table:<table>`` (caching)
        return cached(f"count:{name}", super()._query_count, lists=(f"table:{table}",))


class NextPagePagination(DeferredJoinPagination):
    """A page of a list that shows no total: one row past the page says whether
    there is a next page, instead of a count of the whole list."""

    more = False

    def _query_items(self) -> list[Any]:
        rows = self._rows(self.per_page + 1)
        self.more = len(rows) > self.per_page
        return rows[:self.per_page]

    @property
    def pages(self) -> int:
        """The pages known to exist: up to this one, and the next when there is one."""
        return self.page + 1 if self.more else self.page

    @property
    def has_next(self) -> bool:
        return self.more


class FetchedPagination(Pagination):
    """A page of a list that is not one Select (search results): ``fetch(offset,
    limit)`` answers the page's items and ``counter()`` the whole list's length, so
    the page costs what those two cost, however long it is."""

    def _query_items(self) -> list[Any]:
        return self._query_args["fetch"](self._query_offset, self.per_page)

    def _query_count(self) -> int:
        return self._query_args["counter"]()


def paginate(select: Select, *, page: int | None = None, per_page: int | None = None,
             max_per_page: int | None = None, error_out: bool = True,
             count: bool = True) -> DeferredJoinPagination:
    """Like ``db.paginate(select, ...)``, and answers the same Pagination interface."""
    return DeferredJoinPagination(select=select, session=db.session(), page=page,
                                  per_page=per_page, max_per_page=max_per_page,
                                  error_out=error_out, count=count)


def number_argument(name: str, default: int) -> int:
    """The query argument ``name`` as a number from 1 to LARGEST_ID; raises
    ValidationError (a 400 in the API) for anything else."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= LARGEST_ID:
        raise ValidationError(f"'{name}' must be a whole number from 1 to {LARGEST_ID}")
    return int(raw)


def page_number() -> int:
    """``?page=`` as the pages read it: not a number means page 1; out of range, 404."""
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        return 1
    if not 1 <= page <= LARGEST_ID:
        abort(404)
    return page


def page_of(select: Select, per_page_setting: str,
            total: bool = True) -> DeferredJoinPagination:
    """The page of ``select`` a page view was asked for; past the end answers 404.
    ``total=False`` for a list whose page shows no total: nothing is counted
    (``NextPagePagination``)."""
    if not total:
        return NextPagePagination(select=select, session=db.session(), page=page_number(),
                                  per_page=current_app.config[per_page_setting],
                                  max_per_page=None, error_out=True, count=False)
    return paginate(select, page=page_number(),
                    per_page=current_app.config[per_page_setting], error_out=True)


def last_page(total: int, per_page_setting: str) -> int:
    per_page = current_app.config[per_page_setting]
    return max(1, (total + per_page - 1) // per_page)
