"""The reset request answers the same, at the same cost, whether or not the
address has an account: the lookup and the mail are a job (app/auth/mails.py)."""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from app import db
from app.models import OutboxMail
from tests.base import FlaskyTestCase
from tests.jobs import WorkerTestCase, wait_until


class ResetRequestTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.create_user("john")

    @contextmanager
    def work_of_this_thread(self) -> Iterator[list[str]]:
        """Statements and commits run by this thread (the request), not by the
        threads it starts."""
        me, seen = threading.get_ident(), []

        def statement(conn, cursor, text, *args) -> None:
            if threading.get_ident() == me:
                seen.append(text)

        def commit(conn) -> None:
            if threading.get_ident() == me:
                seen.append("COMMIT")

        event.listen(db.engine, "before_cursor_execute", statement)
        event.listen(db.engine, "commit", commit)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
            event.remove(db.engine, "commit", commit)

    def ask_for_reset(self, email: str) -> tuple[object, list[str]]:
        with self.work_of_this_thread() as work:
            response = self.client.post("/auth/reset", data={"email": email})
        return response, work

    def mail_count(self) -> int:
        return db.session.scalar(select(func.count(OutboxMail.id)))

    def test_known_and_unknown_addresses_cost_the_request_the_same_work(self):
        known, known_work = self.ask_for_reset("john@example.com")
        self.assertEqual(self.mail_count(), 1)  # sent after the answer (inline in tests)
        unknown, unknown_work = self.ask_for_reset("nobody@example.com")
        self.assertEqual(self.mail_count(), 1)

        self.assertEqual(known_work, unknown_work)
        self.assertFalse(any("users" in statement for statement in known_work), known_work)
        self.assertEqual((known.status_code, known.headers["Location"]),
                         (unknown.status_code, unknown.headers["Location"]))
        self.assertEqual(known.get_data(), unknown.get_data())

    def test_both_answers_show_the_same_page(self):
        pages = []
        for email in ("john@example.com", "nobody@example.com"):
            response = self.client.post("/auth/reset", data={"email": email},
                                        follow_redirects=True)
            pages.append(re.sub(rb'nonce="[^"]*"', b"", response.data))
        self.assertEqual(pages[0], pages[1])
        self.assertIn(b"If that address has an account", pages[0])

    def test_the_mail_links_to_the_host_that_was_asked(self):
        self.client.post("/auth/reset", data={"email": "john@example.com"},
                         headers={"Host": "flasky.example.org:8443"})
        mail = db.session.scalar(select(OutboxMail))
        self.assertIn("http://flasky.example.org:8443/auth/reset/", mail.body_text)


class AsDeployedTestCase(WorkerTestCase):
    """With worker threads, as deployed: the request only queues the job, and a
    worker looks the address up and mails the link."""

    def test_the_mail_is_sent_by_a_worker_after_the_answer(self):
        self.create_user("john")
        response = self.client.post("/auth/reset", data={"email": "john@example.com"})
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(db.session.scalar(select(OutboxMail)), "the request mailed itself")
        self.start_workers()
        mail = wait_until(lambda: db.session.scalar(select(OutboxMail)),
                          message="no worker mailed the link")
        self.assertEqual(mail.recipient_list, ["john@example.com"])
        self.assertIn("http://localhost/auth/reset/", mail.body_text)
