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
        db.session.remove()
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}

    def schema_differences(self) -> list:
        """What autogenerate would change. SQLite cannot reflect the functional
        index uq_users_username_lower, so there it is skipped (with a warning)."""
        with db.engine.connect() as connection, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)

    def check_round_trip(self) -> None:
        models = set(db.metadata.tables)
        self.migrate("upgrade")
        self.assertEqual(self.table_names(), models)
        self.assertEqual(self.schema_differences(), [])

        self.migrate("downgrade", "base")
        self.assertEqual(self.table_names(), set())

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
