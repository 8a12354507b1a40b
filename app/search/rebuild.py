"""Rebuilding the search index from the tables, for rows written around the
triggers: a bulk load that paused them (``paused``), a restored dump, an index
left behind by an old version.

SQLite: the FTS table is emptied and refilled from its source view in batches
of rows (each batch reports progress), then merged into one segment
('optimize'). PostgreSQL: the generated columns are always current, so only the
GIN indexes are rebuilt. Missing index objects are installed first. The caller
commits: until then every reader sees the old index, never a half-built one.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, text

from app.search.schema import INDEXED, Indexed, install, installed, uninstall

BATCH_SIZE = 5_000
ALL = tuple(INDEXED)

# progress(length, label) answers a context manager whose value has update(count),
# as click.progressbar does (and app/fake's loader takes).
Progress = Callable[[int, str], AbstractContextManager]


class _Silent:
    def update(self, count: int) -> None:
        pass


def silent_progress(length: int, label: str) -> AbstractContextManager:
    return nullcontext(_Silent())


def _ids(connection: Connection, indexed: Indexed) -> tuple[int, int, int]:
    row = connection.execute(text(
        f"SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM {indexed.table}"))  # nosec B608: table and column names from the fixed index list
    return tuple(row.one())


def _refill_sqlite(connection: Connection, indexed: Indexed, bar: Any) -> None:
    fts, columns = indexed.fts, ", ".join(indexed.columns)
    connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")  # nosec B608: table and column names from the fixed index list
    _, first, last = _ids(connection, indexed)
    insert = text(f"INSERT INTO {fts}(rowid, {columns}) SELECT id, {columns} "  # nosec B608: table and column names from the fixed index list
                  f"FROM {indexed.source} WHERE id >= :low AND id < :high")
    for low in range(first, last + 1, BATCH_SIZE):
        bar.update(connection.execute(insert, {"low": low, "high": low + BATCH_SIZE}).rowcount)
    connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")  # nosec B608: table and column names from the fixed index list


def _rebuild(connection: Connection, indexed: Indexed, bar: Any) -> None:
    if not installed(connection, indexed):
        uninstall(connection, indexed)  # whatever part of it is left
        install(connection, indexed)
    if connection.dialect.name == "sqlite":
        _refill_sqlite(connection, indexed, bar)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"REINDEX INDEX {indexed.vector_index}")
        bar.update(_ids(connection, indexed)[0])


def rebuild(connection: Connection, kinds: tuple[str, ...] = ALL,
            progress: Progress = silent_progress) -> None:
    """Make the index of ``kinds`` whole again from their tables."""
    length = sum(_ids(connection, INDEXED[kind])[0] for kind in kinds)
    with progress(length, f"{'search':<9}") as bar:
        for kind in kinds:
            _rebuild(connection, INDEXED[kind], bar)


@contextmanager
def paused(connection: Connection, kinds: tuple[str, ...] = ALL,
           progress: Progress = silent_progress) -> Iterator[None]:
    """Rows written inside the block are indexed once, at its end, rather than one
    by one: SQLite's triggers (PostgreSQL's GIN indexes) are dropped meanwhile."""
    for kind in kinds:
        uninstall(connection, INDEXED[kind])
    yield
    rebuild(connection, kinds, progress)
