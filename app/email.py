"""Sending mail: ``send_email`` renders a message into the outbox, in the
caller's transaction, and its delivery starts once that transaction commits.

It never commits: the view (or the one function that owns the use case)
commits the mail with the change that caused it, so a mail is sent exactly
when that change is kept, and not at all when it is rolled back. Delivery
runs on a background thread (app/mail_delivery.py); every send is also a
retry of whatever else is due.
"""

import logging
from collections.abc import Callable, Iterable
from threading import Thread

from flask import Flask, Response, after_this_request, current_app, render_template
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.mail_delivery import deliver_new
from app.models import OutboxMail

logger = logging.getLogger("flasky.mail")
_TO_DELIVER = "flasky_mail_to_deliver"


def send_email(to: str | Iterable[str], subject: str, template: str, **kwargs) -> Thread:
    """Queue a mail rendered from ``template``.txt/.html; returns the thread that
    will deliver it once the caller commits (started then, joined at once in tests)."""
    recipients = [to] if isinstance(to, str) else list(to)
    outgoing = OutboxMail(
        recipients=",".join(recipients),
        subject=f"{current_app.config['FLASKY_MAIL_SUBJECT_PREFIX']} {subject}",
        body_text=render_template(f"{template}.txt", **kwargs),
        body_html=render_template(f"{template}.html", **kwargs),
    )
    db.session.add(outgoing)
    db.session.flush()  # the id, for the delivery; nothing is committed here
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    thread = Thread(target=_run_in_app_context, args=(app, deliver_new, (outgoing.id,)),
                    daemon=True)
    db.session.info.setdefault(_TO_DELIVER, []).append(thread)
    return thread


def _start_deliveries(session: Session) -> None:
    threads = session.info.pop(_TO_DELIVER, [])
    for thread in threads:
        thread.start()
    if threads and current_app.config["FLASKY_MAIL_SYNC"]:
        for thread in threads:
            thread.join()  # tests see the outcome at once


def _forget_deliveries(session: Session) -> None:
    session.info.pop(_TO_DELIVER, None)


def listen_for_commits() -> None:
    if not event.contains(Session, "after_commit", _start_deliveries):
        event.listen(Session, "after_commit", _start_deliveries)
        event.listen(Session, "after_rollback", _forget_deliveries)


def after_response(job: Callable[..., object], *args: object) -> None:
    """Run ``job(*args)`` on a thread once this request's answer has been sent,
    so nothing the job does can change how long the answer took. With
    FLASKY_MAIL_SYNC (tests) it runs at once and the request waits for it."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["FLASKY_MAIL_SYNC"]:
        _start(app, job, args).join()
        return

    def when_sent(response: Response) -> Response:
        response.call_on_close(lambda: _start(app, job, args))
        return response

    after_this_request(when_sent)


def _start(app: Flask, job: Callable[..., object], args: tuple) -> Thread:
    thread = Thread(target=_run_in_app_context, args=(app, job, args), daemon=True)
    thread.start()
    return thread


def _run_in_app_context(app: Flask, job: Callable[..., object], args: tuple) -> None:
    with app.app_context():
        try:
            job(*args)
        except Exception:  # the thread must never die silently
            logger.exception("Background mail job %s failed", getattr(job, "__name__", job))
        finally:
            db.session.remove()
