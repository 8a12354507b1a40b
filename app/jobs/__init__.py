"""Work that runs after the request: one interface, two backends.

    from app.jobs import enqueue, enqueue_in, task

    @task(attempts=5, backoff=30)
    def build_export(user_id): ...

    job = enqueue(build_export, user.id)   # in the view's transaction
    db.session.commit()                     # now it runs

A job is a row of ``jobs`` (app/models/job.py) written in the caller's
transaction, so it exists exactly when the change that asked for it does; its
state, progress (``report_progress``) and last error are read from that row by
id in any process. Which process runs it:

* **embedded** (the default, nothing to start): worker threads inside every
  app process poll the table (app/jobs/embedded.py);
* **RQ on Redis** when ``REDIS_URL`` is set: the committed job's id is pushed
  to RQ and ``flask worker`` runs it (app/jobs/redis_queue.py); a push that
  fails (Redis down) is found again by the workers' sweep, so nothing is lost.

Either way a job runs once per attempt (an atomic claim), a failed run is
retried with back-off and then recorded as failed, and ``@periodic`` tasks
run on schedule once across all workers. Tests run jobs eagerly
(``FLASKY_JOBS_EAGER``): each committed job runs at once, on its own thread.
docs/jobs.md explains how to run workers.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from app.extensions import db
from app.jobs.execution import report_progress
from app.jobs.queueing import queue_job
from app.jobs.registry import name_of, periodic, task
from app.models import Job, utcnow

__all__ = ["enqueue", "enqueue_at", "enqueue_in", "job_status", "periodic", "report_progress",
           "task"]


def enqueue(function: Callable, *args: Any, unique_key: str | None = None,
            owner_id: int | None = None) -> Job | None:
    """Queue ``function(*args)`` to run once the caller commits. Arguments must be
    JSON values. None when ``unique_key`` names an unfinished job already."""
    return queue_job(name_of(function), args, unique_key=unique_key, owner_id=owner_id)


def enqueue_at(when: datetime, function: Callable, *args: Any,
               unique_key: str | None = None, owner_id: int | None = None) -> Job | None:
    return queue_job(name_of(function), args, run_at=when, unique_key=unique_key,
                     owner_id=owner_id)


def enqueue_in(delay: timedelta | float, function: Callable, *args: Any,
               unique_key: str | None = None, owner_id: int | None = None) -> Job | None:
    seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
    return enqueue_at(utcnow() + timedelta(seconds=seconds), function, *args,
                      unique_key=unique_key, owner_id=owner_id)


def job_status(job_id: int) -> Job | None:
    """The job's row as it is now (state, progress, result, last_error)."""
    return db.session.get(Job, job_id, populate_existing=True)
