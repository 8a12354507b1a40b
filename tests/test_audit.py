"""The audit log: each moderator's and administrator's action writes one entry
from the place it is carried out; /admin/audit filters them and exports CSV."""

import csv
import io
from datetime import timedelta

from app import db
from app.models import AuditEntry, Job, Report, utcnow
from app.social import reporting
from tests.admin_base import AdminTestCase
from tests.social import make_comment, make_post
from tests.test_api_base import basic


class AuditTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.mod = self.create_user("mod", role="Moderator")
        self.mary = self.create_user("mary")
        self.post = make_post(self.mary, "Buy cheap things")

    def entries(self) -> list[AuditEntry]:
        db.session.expire_all()
        return list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))

    def as_user(self, email: str) -> None:
        self.logout()
        self.login(email)

    def test_a_role_change_is_audited(self):
        self.login("admin@example.com")
        self.client.post(f"/admin/users/{self.mary.id}/role",
                         data={"role": self.role("Moderator").id})
        [entry] = self.entries()
        self.assertEqual((entry.actor_name, entry.action, entry.user_name, entry.details),
                         ("admin", "role-change", "mary", "User -> Moderator"))

    def test_report_decisions_and_suspensions_are_audited(self):
        report = Report(reporter=self.admin, target=f"post:{self.post.id}", reason="spam",
                        user=self.mary, post_id=self.post.id)
        db.session.add(report)
        db.session.commit()
        reporting.act(report, self.mod, "suspend", "Spam again ", timedelta(days=7))
        db.session.commit()
        [entry] = self.entries()
        self.assertEqual((entry.actor_name, entry.action, entry.user_name, entry.target),
                         ("mod", "suspend", "mary", f"report:{report.id}"))
        self.assertIn("Spam again (until ", entry.details)

    def test_comments_disabled_and_enabled_on_the_page_and_in_the_api(self):
        comment = make_comment(self.post, self.mary)
        self.as_user("mod@example.com")
        self.client.post(f"/moderate/disable/{comment.id}")
        self.client.post(f"/moderate/disable/{comment.id}")  # no change, nothing to audit
        self.client.put(f"/api/v1/comments/{comment.id}/moderation", json={"disabled": False},
                        headers=basic("mod@example.com", self.password))
        self.assertEqual([(entry.action, entry.target) for entry in self.entries()],
                         [("disable-comment", f"comment:{comment.id}"),
                          ("enable-comment", f"comment:{comment.id}")])

    def test_deleting_someone_elses_writing_is_audited_but_not_ones_own(self):
        comment = make_comment(self.post, self.mary, "A rude comment")
        own = make_post(self.mod, "My own")
        self.as_user("mod@example.com")
        self.client.post(f"/comment/{comment.id}/delete")
        self.client.post(f"/post/{own.id}/delete")
        response = self.client.delete(f"/api/v1/posts/{self.post.id}",
                                      headers=basic("mod@example.com", self.password))
        self.assertEqual(response.status_code, 204)
        self.assertEqual([(entry.action, entry.user_name, entry.details)
                          for entry in self.entries()],
                         [("delete-comment", "mary", "A rude comment"),
                          ("delete-post", "mary", "Buy cheap things")])

    def test_profile_edits_account_deletions_and_job_retries_by_an_administrator(self):
        self.login("admin@example.com")
        self.client.post(f"/edit-profile/{self.mary.id}", data={
            "email": "mary@example.com", "username": "mary", "confirmed": "y",
            "role": self.role("User").id, "name": "Mary Jones", "location": "",
            "about_me": ""})
        job = Job(task="tests.job_tasks:count", state=Job.FAILED)
        db.session.add(job)
        db.session.commit()
        self.client.post(f"/admin/jobs/{job.id}/retry")
        self.client.post(f"/edit-profile/{self.mod.id}/delete")
        self.assertEqual([(entry.action, entry.user_name, entry.details, entry.target)
                          for entry in self.entries()],
                         [("edit-profile", "mary", "name", None),
                          ("retry-job", None, "tests.job_tasks:count", f"job:{job.id}"),
                          ("delete-account", "mod", "mod", None)])
        # The account is gone; the entry still says whose it was.
        self.assertIsNone(self.entries()[-1].user_id)


class AuditLogPageTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.mod = self.create_user("mod", role="Moderator")
        now = utcnow()
        rows = [("admin", "role-change", now - timedelta(days=10)),
                ("mod", "suspend", now - timedelta(days=2)),
                ("mod", "dismiss", now - timedelta(days=1)),
                (None, "role-change", now)]
        db.session.add_all([AuditEntry(actor_name=name, action=action, timestamp=when,
                                       details=f"{action} by {name}")
                            for name, action, when in rows])
        db.session.add(AuditEntry(actor_name="mod", action="dismiss", details="=HYPERLINK(1)",
                                  timestamp=now - timedelta(days=30)))
        db.session.commit()
        self.login("admin@example.com")

    def shown(self, query: str = "") -> list[str]:
        """The details cell of each entry listed."""
        text = self.text(self.client.get(f"/admin/audit{query}"))
        return [row.split("<td>")[-1].split("</td>")[0]
                for row in text.split('<tr class="audit-entry">')[1:]]

    def test_filters_by_actor_action_and_days(self):
        self.assertEqual(self.shown("?actor=MOD"),
                         ["dismiss by mod", "suspend by mod", "=HYPERLINK(1)"])
        self.assertEqual(self.shown("?action=role-change"),
                         ["role-change by None", "role-change by admin"])
        today = utcnow().date()
        since = (today - timedelta(days=3)).isoformat()
        until = (today - timedelta(days=1)).isoformat()
        self.assertEqual(self.shown(f"?since={since}&until={until}"),
                         ["dismiss by mod", "suspend by mod"])

    def test_bad_filters_are_form_errors(self):
        for query in ("?since=2026-02-31", "?since=1066-10-14", "?action=launch-rockets",
                      f"?since={utcnow().date()}&until=2020-01-01", "?actor=" + "x" * 100):
            response = self.client.get(f"/admin/audit{query}")
            self.assertEqual(response.status_code, 400, query)
            self.assertIn("invalid-feedback", self.text(response), query)
        self.assertEqual(self.client.get("/admin/audit.csv?since=nonsense").status_code, 400)

    def test_csv_export_with_the_same_filters(self):
        response = self.client.get("/admin/audit.csv?actor=mod")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "text/csv")
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        self.assertEqual(rows[0], ["timestamp", "actor", "action", "user", "target", "details"])
        self.assertEqual([row[2] for row in rows[1:]], ["dismiss", "suspend", "dismiss"])
        self.assertEqual(rows[-1][5], "'=HYPERLINK(1)")  # never run as a formula

    def test_only_administrators_read_it(self):
        self.logout()
        self.login("mod@example.com")
        self.assertEqual(self.client.get("/admin/audit").status_code, 403)
        self.assertEqual(self.client.get("/admin/audit.csv").status_code, 403)
