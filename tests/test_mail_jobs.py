"""Mail on the job layer, as deployed (worker threads, no eager runs): the
request never waits for SMTP, and mail queued during an outage goes out by
itself once the server is back, with no command and no traffic."""

from sqlalchemy import select, update

from app.extensions import db
from app.jobs.registry import PERIODIC
from app.models import Job, OutboxMail, utcnow
from tests.jobs import WorkerTestCase, wait_until
from tests.smtp import BlackHoleServer, SMTPServer, free_port

RETRY_MAIL = "app.mail_delivery:retry_mail"


class MailJobsTestCase(WorkerTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.smtp = SMTPServer(free_port())  # not started: the mail server is down
        self.app.config.update(self.smtp.app_config())

    def tearDown(self) -> None:
        self.smtp.stop()
        super().tearDown()

    def register(self):
        return self.client.post("/auth/register", data={
            "email": "ann@example.com", "username": "ann",
            "password": self.password, "password2": self.password})

    def mail(self) -> OutboxMail:
        db.session.expire_all()
        return db.session.scalar(select(OutboxMail))

    def test_a_mail_queued_while_smtp_was_down_goes_out_by_itself(self):
        self.assertIn(RETRY_MAIL, PERIODIC)
        self.start_workers()
        self.assertRedirectsTo(self.register(), "/auth/unconfirmed")
        wait_until(lambda: self.mail().last_error, message="the first attempt never ran")
        self.assertIsNone(self.mail().sent_at)
        self.smtp.start()  # the server is back; nobody runs a command or visits
        # A minute passes: the periodic retry is due (its back-off is not).
        wait_until(lambda: db.session.scalar(select(Job.id).where(
            Job.unique_key == f"periodic:{RETRY_MAIL}")))
        db.session.execute(update(Job).where(Job.unique_key == f"periodic:{RETRY_MAIL}")
                           .values(run_at=utcnow()))
        db.session.commit()
        self.workers.wake.set()
        [message] = self.smtp.wait_for(1, timeout=20)
        self.assertEqual(message["To"], "ann@example.com")
        wait_until(lambda: self.mail().sent_at, message="delivered but not marked sent")

    def test_the_request_does_not_wait_for_a_silent_server(self):
        black_hole = BlackHoleServer()
        self.addCleanup(black_hole.stop)
        self.app.config.update(MAIL_PORT=black_hole.port, MAIL_TIMEOUT=2)
        self.start_workers()
        self.assertRedirectsTo(self.register(), "/auth/unconfirmed")
        self.assertFalse(black_hole.client_gave_up.is_set(), "the request waited for SMTP")
        self.assertTrue(black_hole.client_gave_up.wait(30), "no SMTP timeout: delivery hangs")
        wait_until(lambda: "timed out" in (self.mail().last_error or ""),
                   message="the timeout was not recorded on the mail")
        self.assertIsNone(self.mail().sent_at)
