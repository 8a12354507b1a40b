"""Migration 0011 builds the audit log from the role changes and the
moderators' actions already recorded, and unwinds to 0009 cleanly."""

import os
import shutil
import tempfile

from sqlalchemy import inspect, text

from app import db
from tests.base import FlaskyTestCase
from tests.test_migrations import MigrationTestMixin

ROWS = """
INSERT INTO users (id, email, username, confirmed, member_since, last_seen, auth_stamp,
                   deleting, unread_notifications)
VALUES (1, 'root@example.com', 'root', 1, '2026-01-01', '2026-01-01', 'x', 0, 0),
       (2, 'mary@example.com', 'mary', 1, '2026-01-01', '2026-01-01', 'x', 0, 0);
INSERT INTO role_changes (actor_id, user_id, old_role, new_role, timestamp, reason)
VALUES (1, 2, 'User', 'Moderator', '2026-02-01 10:00:00', NULL),
       (NULL, 1, 'User', 'Administrator', '2026-01-01 09:00:00', 'admin-address-confirmed');
INSERT INTO moderation_actions (moderator_id, report_id, user_id, action, reason, until,
                                timestamp)
VALUES (2, NULL, 1, 'warn', 'Be kind', NULL, '2026-03-01 08:00:00');
"""


class AuditMigrationTestCase(MigrationTestMixin, FlaskyTestCase):
    def setUp(self) -> None:
        directory = tempfile.mkdtemp(prefix="flasky-audit-migration-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        self.config = {"SQLALCHEMY_DATABASE_URI":
                       f"sqlite:///{os.path.join(directory, 'flasky.sqlite')}"}
        super().setUp()
        db.drop_all()

    def test_the_log_is_backfilled_oldest_first(self):
        self.migrate("upgrade", "0009")
        db.session.remove()
        with db.engine.begin() as connection:
            for statement in ROWS.split(";"):
                if statement.strip():
                    connection.execute(text(statement))
        self.migrate("upgrade", "0011")
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT actor_name, action, user_name, details FROM audit_log ORDER BY id")).all()
        self.assertEqual([tuple(row) for row in rows], [
            (None, "role-change", "root", "User -> Administrator (admin-address-confirmed)"),
            ("root", "role-change", "mary", "User -> Moderator"),
            ("mary", "warn", "root", "Be kind"),
        ])
        self.migrate("downgrade", "0009")
        db.session.remove()
        tables = inspect(db.engine).get_table_names()
        self.assertNotIn("audit_log", tables)
        self.assertIn("role_changes", tables)
