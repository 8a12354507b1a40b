"""Migrations build the schema the models describe, and unwind cleanly.

They run ``flask db upgrade``, ``downgrade base`` and ``upgrade`` again on a
database of their own: a temporary SQLite file, and a scratch database on
the PostgreSQL server of TEST_DATABASE_URL when the suite runs on one.
"""

import logging
import os
import shutil
import tempfile
import unittest
import uuid
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import db
from app.search.schema import INDEXED, include_name
from config import database_url
from tests.base import FlaskyTestCase

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")


class _KeepLogging:
    """Alembic's env.py configures logging from alembic.ini, which would
    silence the application's loggers for every test that runs afterwards."""

    def __enter__(self) -> None:
        root = logging.getLogger()
        self.root_state = (root.level, list(root.handlers))
        self.disabled = {name: logger.disabled
                         for name, logger in logging.root.manager.loggerDict.items()
                         if isinstance(logger, logging.Logger)}

    def __exit__(self, *exc_info) -> None:
        root = logging.getLogger()
        root.setLevel(self.root_state[0])
        root.handlers[:] = self.root_state[1]
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = self.disabled.get(name, False)


class MigrationTestMixin:
    def migrate(self, *arguments: str) -> None:
        with _KeepLogging():
            result = self.app.test_cli_runner().invoke(args=["db", *arguments, "-d", MIGRATIONS])
        self.assertEqual(result.exit_code, 0, f"flask db {' '.join(arguments)}: "
                         f"{result.output}{result.exception!r}")

    def table_names(self) -> set[str]:
        """The tables of the models: the search index's own are left out (see
        search_objects)."""
        db.session.remove()
        names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if include_name(name, "table", {})}

    def search_objects(self) -> dict[str, str]:
        """The search index's objects (app/search/schema.py) and their definitions."""
        db.session.remove()
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                names = {name for indexed in INDEXED.values()
                         for name in (indexed.fts, indexed.source, *indexed.triggers())}
                rows = [(name, sql) for name, sql in connection.execute(
                    text("SELECT name, sql FROM sqlite_master")) if name in names]
            else:
                rows = connection.execute(text(
                    "SELECT c.relname || '.' || a.attname, pg_get_expr(d.adbin, d.adrelid) "
                    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    "WHERE a.attname = 'search_vector' UNION ALL "
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE indexname LIKE '%search_vector'"))
            return {name: " ".join(sql.split()) for name, sql in rows}

    def schema_differences(self) -> list:
        """What autogenerate would change. SQLite cannot reflect the functional
        index uq_users_username_lower, so there it is skipped (with a warning)."""
        with db.engine.connect() as connection, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_name": include_name})
            return compare_metadata(context, db.metadata)

    def check_round_trip(self) -> None:
        models = set(db.metadata.tables)
        self.migrate("upgrade")
        self.assertEqual(self.table_names(), models)
        self.assertEqual(self.schema_differences(), [])
        migrated = self.search_objects()
        self.assertEqual(len(migrated), 15 if db.engine.dialect.name == "sqlite" else 6)

        self.migrate("downgrade", "base")
        self.assertEqual(self.table_names(), set())
        self.assertEqual(self.search_objects(), {})

        # The revision builds the search index exactly as the app does for create_all.
        db.create_all()
        self.assertEqual(self.search_objects(), migrated)
        db.drop_all()
        self.assertEqual(self.search_objects(), {})

        self.migrate("upgrade")
        self.assertEqual(self.table_names(), models)
        self.assertEqual(self.schema_differences(), [])


class SQLiteMigrationTestCase(MigrationTestMixin, FlaskyTestCase):
    def setUp(self) -> None:
        directory = tempfile.mkdtemp(prefix="flasky-migrations-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        self.config = {"SQLALCHEMY_DATABASE_URI":
                       f"sqlite:///{os.path.join(directory, 'flasky.sqlite')}"}
        super().setUp()
        db.drop_all()  # start from an empty file: the migrations build everything

    def test_upgrade_downgrade_upgrade_matches_the_models(self):
        self.check_round_trip()


def _test_postgres_url() -> str | None:
    url = database_url("TEST_DATABASE_URL")
    return url if url and url.startswith("postgresql") else None


@unittest.skipUnless(_test_postgres_url(), "TEST_DATABASE_URL is not a PostgreSQL database")
class PostgresMigrationTestCase(MigrationTestMixin, FlaskyTestCase):
    """Runs in a scratch database so it never meets the suite's create_all tables."""

    def setUp(self) -> None:
        server = make_url(_test_postgres_url())
        scratch = f"flasky_migrations_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self.addCleanup(admin.dispose)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{scratch}"'))
        self.addCleanup(self._drop_database, admin, scratch)
        self.config = {"SQLALCHEMY_DATABASE_URI":
                       server.set(database=scratch).render_as_string(hide_password=False)}
        super().setUp()
        db.drop_all()

    @staticmethod
    def _drop_database(admin, name: str) -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def test_upgrade_downgrade_upgrade_matches_the_models(self):
        self.check_round_trip()
