"""Engine hooks: SQLite connection settings and the slow query log."""

import logging
import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

slow_query_logger = logging.getLogger("flasky.slow_queries")


def _configure_sqlite(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def register_database_events(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)

    threshold = app.config["FLASKY_SLOW_DB_QUERY_TIME"]

    @event.listens_for(engine, "before_cursor_execute")
    def _start_timer(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info.setdefault("flasky_query_start", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _log_if_slow(conn, cursor, statement, parameters, context, executemany) -> None:
        duration = time.perf_counter() - conn.info["flasky_query_start"].pop()
        if duration >= threshold:
            slow_query_logger.warning(
                "Slow query (%.3fs): %s | parameters: %r", duration, statement, parameters
            )
