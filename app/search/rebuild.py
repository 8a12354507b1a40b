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
from contextlib import contextmanager

from sqlalchemy import Connection, text

from app.search.schema import INDEXED, Indexed, install, installed, uninstall

BATCH_SIZE = 5_000

Progress = Callable[[int], None]  # called with the number of rows just indexed


def _ids(connection: Connection, indexed: Indexed) -> tuple[int, int, int]:
    row = connection.execute(text(
        f"SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM {indexed.table}"))
    return tuple(row.one())


def rows_to_index(connection: Connection, kinds: tuple[str, ...] = tuple(INDEXED)) -> int:
    return sum(_ids(connection, INDEXED[kind])[0] for kind in kinds)


def _refill_sqlite(connection: Connection, indexed: Indexed, progress: Progress) -> None:
    fts, columns = indexed.fts, ", ".join(indexed.columns)
    connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
    _, first, last = _ids(connection, indexed)
    insert = text(f"INSERT INTO {fts}(rowid, {columns}) SELECT id, {columns} "
                  f"FROM {indexed.source} WHERE id >= :low AND id < :high")
    for low in range(first, last + 1, BATCH_SIZE):
        done = connection.execute(insert, {"low": low, "high": low + BATCH_SIZE})
        progress(done.rowcount)
    connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")


def rebuild(connection: Connection, kind: str, progress: Progress = lambda count: None) -> None:
    """Make ``kind``'s index whole again from its table."""
    indexed = INDEXED[kind]
    if not installed(connection, indexed):
        uninstall(connection, indexed)  # whatever part of it is left
        install(connection, indexed)
    if connection.dialect.name == "sqlite":
        _refill_sqlite(connection, indexed, progress)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"REINDEX INDEX {indexed.vector_index}")
        progress(_ids(connection, indexed)[0])


@contextmanager
def paused(connection: Connection, kinds: tuple[str, ...] = tuple(INDEXED),
           progress: Progress = lambda count: None) -> Iterator[None]:
    """Rows written inside the block are indexed once, at its end, rather than one
    by one: SQLite's triggers (PostgreSQL's GIN indexes) are dropped for it."""
    for kind in kinds:
        uninstall(connection, INDEXED[kind])
    yield
    for kind in kinds:
        rebuild(connection, kind, progress)
