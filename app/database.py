"""The database: SQLite connection settings and the slow query log, URL ids
that fit the id columns, the commit helper for writes that may race, and
``plain_rows`` for the small lookups that load no model."""

import logging
import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, Result
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Executable
from werkzeug.routing import IntegerConverter

from app.extensions import db

slow_query_logger = logging.getLogger("flasky.slow_queries")

# Ids are INTEGER columns, which PostgreSQL keeps in 32 bits.
LARGEST_ID = 2**31 - 1


def _digits_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 0..limit (no sign)."""
    digits = str(limit)
    shorter = f"\\d{{1,{len(digits) - 1}}}"
    branches = [shorter] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - position - 1
            tail = f"\\d{{{rest}}}" if rest else ""
            branches.append(f"{digits[:position]}[0-{int(digit) - 1}]{tail}")
    branches.append(digits)
    return f"0*(?:{'|'.join(branches)})"


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in URLs, matching only numbers an id column can hold.

    A larger number names no row anyway, but PostgreSQL would refuse it
    ("integer out of range", a 500) where SQLite simply finds nothing. It is
    refused by the pattern, so such a URL matches no route and answers 404
    whatever the method; failing later, in to_python, would leave the router
    answering 405 for a method that another route of the same path allows.
    """

    regex = _digits_up_to(LARGEST_ID)


def _sqlite_settings(busy_timeout_ms: int):
    """Connection settings for concurrent use: WAL lets readers run beside the
    one writer, and the busy timeout makes a writer wait its turn instead of
    failing at once with "database is locked"."""

    def configure(dbapi_connection, connection_record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # Reads: a 64 MiB page cache per connection, the file memory-mapped (pages come
        # from the OS cache without a copy) and sorts in memory. On a million posts this
        # took a whole-table count from 15 to 5 ms (docs/performance.md).
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.execute("PRAGMA mmap_size = 1073741824")
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.close()

    return configure


def register_database_events(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        busy_timeout_ms = app.config.get("FLASKY_SQLITE_BUSY_TIMEOUT", 10000)
        event.listen(engine, "connect", _sqlite_settings(busy_timeout_ms))

    config = app.config  # read per query, so the threshold can change while running

    @event.listens_for(engine, "before_cursor_execute")
    def _start_timer(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info.setdefault("flasky_query_start", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _log_if_slow(conn, cursor, statement, parameters, context, executemany) -> None:
        duration = time.perf_counter() - conn.info["flasky_query_start"].pop()
        if duration >= config["FLASKY_SLOW_DB_QUERY_TIME"]:
            # Parameters are left out: they hold password hashes, tokens and emails.
            slow_query_logger.warning(
                "Slow query (%.3fs): %s", duration, statement,
                extra={"duration": duration, "statement": statement},
            )

    @event.listens_for(engine, "handle_error")
    def _forget_failed_query(context) -> None:
        """A failed query never reaches after_cursor_execute; drop its start time."""
        starts = context.connection.info.get("flasky_query_start") if context.connection else None
        if starts:
            starts.pop()


def committed() -> bool:
    """Commit; False (rolled back) when a unique constraint refused the change,
    that is, a concurrent request got there first (same follow, email or
    username)."""
    return _without_conflict(db.session.commit)


def flushed() -> bool:
    """``committed()`` for a change the view must write before it can go on (a
    new user's id for the mail it is sent), committing later."""
    return _without_conflict(db.session.flush)


def _without_conflict(write) -> bool:
    try:
        write()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def plain_rows(statement: Executable, parameters: dict | None = None) -> Result:
    """The rows of a statement that loads no model (ids, counts, names), run on the
    session's connection, in its transaction, without the ORM's execution path:
    about half of a small query's cost. Built once with ``bindparam``s, such a
    statement also skips its construction on every call. Nothing it returns is
    loaded into the session, so the page cache records none of it: the caller
    declares what it shows (``cached(..., lists=...)``) or its rows' owners do."""
    return db.session.connection().execute(statement, parameters or {})
