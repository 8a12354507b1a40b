"""Page-numbered lists that stay fast a million rows deep.

``paginate`` is ``db.paginate`` with two changes that keep ``?page=N``
working as before:

* Deep pages skip rows in an index, not in the table: the page's ids are
  found first (``SELECT id ... ORDER BY ... LIMIT n OFFSET m`` reads only
  the index that matches the ORDER BY) and only those rows are loaded, with
  what the select eager-loads. Page 500 costs about what page 1 does.
* The row count of a whole table (every post, every comment), which a
  database finds by reading an entire index, is cached until the content
  changes; counts of filtered lists use their indexes and stay live.
"""

from typing import Any

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, inspect

from app.caching import cached
from app.extensions import db


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


def _whole_table(select: Select) -> str | None:
    """The table's name when ``select`` lists all of one table's rows.

    (``get_final_froms()`` would say so too, at the price of compiling the
    statement; explicit joins and FROMs are checked on the statement itself.)
    """
    entity = _entity(select)
    if (entity is None or select.whereclause is not None
            or getattr(select, "_setup_joins", ()) or getattr(select, "_from_obj", ())):
        return None
    froms = select.columns_clause_froms  # annotated copies: compare names
    table = inspect(entity).local_table
    if len(froms) != 1 or getattr(froms[0], "name", None) != table.name:
        return None
    return table.name


class DeferredJoinPagination(SelectPagination):
    def _query_items(self) -> list[Any]:
        select: Select = self._query_args["select"]
        key = _single_primary_key(select)
        if key is None:
            return super()._query_items()
        page_ids = (select.with_only_columns(key).limit(self.per_page)
                    .offset(self._query_offset).scalar_subquery())
        session = self._query_args["session"]
        return list(session.execute(select.where(key.in_(page_ids))).unique().scalars())

    def _query_count(self) -> int:
        table = _whole_table(self._query_args["select"])
        if table is None:
            return super()._query_count()
        return cached(f"count:{table}", super()._query_count)


def paginate(select: Select, *, page: int | None = None, per_page: int | None = None,
             max_per_page: int | None = None, error_out: bool = True,
             count: bool = True) -> DeferredJoinPagination:
    """Like ``db.paginate(select, ...)``, and answers the same Pagination interface."""
    return DeferredJoinPagination(select=select, session=db.session(), page=page,
                                  per_page=per_page, max_per_page=max_per_page,
                                  error_out=error_out, count=count)
