"""Outgoing mail, through an outbox so that nothing is ever lost.

``send_email`` writes the message to the outbox in the same transaction as
the change that caused it (it commits the caller's pending work with it),
then a background thread delivers it. When delivery fails, the row stays
pending with its error; a later send or ``flask mail retry`` tries again
with back-off, up to FLASKY_MAIL_MAX_ATTEMPTS.
"""

import logging
import smtplib
import sys
from collections.abc import Iterable
from datetime import timedelta
from threading import Thread

from flask import Flask, current_app, render_template
from flask_mail import Message
from sqlalchemy import or_, select, update

from app.extensions import db, mail
from app.models import OutboxMail, utcnow

logger = logging.getLogger("flasky.mail")

# While one worker tries a mail, others leave it alone for this long.
CLAIM_SECONDS = 120


def send_email(to: str | Iterable[str], subject: str, template: str, **kwargs) -> Thread:
    """Queue a mail rendered from ``template``.txt/.html and deliver it on a thread."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    recipients = [to] if isinstance(to, str) else list(to)
    outgoing = OutboxMail(
        recipients=",".join(recipients),
        subject=f"{app.config['FLASKY_MAIL_SUBJECT_PREFIX']} {subject}",
        body_text=render_template(f"{template}.txt", **kwargs),
        body_html=render_template(f"{template}.html", **kwargs),
    )
    db.session.add(outgoing)
    db.session.commit()
    thread = Thread(target=_deliver_in_app_context, args=(app, outgoing.id), daemon=True)
    thread.start()
    if app.config["FLASKY_MAIL_SYNC"]:
        thread.join()
    return thread


def _deliver_in_app_context(app: Flask, mail_id: int) -> None:
    with app.app_context():
        try:
            deliver(mail_id)
            deliver_due()
        except Exception:  # the thread must never die silently
            logger.exception("Mail delivery thread failed")
        finally:
            db.session.remove()


def deliver_due(limit: int = 50, ignore_schedule: bool = False) -> tuple[int, int]:
    """Try the pending mails whose next attempt is due; returns (sent, failed)."""
    max_attempts = current_app.config["FLASKY_MAIL_MAX_ATTEMPTS"]
    query = select(OutboxMail.id).where(
        OutboxMail.sent_at.is_(None), OutboxMail.attempts < max_attempts
    )
    if not ignore_schedule:
        query = query.where(OutboxMail.next_attempt_at <= utcnow())
    ids = db.session.scalars(query.order_by(OutboxMail.id).limit(limit)).all()
    results = [deliver(mail_id, ignore_schedule=ignore_schedule) for mail_id in ids]
    return results.count(True), results.count(False)


def _claim(mail_id: int, ignore_schedule: bool) -> bool:
    """Atomically take the mail for one attempt, so it is never sent twice."""
    now = utcnow()
    conditions = [OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None)]
    if not ignore_schedule:
        conditions.append(or_(OutboxMail.attempts == 0, OutboxMail.next_attempt_at <= now))
    claimed = db.session.execute(
        update(OutboxMail)
        .where(*conditions)
        .values(
            attempts=OutboxMail.attempts + 1,
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
        )
    )
    db.session.commit()
    return claimed.rowcount == 1


def deliver(mail_id: int, ignore_schedule: bool = False) -> bool | None:
    """Send one outbox mail. True when sent, False when it failed, None when
    there was nothing to do (already sent, or another worker has it)."""
    if not _claim(mail_id, ignore_schedule):
        return None
    outgoing = db.session.get(OutboxMail, mail_id)
    try:
        _transmit(outgoing)
    except (smtplib.SMTPException, OSError) as error:
        delay = min(60 * 2 ** (outgoing.attempts - 1), 3600)
        outgoing.last_error = f"{type(error).__name__}: {error}"[:1000]
        outgoing.next_attempt_at = utcnow() + timedelta(seconds=delay)
        db.session.commit()
        logger.warning(
            "Mail %s to %s not sent (attempt %s): %s",
            outgoing.id, outgoing.recipients, outgoing.attempts, outgoing.last_error,
        )
        return False
    outgoing.sent_at = utcnow()
    outgoing.last_error = None
    db.session.commit()
    return True


def _transmit(outgoing: OutboxMail) -> None:
    config = current_app.config
    if config["FLASKY_MAIL_TO_CONSOLE"]:
        # No SMTP server in development: show the mail so its link can be followed.
        print(
            f"\n---- mail to {outgoing.recipients} ----\nSubject: {outgoing.subject}\n\n"
            f"{outgoing.body_text}\n---- end of mail ----\n",
            file=sys.stderr,
            flush=True,
        )
        return
    message = Message(
        subject=outgoing.subject,
        sender=config["FLASKY_MAIL_SENDER"],
        recipients=outgoing.recipient_list,
        body=outgoing.body_text,
        html=outgoing.body_html,
    )
    mail.send(message)
