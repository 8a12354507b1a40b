"""Running a job exactly once: claimed by an atomic UPDATE, run inside the app
context, then finished, retried with back-off, or recorded as failed.

A claim takes a lease (the task's ``lease`` seconds); a job whose lease ran
out while ``running`` belonged to a worker that died, and is claimed again.
Two workers racing for one job both issue the UPDATE; the database lets
exactly one of them match.
"""

import json
import logging
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jobs.queueing import queue_job
from app.jobs.registry import PERIODIC, task_named
from app.models import Job, utcnow

logger = logging.getLogger("flasky.jobs")
current_job_id: ContextVar[int | None] = ContextVar("current_job_id", default=None)


def due(now: datetime) -> Any:
    return or_(and_(Job.state == Job.QUEUED, Job.run_at <= now),
               and_(Job.state == Job.RUNNING, Job.lease_until < now))


def claim(job_id: int | None = None) -> Job | None:
    """Take ``job_id`` (or the next due job) for one run; None when it is not due
    or another worker has it."""
    now = utcnow()
    query = select(Job.id, Job.task).where(due(now))
    query = query.where(Job.id == job_id) if job_id else query.order_by(Job.run_at, Job.id)
    row = db.session.execute(query.limit(1)).first()
    if row is None:
        db.session.commit()
        return None
    lease = timedelta(seconds=task_named(row.task).lease)
    claimed = db.session.execute(
        update(Job).where(Job.id == row.id, due(now))
        .values(state=Job.RUNNING, attempts=Job.attempts + 1, lease_until=now + lease,
                started_at=now))
    db.session.commit()
    return db.session.get(Job, row.id) if claimed.rowcount == 1 else None


def run(job: Job) -> datetime | None:
    """Run a claimed job. Returns when it is to run again (a retry), else None."""
    job_id, name, attempts = job.id, job.task, job.attempts
    task = task_named(name)
    token = current_job_id.set(job_id)
    try:
        result = task.function(*json.loads(job.arguments))
    except Exception as error:
        db.session.rollback()
        return _failed(job_id, task, attempts, error)
    finally:
        current_job_id.reset(token)
    _record(job_id, state=Job.FINISHED, progress=100, result=json.dumps(result, default=str),
            finished_at=utcnow(), lease_until=None, unique_key=None, last_error=None)
    return _schedule_next(name)


def _failed(job_id: int, task: Any, attempts: int, error: Exception) -> datetime | None:
    message = f"{type(error).__name__}: {error}"[:2000]
    if attempts < task.attempts:
        run_at = utcnow() + task.retry_delay(attempts)
        logger.warning("Job %s (%s) failed, attempt %s of %s; again at %s: %s",
                       job_id, task.name, attempts, task.attempts, run_at, message)
        _record(job_id, state=Job.QUEUED, run_at=run_at, lease_until=None, last_error=message)
        return run_at
    logger.error("Job %s (%s) failed for good after %s attempts: %s",
                 job_id, task.name, attempts, message, exc_info=error)
    _record(job_id, state=Job.FAILED, finished_at=utcnow(), lease_until=None,
            unique_key=None, last_error=message)
    return None


def _record(job_id: int, **values: Any) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()


def _schedule_next(name: str) -> None:
    if name in PERIODIC:
        schedule_periodic(only=name)


def schedule_periodic(only: str | None = None) -> list[int]:
    """Make sure each periodic task has its next run queued (one across all
    workers: the unique key refuses a second). Returns the ids it queued."""
    queued = []
    for name in PERIODIC:
        if only is None or name == only:
            job_id = _queue_next_run(name)
            if job_id is not None:
                queued.append(job_id)
    return queued


def _queue_next_run(name: str) -> int | None:
    """None when the next run is queued already, or another worker queued it a
    moment ago: its row meets ours at the unique key (at the INSERT, which the
    flush for the id sends, or at the commit)."""
    try:
        job = queue_job(name, [], run_at=utcnow() + PERIODIC[name],
                        unique_key=f"periodic:{name}")
        job_id = job.id if job is not None else None
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return job_id


def report_progress(percent: float, message: str | None = None) -> None:
    """From inside a task: how far it is. This commits, so call it between units
    of the task's work (each of which commits its own changes)."""
    job_id = current_job_id.get()
    if job_id is None:
        return
    _record(job_id, progress=max(0, min(100, int(percent))),
            progress_message=(message or "")[:200] or None)
