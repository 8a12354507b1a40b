"""Sending mail: ``send_email`` renders a message into the outbox, in the
caller's transaction, with the job that delivers it (app/jobs/).

It never commits: the view (or the one function that owns the use case)
commits the mail with the change that caused it, so a mail is sent exactly
when that change is kept, and not at all when it is rolled back. The job
runs on a background worker (app/mail_delivery.py holds the delivery, its
retries with back-off and the periodic retry).
"""

from collections.abc import Iterable

from flask import current_app, render_template

from app.extensions import db
from app.jobs import enqueue
from app.languages import for_reader
from app.mail_delivery import deliver_mail
from app.models import Job, OutboxMail


def send_email(to: str | Iterable[str], subject: str, template: str, **kwargs) -> Job:
    """Queue a mail rendered from ``template``.txt/.html; returns the job that
    delivers it once the caller commits.

    The subject (a lazy ``_l(...)`` string) and both bodies are written in the
    language and time zone of the mail's reader, the ``user`` the templates are
    given, whoever the request that sends it is for."""
    recipients = [to] if isinstance(to, str) else list(to)
    with for_reader(kwargs.get("user")):
        outgoing = OutboxMail(
            recipients=",".join(recipients),
            subject=f"{current_app.config['FLASKY_MAIL_SUBJECT_PREFIX']} {subject}",
            body_text=render_template(f"{template}.txt", **kwargs),
            body_html=render_template(f"{template}.html", **kwargs),
        )
    db.session.add(outgoing)
    db.session.flush()  # the id, for the job; nothing is committed here
    return enqueue(deliver_mail, outgoing.id)
