"""Mail is never lost: the outbox keeps it through SMTP outages until it is delivered."""

from unittest import mock

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from app import mail_delivery
from app.email import send_email
from app.extensions import db
from app.mail_delivery import deliver_due, retry_delay
from app.models import OutboxMail, User, utcnow
from tests.base import FlaskyTestCase
from tests.smtp import SMTPServer, body_of, free_port


class _RefusingHandler:
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        return "554 Transaction failed: no thanks"


class OutboxTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.port = free_port()
        self.smtp = SMTPServer(self.port)  # not started: the SMTP server is down
        self.app.config.update(self.smtp.app_config())
        self.cli = self.app.test_cli_runner()

    def tearDown(self) -> None:
        self.smtp.stop()
        super().tearDown()

    def register(self, email: str = "ann@example.com", username: str = "ann"):
        return self.client.post("/auth/register", data={
            "email": email, "username": username,
            "password": self.password, "password2": self.password,
        })

    def queue_mail(self, to: str = "ann@example.com", username: str = "ann") -> None:
        """Send a confirmation mail the way a view does (inside a request, then commit)."""
        user = self.create_user(username, email=to)
        with self.app.test_request_context():
            send_email(to, "Confirm Your Account", "auth/email/confirm", user=user, token="t")
            db.session.commit()

    def outbox(self) -> list[OutboxMail]:
        db.session.expire_all()
        return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))

    def retry(self, *options: str):
        return self.cli.invoke(args=["mail", "retry", *options])

    def make_everything_due(self) -> None:
        """Let the back-off pass, as if its minutes had gone by."""
        db.session.execute(update(OutboxMail).values(next_attempt_at=utcnow()))
        db.session.commit()


class SMTPOutageTestCase(OutboxTestCase):
    def test_registration_mail_survives_outage_and_arrives_exactly_once(self):
        response = self.register()
        self.assertRedirectsTo(response, "/auth/unconfirmed")
        user = db.session.scalar(select(User).filter_by(username="ann"))
        self.assertIsNotNone(user)
        [queued] = self.outbox()
        self.assertIsNone(queued.sent_at)
        self.assertEqual(queued.attempts, 1)
        self.assertIn("ConnectionRefusedError", queued.last_error)

        self.smtp.start()  # the same port again
        result = self.retry("--now")
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("sent 1, failed 0", result.output)
        [message] = self.smtp.wait_for(1)
        self.assertEqual(message["To"], "ann@example.com")
        self.assertIn("Confirm Your Account", message["Subject"])
        self.assertIn("/auth/confirm/", body_of(message))

        self.assertIn("sent 0, failed 0", self.retry("--now").output)
        self.make_everything_due()
        self.assertEqual(deliver_due(), (0, 0))
        self.assertEqual(len(self.smtp.messages), 1)
        [delivered] = self.outbox()
        self.assertIsNotNone(delivered.sent_at)
        self.assertIsNone(delivered.last_error)

    def test_user_can_ask_for_a_new_confirmation_while_smtp_is_down(self):
        self.register()
        response = self.client.post("/auth/confirm")
        self.assertRedirectsTo(response, "/auth/unconfirmed")
        mails = self.outbox()
        self.assertEqual(len(mails), 2)
        self.assertTrue(all(mail.sent_at is None and mail.last_error for mail in mails))

    def test_the_next_send_also_delivers_what_is_due(self):
        self.queue_mail("first@example.com", "first")
        self.smtp.start()
        self.make_everything_due()
        self.queue_mail("second@example.com", "second")
        messages = self.smtp.wait_for(2)
        self.assertEqual(sorted(message["To"] for message in messages),
                         ["first@example.com", "second@example.com"])
        self.assertTrue(all(mail.sent_at is not None for mail in self.outbox()))

    def test_a_refused_mail_stays_queued_with_the_error(self):
        controller = Controller(_RefusingHandler(), hostname="127.0.0.1", port=self.port)
        controller.start()
        self.addCleanup(controller.stop)
        self.queue_mail()
        [queued] = self.outbox()
        self.assertIsNone(queued.sent_at)
        self.assertIn("554", queued.last_error)
        self.assertIn("SMTPDataError", queued.last_error)


class BackOffTestCase(OutboxTestCase):
    def test_delay_doubles_from_a_minute_up_to_an_hour(self):
        delays = [retry_delay(attempt).total_seconds() for attempt in range(1, 10)]
        self.assertEqual(delays, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600])

    def test_a_failed_mail_waits_for_its_back_off(self):
        before = utcnow()
        self.queue_mail()
        [queued] = self.outbox()
        self.assertGreaterEqual(queued.next_attempt_at, before + retry_delay(1))
        self.smtp.start()
        self.assertEqual(deliver_due(), (0, 0))  # not due yet: nothing is tried
        self.assertEqual(self.outbox()[0].attempts, 1)
        self.make_everything_due()
        self.assertEqual(deliver_due(), (1, 0))
        self.assertEqual(len(self.smtp.wait_for(1)), 1)

    def test_second_failure_waits_twice_as_long(self):
        self.queue_mail()
        before = utcnow()
        self.assertEqual(self.retry("--now").exit_code, 1)
        [queued] = self.outbox()
        self.assertEqual(queued.attempts, 2)
        self.assertGreaterEqual(queued.next_attempt_at, before + retry_delay(2))


class AttemptCapTestCase(OutboxTestCase):
    config = {"FLASKY_MAIL_MAX_ATTEMPTS": 3}

    def test_gives_up_after_the_cap_until_an_operator_says_otherwise(self):
        self.queue_mail()
        for _ in range(4):
            self.retry("--now")
        [queued] = self.outbox()
        self.assertEqual(queued.attempts, 3)
        status = self.cli.invoke(args=["mail", "status"])
        self.assertIn("pending=0 given_up=1", status.output)

        self.smtp.start()
        self.assertIn("sent 0, failed 0", self.retry("--now").output)
        self.assertEqual(self.smtp.messages, [])
        result = self.retry("--given-up")
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(len(self.smtp.wait_for(1)), 1)
        self.assertIn("sent=1 pending=0 given_up=0",
                      self.cli.invoke(args=["mail", "status"]).output)


class PoisonedMailTestCase(OutboxTestCase):
    """One mail that cannot be sent never holds up the others."""

    def poison(self, recipient: str = "jos\u00e9@example.com") -> int:
        """A row as a form that let a non-ASCII local part through would have left it."""
        poisoned = OutboxMail(recipients=recipient, subject="[Flasky] Hello",
                              body_text="Hello", body_html="<p>Hello</p>")
        db.session.add(poisoned)
        db.session.commit()
        return poisoned.id

    def test_the_bad_row_gets_its_error_and_the_next_mail_is_delivered(self):
        self.smtp.start()
        poisoned_id = self.poison()
        self.queue_mail("next@example.com", "next")
        [message] = self.smtp.wait_for(1)
        self.assertEqual(message["To"], "next@example.com")
        poisoned, delivered = self.outbox()
        self.assertEqual(poisoned.id, poisoned_id)
        self.assertIsNone(poisoned.sent_at)
        self.assertEqual(poisoned.attempts, 1)
        self.assertIn("SMTPUTF8", poisoned.last_error)
        self.assertIsNotNone(delivered.sent_at)

    def test_mail_retry_reports_the_bad_row_and_sends_the_rest(self):
        self.poison()
        self.queue_mail("next@example.com", "next")  # the SMTP server is still down
        self.smtp.start()
        result = self.retry("--now")
        self.assertEqual(result.exit_code, 1, result.output)
        self.assertIsInstance(result.exception, SystemExit)  # no traceback
        self.assertIn("sent 1, failed 1", result.output)
        self.assertEqual([message["To"] for message in self.smtp.wait_for(1)],
                         ["next@example.com"])
        self.assertEqual([mail.sent_at is None for mail in self.outbox()], [True, False])

    def test_an_unexpected_error_is_recorded_with_its_type(self):
        self.poison("ann@example.com")
        self.queue_mail("next@example.com", "next")  # both fail: the server is down
        self.smtp.start()
        transmit, calls = mail_delivery._transmit, []

        def fails_once(message) -> None:
            calls.append(message)
            if len(calls) == 1:
                raise RuntimeError("no luck")
            transmit(message)

        with mock.patch("app.mail_delivery._transmit", side_effect=fails_once):
            self.assertEqual(deliver_due(now=True), (1, 1))
        first, second = self.outbox()
        self.assertEqual(first.last_error, "RuntimeError: no luck")
        self.assertIsNotNone(second.sent_at)

    def test_an_international_domain_is_sent_in_its_ascii_form(self):
        self.smtp.start()
        self.queue_mail("ann@stra\u00dfe.de", "ann")  # IDNA 2008: not strasse.de
        [message] = self.smtp.wait_for(1)
        self.assertEqual(message["To"], "ann@xn--strae-oqa.de")
