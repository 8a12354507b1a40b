"""Delivering the outbox: at least once, never twice at the same moment, and one
bad mail never holds up another.

A mail is claimed atomically before each attempt, so two workers never send
it together, and it is marked sent as soon as the SMTP server has accepted
it. When an attempt fails, the row stays pending with its error
(``last_error``: type and message, whatever was raised) and is tried again
with back-off, up to FLASKY_MAIL_MAX_ATTEMPTS; the rest of a batch is still
tried. Recipients go out with their domain in ASCII (IDNA 2008); a local part
that is not ASCII would need SMTPUTF8, which Flasky does not use, so such a
mail fails with that reason (the forms refuse such addresses).
"""

import logging
import smtplib
import sys
from datetime import timedelta

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import func, or_, select, update

from app.email_addresses import EmailAddressError, deliverable_address
from app.extensions import db, mail
from app.jobs import enqueue_at, periodic, task
from app.models import OutboxMail, utcnow

logger = logging.getLogger("flasky.mail")

# While one worker tries a mail, others leave it alone for this long. It must
# exceed the longest SMTP conversation (MAIL_TIMEOUT per socket operation).
CLAIM_SECONDS = 300
# Back-off after a failed attempt: 1, 2, 4, ... minutes, at most an hour.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    seconds = RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def deliver_due(limit: int = 50, now: bool = False, given_up: bool = False) -> tuple[int, int]:
    """Try pending mails; returns (sent, failed).

    By default only mails whose back-off has passed and that have attempts
    left; ``now`` ignores the back-off, ``given_up`` also takes mails that
    reached FLASKY_MAIL_MAX_ATTEMPTS (an operator's decision after an outage).
    """
    query = select(OutboxMail.id).where(*_pending_conditions(now, given_up))
    ids = db.session.scalars(query.order_by(OutboxMail.id).limit(limit)).all()
    db.session.commit()  # do not hold a transaction open while talking SMTP
    results = [_deliver_one_of_many(mail_id, now, given_up) for mail_id in ids]
    return results.count(True), results.count(False)


def _deliver_one_of_many(mail_id: int, now: bool, given_up: bool) -> bool | None:
    """``deliver``, but whatever goes wrong with this mail, the next is tried."""
    try:
        return deliver(mail_id, now=now, given_up=given_up)
    except Exception:  # deliver records its own failures; this is the database failing
        db.session.rollback()
        logger.exception("Mail %s: the attempt could not be recorded", mail_id)
        return False


def _pending_conditions(now: bool, given_up: bool) -> list:
    conditions = [OutboxMail.sent_at.is_(None)]
    if not given_up:
        conditions.append(OutboxMail.attempts < current_app.config["FLASKY_MAIL_MAX_ATTEMPTS"])
    if not now:
        conditions.append(or_(OutboxMail.attempts == 0, OutboxMail.next_attempt_at <= utcnow()))
    return conditions


def _claim(mail_id: int, now: bool, given_up: bool) -> bool:
    """Atomically take the mail for one attempt, so it is never sent twice."""
    claimed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, *_pending_conditions(now, given_up))
        .values(
            attempts=OutboxMail.attempts + 1,
            next_attempt_at=utcnow() + timedelta(seconds=CLAIM_SECONDS),
        )
    )
    db.session.commit()
    return claimed.rowcount == 1


def deliver(mail_id: int, now: bool = False, given_up: bool = False) -> bool | None:
    """Send one outbox mail. True when sent, False when it failed, None when
    there was nothing to do (already sent, not due, or another worker has it)."""
    if not _claim(mail_id, now, given_up):
        return None
    outgoing = db.session.get(OutboxMail, mail_id)
    attempts, recipients = outgoing.attempts, outgoing.recipients
    try:
        message = _message_for(outgoing)
        db.session.commit()  # no transaction stays open during the SMTP conversation
        _transmit(message)
    except Exception as error:  # any failure, expected or not, stays on this mail's row
        db.session.rollback()
        last_error = f"{type(error).__name__}: {error}"[:1000]
        _record(mail_id, last_error=last_error, next_attempt_at=utcnow() + retry_delay(attempts))
        expected = isinstance(error, smtplib.SMTPException | OSError | EmailAddressError)
        logger.log(logging.WARNING if expected else logging.ERROR,
                   "Mail %s to %s not sent (attempt %s): %s", mail_id, recipients, attempts,
                   last_error, exc_info=not expected)
        return False
    _record(mail_id, sent_at=utcnow(), last_error=None)
    return True


def _record(mail_id: int, **values) -> None:
    db.session.execute(update(OutboxMail).where(OutboxMail.id == mail_id).values(**values))
    db.session.commit()


def _message_for(outgoing: OutboxMail) -> Message:
    return Message(
        subject=outgoing.subject,
        sender=current_app.config["FLASKY_MAIL_SENDER"],
        recipients=[deliverable_address(address) for address in outgoing.recipient_list],
        body=outgoing.body_text,
        html=outgoing.body_html,
    )


def _transmit(message: Message) -> None:
    config = current_app.config
    if config["FLASKY_MAIL_TO_CONSOLE"]:
        # No SMTP server in development: show the mail so its link can be followed.
        print(
            f"\n---- mail to {', '.join(message.recipients)} ----\nSubject: {message.subject}"
            f"\n\n{message.body}\n---- end of mail ----\n",
            file=sys.stderr,
            flush=True,
        )
        return
    # Settings are read at send time, so a changed config applies to the next mail.
    settings = mail.init_mail(config, current_app.debug, current_app.testing)
    with TimedConnection(settings, config["MAIL_TIMEOUT"]) as connection:
        connection.send(message)


class TimedConnection(Connection):
    """Flask-Mail's SMTP connection with a socket timeout.

    Flask-Mail opens its socket without one, so a server that accepts the
    connection and then says nothing would hold the delivery thread forever.
    """

    def __init__(self, settings, timeout: float) -> None:
        super().__init__(settings)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=self.timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        """Say goodbye, but a failed QUIT does not undo a mail already accepted."""
        if self.host is None:
            return
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):
            self.host.close()


def outbox_status() -> dict[str, int]:
    """How many mails are sent, pending (will be retried) and given up."""
    max_attempts = current_app.config["FLASKY_MAIL_MAX_ATTEMPTS"]
    rows = db.session.execute(
        select(
            func.count(OutboxMail.sent_at),
            func.count().filter(OutboxMail.sent_at.is_(None), OutboxMail.attempts < max_attempts),
            func.count().filter(OutboxMail.sent_at.is_(None), OutboxMail.attempts >= max_attempts),
        )
    ).one()
    return {"sent": rows[0], "pending": rows[1], "given_up": rows[2]}


@task(attempts=1)
def deliver_mail(mail_id: int) -> bool | None:
    """The job ``send_email`` queues: one attempt; a failure schedules the next
    attempt as a job at the mail's back-off time."""
    sent = deliver(mail_id)
    deliver_due()  # every send is also a retry of what is due
    if sent is False:
        outgoing = db.session.get(OutboxMail, mail_id)
        if outgoing.attempts < current_app.config["FLASKY_MAIL_MAX_ATTEMPTS"]:
            enqueue_at(outgoing.next_attempt_at, deliver_mail, mail_id)
            db.session.commit()
    return sent


@periodic(every=timedelta(seconds=60))
@task(attempts=1)
def retry_mail() -> tuple[int, int]:
    """Every minute: deliver what is due, and once the mail server answers again
    after an outage, everything still waiting for its back-off too, so mail
    queued during the outage goes out within a minute or two, unasked."""
    waiting = db.session.scalar(select(func.count()).where(*_pending_conditions(True, False)))
    db.session.commit()
    if not waiting:
        return 0, 0
    return deliver_due(limit=500, now=server_answers())


def server_answers(timeout: float | None = None) -> bool:
    """Whether the SMTP server accepts a connection (and the login), within
    ``timeout`` seconds (default MAIL_TIMEOUT)."""
    config = current_app.config
    if config["FLASKY_MAIL_TO_CONSOLE"]:
        return True
    settings = mail.init_mail(config, current_app.debug, current_app.testing)
    try:
        with TimedConnection(settings, timeout or config["MAIL_TIMEOUT"]):
            return True
    except (smtplib.SMTPException, OSError):
        return False
