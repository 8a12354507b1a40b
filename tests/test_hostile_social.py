"""Hostile input in the people-talking forms: scripts in messages, reports and
moderators' reasons never become live markup, and odd names, ids and tokens in
the new addresses answer 4xx, never 500."""

from urllib.parse import quote

from app import db
from app.models import Message, ModerationAction, Report
from tests.hostile import BIG_INT, SQL, XSS, HostileTestCase, inspect


class HostileSocialTestCase(HostileTestCase):
    def assertSafe(self, path: str) -> None:
        response = self.client.get(path, follow_redirects=True)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(inspect(response.get_data(as_text=True)).problems, [], path)

    def test_payloads_in_messages_reports_and_reasons(self):
        self.login("victim@example.com")
        for payload in XSS:
            self.client.post("/messages/mallory", data={"body": payload})
        self.client.post("/report/user/mallory", data={"reason": "other", "details": XSS[0]})
        self.client.post("/report/post/1", data={"reason": "spam", "details": " ".join(XSS)})
        self.assertEqual(len(db.session.scalars(db.select(Message)).all()), len(XSS))
        self.assertEqual(len(db.session.scalars(db.select(Report)).all()), 2)
        self.client.post("/auth/logout")
        self.login_mallory()
        for path in ("/messages", "/messages/victim", "/notifications", "/moderate/reports"):
            self.assertSafe(path)
        report = db.session.scalar(db.select(Report).filter_by(target="user:1"))
        for payload in XSS[:3]:  # the first acts; the rest find it dealt with
            response = self.client.post(f"/moderate/reports/{report.id}", data={
                "action": "warn", "reason": payload}, follow_redirects=True)
            self.assertLess(response.status_code, 500)
        self.assertEqual(db.session.scalar(db.select(ModerationAction.reason)), XSS[0])
        self.assertSafe("/moderate/actions")
        self.assertSafe("/settings/blocks")

    def test_odd_names_ids_and_tokens_answer_4xx(self):
        self.login_mallory()
        names = [quote(value, safe="") for value in XSS + SQL + [BIG_INT, "a" * 5000, "é"]]
        for name in names:
            for path in (f"/messages/{name}", f"/report/user/{name}", f"/report/post/{name}",
                         f"/unsubscribe/{name}"):
                self.assertIn(self.client.get(path).status_code, (404,), path)
            for path in (f"/block/{name}", f"/mute/{name}", f"/unblock/{name}",
                         f"/messages/{name}"):
                self.assertEqual(self.client.post(path, data={"body": "x"}).status_code, 404,
                                 path)
        for path in (f"/messages/{BIG_INT}/delete", f"/moderate/reports/{BIG_INT}",
                     "/messages/0/delete", "/moderate/reports/0"):
            self.assertEqual(self.client.post(path).status_code, 404, path)
        for page in ("x", "-1", "0", BIG_INT):
            response = self.client.get(f"/notifications?page={page}")
            self.assertIn(response.status_code, (200, 404), page)
        response = self.client.post("/settings/notifications",
                                    data={f"mail-{payload}": "1" for payload in XSS + SQL})
        self.assertEqual(response.status_code, 302)

    def test_oversized_report_details_and_reasons_are_refused_clearly(self):
        self.login("victim@example.com")
        response = self.client.post("/report/post/1", data={"reason": "spam",
                                                            "details": "x" * 100_000})
        self.assertIn(b"Please keep it under 1,000 characters.", response.data)
        response = self.client.post("/report/post/1", data={"reason": "x" * 10_000})
        self.assertIn(b"Not a valid choice", response.data)
        self.assertEqual(db.session.scalars(db.select(Report)).all(), [])
