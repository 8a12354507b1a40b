"""Queueing a job: a row added in the caller's transaction, handed to the
backend once that transaction commits (and forgotten if it rolls back), the
way mail goes into the outbox. A job is never lost between the two: the row
is the job, and a backend that missed it finds it again when it is due."""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs.registry import task_named
from app.models import Job, utcnow

_TO_DISPATCH = "flasky_jobs_to_dispatch"
BACKEND = "flasky_jobs"  # app.extensions: the backend that runs this app's jobs


class Queued(NamedTuple):
    """A committed job, as its backend is told of it."""

    job_id: int
    run_at: datetime
    task: str


def queue_job(name: str, arguments: Sequence[Any], run_at: datetime | None = None,
              unique_key: str | None = None, owner_id: int | None = None) -> Job | None:
    """Add a job for the task ``name``; None when ``unique_key`` already names an
    unfinished job. (Two requests racing past that check meet the unique
    constraint at commit: commit with ``app.database.committed()``.)"""
    task = task_named(name)
    if unique_key is not None and db.session.scalar(
            select(Job.id).where(Job.unique_key == unique_key)) is not None:
        return None
    job = Job(task=name, arguments=json.dumps(list(arguments)), run_at=run_at or utcnow(),
              max_attempts=task.attempts, unique_key=unique_key, owner_id=owner_id)
    db.session.add(job)
    db.session.flush()  # the id, for the backend once committed
    db.session.info.setdefault(_TO_DISPATCH, []).append(Queued(job.id, job.run_at, name))
    return job


def requeue_failed(job_id: int | None = None) -> int:
    """Queue failed jobs (one, or all) to run again now with fresh attempts, once
    the caller commits; returns how many."""
    query = select(Job.id, Job.task).where(Job.state == Job.FAILED)
    failed = db.session.execute(query.where(Job.id == job_id) if job_id else query).all()
    now = utcnow()
    if failed:
        db.session.execute(update(Job).where(Job.id.in_([row.id for row in failed]),
                                             Job.state == Job.FAILED)
                           .values(state=Job.QUEUED, run_at=now, attempts=0, finished_at=None))
        db.session.info.setdefault(_TO_DISPATCH, []).extend(
            Queued(row.id, now, row.task) for row in failed)
    return len(failed)


def _dispatch_committed(session: Session) -> None:
    jobs = session.info.pop(_TO_DISPATCH, [])
    backend = current_app.extensions.get(BACKEND) if jobs and current_app else None
    if backend is not None:
        backend.dispatch(jobs)


def _forget(session: Session) -> None:
    session.info.pop(_TO_DISPATCH, None)


def listen_for_commits() -> None:
    if not event.contains(Session, "after_commit", _dispatch_committed):
        event.listen(Session, "after_commit", _dispatch_committed)
        event.listen(Session, "after_rollback", _forget)
