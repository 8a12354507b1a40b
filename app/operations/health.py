"""The machinery's figures, for the dashboard and the metrics alike: the mail
outbox, the background jobs, federation's deliveries and the database's size. Each is one small
aggregate query on indexed columns."""

from typing import Any

from flask import current_app
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Delivery, Job, OutboxMail, utcnow

JOB_STATES = (Job.QUEUED, Job.RUNNING, Job.FAILED, Job.FINISHED)


def outbox() -> dict[str, Any]:
    """Mails pending (to be tried again), given up, and the oldest one waiting."""
    max_attempts = current_app.config["FLASKY_MAIL_MAX_ATTEMPTS"]
    waiting = OutboxMail.sent_at.is_(None)
    pending, given_up, oldest = db.session.execute(select(
        func.count().filter(OutboxMail.attempts < max_attempts),
        func.count().filter(OutboxMail.attempts >= max_attempts),
        func.min(OutboxMail.created_at),
    ).where(waiting)).one()
    age = (utcnow() - oldest).total_seconds() if oldest is not None else None
    return {"pending": pending, "given_up": given_up, "oldest_pending": oldest,
            "oldest_pending_seconds": age}


def job_counts() -> dict[str, int]:
    """Background jobs by state (every state named, zero when none)."""
    counted = dict(db.session.execute(
        select(Job.state, func.count()).group_by(Job.state)).all())
    return {state: counted.get(state, 0) for state in JOB_STATES}


def deliveries() -> dict[str, Any]:
    """Federation's deliveries to other servers: waiting (with the oldest), delivered
    and failed for good."""
    counted = dict(db.session.execute(
        select(Delivery.state, func.count()).group_by(Delivery.state)).all())
    oldest = db.session.scalar(select(func.min(Delivery.created))
                               .where(Delivery.state == Delivery.QUEUED))
    return {"queued": counted.get(Delivery.QUEUED, 0),
            "delivered": counted.get(Delivery.DELIVERED, 0),
            "failed": counted.get(Delivery.FAILED, 0), "oldest_queued": oldest}


def database_size() -> int | None:
    """The database's size in bytes (None where it cannot be asked)."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        pages = db.session.execute(text("PRAGMA page_count")).scalar()
        page_size = db.session.execute(text("PRAGMA page_size")).scalar()
        return int(pages) * int(page_size)
    if dialect == "postgresql":
        return int(db.session.execute(
            text("SELECT pg_database_size(current_database())")).scalar())
    return None
