"""Loading many rows fast: executemany batches, indexes rebuilt once, no per-value work.

Used by ``flask fake``. Rows arrive as tuples already in the driver's form
(timestamps as SQLite text or aware datetimes), so nothing is processed per
value on the way to the database.
"""

import logging
import queue
import sqlite3
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, insert, inspect
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.exc import SAWarning

from app.extensions import db

BATCH_SIZE = 5_000

# progress(length, label) returns a context manager whose value has update(n).
Progress = Callable[[int, str], AbstractContextManager]


class _Silent:
    def update(self, count: int) -> None:
        pass


def silent_progress(length: int, label: str) -> AbstractContextManager:
    return nullcontext(_Silent())


def executemany(connection: Connection, table: Table,
                columns: tuple[str, ...]) -> Callable[[list[tuple]], None]:
    """A function inserting batches of ``columns`` tuples into ``table``.

    The statement names the columns without their types: values are already
    in the driver's form, and per-value processing would cost more than the
    database's own work. Columns left out get their Python-side defaults, so
    a column added to a model later does not break the load.
    """
    defaults = {}
    for column in table.columns:
        if column.name in columns or column.default is None or column.primary_key:
            continue
        default = column.default
        defaults[column.name] = default.arg(None) if default.is_callable else default.arg
    names = (*columns, *defaults)
    extra = tuple(defaults.values())
    statement = insert(sql_table(table.name, *(sql_column(name) for name in names)))
    compiled = statement.compile(dialect=connection.dialect)
    sql, order = str(compiled), compiled.positiontup
    positions = [names.index(name) for name in order] if order is not None else None

    def execute(batch: list[tuple]) -> None:
        if extra:
            batch = [row + extra for row in batch]
        if positions is None:  # named parameters
            batch = [dict(zip(names, row, strict=True)) for row in batch]
        elif positions != list(range(len(names))):
            batch = [tuple(row[i] for i in positions) for row in batch]
        connection.exec_driver_sql(sql, batch)

    return execute


def batches(rows: Iterator[tuple], size: int = BATCH_SIZE) -> Iterator[list[tuple]]:
    """Lists of up to ``size`` rows, made on a second thread.

    The database driver lets go of the interpreter while the database works,
    so generating the next batch overlaps with inserting this one.
    """
    pending: queue.Queue = queue.Queue(maxsize=4)
    failure: list[BaseException] = []
    stop = threading.Event()

    def produce() -> None:
        try:
            while not stop.is_set() and (batch := list(islice(rows, size))):
                pending.put(batch)
        except BaseException as error:  # handed to the consuming thread
            failure.append(error)
        finally:
            pending.put(None)

    producer = threading.Thread(target=produce, name="bulk-insert-rows", daemon=True)
    producer.start()
    try:
        while (batch := pending.get()) is not None:
            yield batch
    finally:
        stop.set()
        while producer.is_alive():  # unblock a producer waiting on a full queue
            try:
                pending.get(timeout=0.1)
            except queue.Empty:
                pass
        producer.join()
    if failure:
        raise failure[0]


@contextmanager
def bulk_loading(tables: list[Table], progress: Progress = silent_progress) -> Iterator[None]:
    """Load into ``tables`` inside this block, then commit.

    Non-unique indexes are dropped for the load and rebuilt after: building
    an index once from sorted data beats updating it row by row. On SQLite
    the load also gets a large page cache, sorter threads for the rebuild,
    and no foreign key lookups (the loader's ids are valid by construction;
    checking each one reads a random page of the referenced table).
    """
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    raw = connection.connection.dbapi_connection
    journal = None
    if sqlite:  # before the first write: SQLite ignores these inside a transaction
        for pragma in ("foreign_keys = OFF", "cache_size = -262144", "threads = 2"):
            raw.execute(f"PRAGMA {pragma}")
        journal = _journal_mode(raw, "DELETE")
    try:
        with warnings.catch_warnings(action="ignore", category=SAWarning):  # expression indexes
            dropped = [index for table in tables for index in table.indexes
                       if not index.unique
                       and inspect(connection).has_index(index.table.name, index.name)]
        for index in dropped:
            index.drop(connection)
        yield
        with progress(len(dropped), f"{'indexes':<9}") as bar:
            for index in dropped:
                index.create(connection)
                bar.update(1)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        if sqlite:
            raw.execute("PRAGMA foreign_keys = ON")
            _journal_mode(raw, journal)


def _journal_mode(raw: Any, mode: str) -> str:
    """Switch SQLite's journal mode; answers the previous one.

    A load in WAL mode writes every page twice (to the log, then back into
    the database); a rollback journal of a load into new pages stays tiny.
    When another connection has the database open, the mode stays as it is.
    """
    previous = raw.execute("PRAGMA journal_mode").fetchone()[0]
    if previous.lower() != mode.lower():
        try:
            raw.execute(f"PRAGMA journal_mode = {mode}")
        except sqlite3.OperationalError:  # busy: keep the current mode
            pass
    return previous


@contextmanager
def quiet_slow_query_log() -> Iterator[None]:
    """Batches of thousands of rows are slow by design; do not log them."""
    logger = logging.getLogger("flasky.slow_queries")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def insert_rows(table: Table, columns: tuple[str, ...], rows: Iterator[tuple], count: int,
                label: str, progress: Progress = silent_progress) -> None:
    execute = executemany(db.session.connection(), table, columns)
    with progress(count, f"{label:<9}") as bar:
        for batch in batches(rows):
            execute(batch)
            bar.update(len(batch))

