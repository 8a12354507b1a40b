"""The one function that changes roles: last-Administrator rule and audit rows."""

import os
import threading
import unittest

from sqlalchemy import text

from app import db
from app.models import Role, RoleChange, User
from app.role_changes import LastAdministratorError, assignable_roles, change_role, role_changes
from tests.base import FlaskyTestCase


class ChangeRoleTestCase(FlaskyTestCase):
    def role(self, name: str) -> Role:
        return db.session.scalar(db.select(Role).filter_by(name=name))

    def audit_rows(self) -> list[RoleChange]:
        return list(db.session.scalars(db.select(RoleChange).order_by(RoleChange.id)))

    def test_change_is_audited_in_the_callers_transaction(self):
        admin = self.create_user("admin", role="Administrator")
        susan = self.create_user("susan")
        change = change_role(admin, susan, self.role("Moderator"))
        db.session.commit()
        self.assertEqual(susan.role.name, "Moderator")
        [row] = self.audit_rows()
        self.assertIs(row, change)
        self.assertEqual((row.actor, row.user, row.old_role, row.new_role),
                         (admin, susan, "User", "Moderator"))
        self.assertIsNotNone(row.timestamp.tzinfo)

    def test_rollback_undoes_role_and_audit_together(self):
        admin = self.create_user("admin", role="Administrator")
        susan = self.create_user("susan")
        change_role(admin, susan, self.role("Moderator"))
        db.session.rollback()
        self.assertEqual(susan.role.name, "User")
        self.assertEqual(self.audit_rows(), [])

    def test_same_role_is_not_a_change(self):
        admin = self.create_user("admin", role="Administrator")
        susan = self.create_user("susan", role="Moderator")
        self.assertIsNone(change_role(admin, susan, self.role("Moderator")))
        db.session.commit()
        self.assertEqual(self.audit_rows(), [])

    def test_last_administrator_keeps_the_role(self):
        admin = self.create_user("admin", role="Administrator")
        for role_name in ("User", "Moderator"):
            with self.assertRaises(LastAdministratorError) as raised:
                change_role(admin, admin, self.role(role_name))
            self.assertIn("admin is the last Administrator", str(raised.exception))
        db.session.commit()
        self.assertTrue(admin.is_administrator())
        self.assertEqual(self.audit_rows(), [])

    def test_an_administrator_may_leave_when_another_remains(self):
        first = self.create_user("first", role="Administrator")
        second = self.create_user("second", role="Administrator")
        change_role(first, first, self.role("User"))
        db.session.commit()
        self.assertFalse(first.is_administrator())
        with self.assertRaises(LastAdministratorError):
            change_role(second, second, self.role("Moderator"))

    def test_any_role_with_the_admin_permission_counts(self):
        super_role = Role(name="Owner", permissions=self.role("Administrator").permissions)
        db.session.add(super_role)
        admin = self.create_user("admin", role="Administrator")
        owner = self.create_user("owner", role="Owner")
        change_role(owner, admin, self.role("User"))
        db.session.commit()
        self.assertEqual(admin.role.name, "User")
        with self.assertRaises(LastAdministratorError):
            change_role(owner, owner, self.role("Moderator"))
        # Moving between two admin roles never leaves Flasky without one.
        self.assertIsNotNone(change_role(owner, owner, self.role("Administrator")))

    def test_user_without_role_gets_one(self):
        admin = self.create_user("admin", role="Administrator")
        susan = self.create_user("susan")
        susan.role = None
        db.session.commit()
        change_role(admin, susan, self.role("User"))
        db.session.commit()
        [row] = self.audit_rows()
        self.assertEqual((row.old_role, row.new_role), (None, "User"))

    def test_assignable_roles_weakest_first(self):
        self.assertEqual([role.name for role in assignable_roles()],
                         ["User", "Moderator", "Administrator"])

    def test_role_changes_newest_first(self):
        admin = self.create_user("admin", role="Administrator")
        susan = self.create_user("susan")
        for role_name in ("Moderator", "Administrator", "User"):
            change_role(admin, susan, self.role(role_name))
            db.session.commit()
        rows = db.session.scalars(role_changes()).all()
        self.assertEqual([row.new_role for row in rows], ["User", "Administrator", "Moderator"])


@unittest.skipUnless(os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                     "row locks between sessions need PostgreSQL (TEST_DATABASE_URL)")
class ConcurrentDemotionTestCase(FlaskyTestCase):
    """Two administrators demoting each other at once must not both succeed."""

    def demote_in_another_session(self, admin_id: int, outcome: dict) -> None:
        with self.app.app_context():
            admin = db.session.get(User, admin_id)
            user_role = db.session.scalar(db.select(Role).filter_by(name="User"))
            try:
                change_role(admin, admin, user_role)
                db.session.commit()
                outcome["result"] = "demoted"
            except LastAdministratorError:
                db.session.rollback()
                outcome["result"] = "refused"
            finally:
                db.session.remove()

    def wait_until_a_session_waits_for_a_lock(self) -> None:
        with db.engine.connect() as connection:
            for _ in range(1000):
                waiting = connection.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"))
                if waiting:
                    return
                connection.rollback()
                threading.Event().wait(0.01)
        self.fail("the second demotion never waited for the first one's lock")

    def test_second_demotion_waits_and_is_refused(self):
        first = self.create_user("first", role="Administrator")
        second = self.create_user("second", role="Administrator")
        user_role = db.session.scalar(db.select(Role).filter_by(name="User"))
        change_role(first, first, user_role)  # holds the administrators' row locks
        outcome: dict = {}
        other = threading.Thread(target=self.demote_in_another_session,
                                 args=(second.id, outcome))
        other.start()
        self.wait_until_a_session_waits_for_a_lock()
        db.session.commit()
        other.join(timeout=30)
        self.assertFalse(other.is_alive())
        self.assertEqual(outcome, {"result": "refused"})
        db.session.expire_all()
        self.assertTrue(db.session.get(User, second.id).is_administrator())
