"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1)."""

import re
import tempfile
from pathlib import Path

from app import db
from app.email import send_email
from app.models import OutboxMail, User
from tests.base import FlaskyTestCase
from tests.smtp import SMTPServer, body_of


class ConfirmationMailTestCase(FlaskyTestCase):
    def setUp(self):
        # A file database: the delivery thread uses its own connection.
        self.tmp = tempfile.TemporaryDirectory()
        self.smtp = SMTPServer().start()
        self.config = {**self.smtp.app_config(), "FLASKY_MAIL_SYNC": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(self.tmp.name)}/mail.sqlite"}
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.smtp.stop()
        self.tmp.cleanup()

    def test_confirmation_mail_is_delivered_and_its_link_confirms(self):
        response = self.client.post("/auth/register", data={
            "email": "susan@example.com", "username": "susan",
            "password": "correct-horse-7", "password2": "correct-horse-7"})
        self.assertEqual(response.status_code, 302)
        messages = self.smtp.wait_for(1)
        self.assertEqual(len(messages), 1)
        message = messages[0]
        self.assertEqual(message["To"], "susan@example.com")
        self.assertEqual(message["Subject"], "[Flasky] Confirm Your Account")
        self.assertIn("flasky@example.com", message["From"])
        html = message.get_body(preferencelist=("html",)).get_content()
        self.assertIn("/auth/confirm/", html)
        link = re.search(r"https?://[^/\s]+(/auth/confirm/\S+)", body_of(message)).group(1)

        response = self.client.get(link, follow_redirects=True)
        self.assertIn(b"You have confirmed your account", response.data)
        db.session.expire_all()
        self.assertTrue(User.by_email("susan@example.com").confirmed)

    def test_a_mail_whose_transaction_rolls_back_is_never_sent(self):
        user = self.create_user("susan")
        with self.app.test_request_context("/"):
            thread = send_email(user.email, "Hello", "auth/email/confirm",
                                user=user, token="abc")
            db.session.rollback()
        self.assertFalse(thread.is_alive())
        self.assertIsNone(thread.ident, "the delivery never started")
        self.assertIsNone(db.session.scalar(db.select(OutboxMail)))

    def test_send_email_returns_the_delivering_thread(self):
        user = self.create_user("susan")
        with self.app.test_request_context("/"):
            thread = send_email(user.email, "Hello", "auth/email/confirm",
                                user=user, token="abc")
            self.assertFalse(thread.is_alive(), "delivery waits for the commit")
            db.session.commit()
        thread.join(10)
        self.assertFalse(thread.is_alive())
        self.assertEqual(len(self.smtp.wait_for(1)), 1)
        db.session.expire_all()
        sent = db.session.scalar(db.select(OutboxMail))
        self.assertIsNotNone(sent.sent_at)
        self.assertEqual(sent.attempts, 1)
