"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1)."""

import re

from app import db
from app.email import send_email
from app.models import Job, OutboxMail, User
from tests.jobs import WorkerTestCase, wait_until
from tests.smtp import SMTPServer, body_of


class ConfirmationMailTestCase(WorkerTestCase):
    """Delivered by a job worker thread to a real SMTP server, as deployed."""

    def setUp(self):
        self.smtp = SMTPServer().start()
        self.config = self.smtp.app_config()
        super().setUp()
        self.start_workers()

    def tearDown(self):
        super().tearDown()
        self.smtp.stop()

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
            send_email(user.email, "Hello", "auth/email/confirm", user=user, token="abc")
            db.session.rollback()
        self.assertIsNone(db.session.scalar(db.select(OutboxMail)))
        self.assertIsNone(db.session.scalar(db.select(Job).filter_by(
            task="app.mail_delivery:deliver_mail")))
        self.assertEqual(self.smtp.wait_for(1, timeout=0.5), [])

    def test_send_email_returns_the_job_that_delivers_it_once_committed(self):
        user = self.create_user("susan")
        with self.app.test_request_context("/"):
            job = send_email(user.email, "Hello", "auth/email/confirm", user=user, token="abc")
            job_id = job.id
            db.session.commit()
        self.assertEqual(len(self.smtp.wait_for(1)), 1)
        wait_until(lambda: self.fresh(Job, job_id).state == Job.FINISHED)
        sent = db.session.scalar(db.select(OutboxMail))
        self.assertIsNotNone(sent.sent_at)
        self.assertEqual(sent.attempts, 1)
