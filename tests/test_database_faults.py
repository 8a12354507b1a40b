"""The database going away: a 503 page instead of a traceback, and recovery.

These tests build their own database (a SQLite file another connection can
lock, a PostgreSQL server they can stop), whatever TEST_DATABASE_URL says.
"""

import os
import shutil
import sqlite3
import tempfile
import unittest

from sqlalchemy import select

from app import db
from app.models import User
from tests.base import FlaskyTestCase
from tests.pgserver import PostgresServer, unavailable_reason

JSON = {"Accept": "application/json"}


class DatabaseFaultTestCase(FlaskyTestCase):
    """Like FlaskyTestCase, on a database the test controls."""

    def database_url(self) -> str:
        raise NotImplementedError

    def setUp(self) -> None:
        self.config = {**type(self).config, "SQLALCHEMY_DATABASE_URI": self.database_url()}
        super().setUp()

    def register(self, username: str, **headers: str):
        return self.client.post("/auth/register", headers=headers, data={
            "email": f"{username}@example.com", "username": username,
            "password": self.password, "password2": self.password,
        })

    def assertUnavailablePage(self, response) -> None:
        self.assertEqual(response.status_code, 503)
        self.assertIn("Retry-After", response.headers)
        page = response.get_data(as_text=True)
        self.assertIn("Temporarily unavailable", page)
        for internal in ("Traceback", "OperationalError", "SELECT", "INSERT"):
            self.assertNotIn(internal, page)

    def assertUnavailableJSON(self, response) -> None:
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.get_json()["error"], "service unavailable")

    def user_exists(self, username: str) -> bool:
        return db.session.scalar(select(User).filter_by(username=username)) is not None


class SQLiteLockedTestCase(DatabaseFaultTestCase):
    config = {"FLASKY_SQLITE_BUSY_TIMEOUT": 200}

    def database_url(self) -> str:
        self.directory = tempfile.mkdtemp(prefix="flasky-faults-")
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        self.path = os.path.join(self.directory, "flasky.sqlite")
        return f"sqlite:///{self.path}"

    def lock_database(self) -> sqlite3.Connection:
        """Another process's connection takes the write lock and keeps it."""
        blocker = sqlite3.connect(self.path, isolation_level=None)
        self.addCleanup(blocker.close)
        blocker.execute("BEGIN EXCLUSIVE")
        return blocker

    def test_write_while_locked_is_503_and_rolled_back_then_recovers(self):
        blocker = self.lock_database()

        self.assertUnavailablePage(self.register("ann"))
        self.assertEqual(list(db.session.new), [])
        self.assertUnavailableJSON(self.register("ann", **JSON))
        self.assertEqual(self.client.get("/auth/login").status_code, 200)  # readers go on

        blocker.execute("ROLLBACK")
        self.assertRedirectsTo(self.register("ann"), "/auth/unconfirmed")
        self.assertTrue(self.user_exists("ann"))


@unittest.skipUnless(unavailable_reason() is None, f"no throwaway PostgreSQL server: "
                     f"{unavailable_reason()}")
class PostgresStoppedTestCase(DatabaseFaultTestCase):
    def database_url(self) -> str:
        self.server = PostgresServer()
        self.server.__enter__()
        self.addCleanup(self.server.__exit__)
        return self.server.url.replace("postgresql://", "postgresql+psycopg://")

    def test_requests_get_503_while_postgres_is_down_and_work_after_restart(self):
        self.create_user("john")
        self.login()
        db.session.commit()
        self.server.stop()

        self.assertUnavailablePage(self.client.get("/"))
        self.assertUnavailableJSON(self.client.get("/", headers=JSON))

        self.server.start()
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("john", response.get_data(as_text=True))
