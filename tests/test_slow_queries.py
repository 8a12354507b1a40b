"""The slow query log: statements slower than FLASKY_SLOW_DB_QUERY_TIME are logged."""

import re

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import create_app, db
from app.models import User
from tests.base import FlaskyTestCase

LOGGER = "flasky.slow_queries"


class SlowQueryLogTestCase(FlaskyTestCase):
    def tearDown(self) -> None:
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 3600  # no noise while cleaning up
        super().tearDown()

    def test_query_over_the_threshold_is_logged_with_statement_and_duration(self):
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 0
        with self.assertLogs(LOGGER, level="WARNING") as logs:
            db.session.scalar(select(User).where(User.username == "secret-susan"))
        [record] = logs.records
        self.assertIn("FROM users", record.statement)
        self.assertIsInstance(record.duration, float)
        self.assertGreaterEqual(record.duration, 0)
        message = record.getMessage()
        self.assertRegex(message, r"^Slow query \(\d+\.\d{3}s\): SELECT ")
        self.assertIn(record.statement, message)
        # Bound values may be password hashes or tokens: they stay out of the log.
        self.assertNotIn("secret-susan", message)

    def test_query_under_the_threshold_is_not_logged(self):
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 3600
        with self.assertNoLogs(LOGGER, level="DEBUG"):
            db.session.scalar(select(User))
            self.client.get("/")

    def test_requests_log_their_slow_queries(self):
        self.create_user("susan")
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 0
        with self.assertLogs(LOGGER, level="WARNING") as logs:
            self.login("susan@example.com")
        self.assertTrue(any("FROM users" in record.statement for record in logs.records))

    def test_failed_query_leaves_no_timer_behind(self):
        with db.engine.connect() as connection:
            with self.assertRaises(DBAPIError):
                connection.execute(text("SELECT * FROM no_such_table"))
            self.assertEqual(connection.info.get("flasky_query_start"), [])
            connection.rollback()
            self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 0
            with self.assertLogs(LOGGER, level="WARNING") as logs:
                connection.execute(text("SELECT 1"))
            self.assertEqual([record.statement for record in logs.records], ["SELECT 1"])


class ThresholdAtStartTestCase(FlaskyTestCase):
    """The threshold is read per query, so one set before the first query applies to it."""

    def setUp(self) -> None:
        self.app = create_app("testing")
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 0
        self.app_context = self.app.app_context()
        self.app_context.push()
        self.addCleanup(self.app_context.pop)  # as FlaskyTestCase.setUp does
        self.client = self.app.test_client()

    def tearDown(self) -> None:
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 3600  # no noise while cleaning up
        super().tearDown()

    def test_schema_creation_is_logged(self):
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 3600
        db.drop_all()  # a crashed earlier run may have left tables behind
        self.app.config["FLASKY_SLOW_DB_QUERY_TIME"] = 0
        with self.assertLogs(LOGGER, level="WARNING") as logs:
            db.create_all()
        statements = [record.statement for record in logs.records]
        self.assertTrue(any(re.match(r"\s*CREATE TABLE users", s) for s in statements),
                        statements)
