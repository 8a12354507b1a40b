"""The scale-out backend: RQ on Redis (``REDIS_URL``), run by ``flask worker``.

A committed job's id is pushed to RQ (``enqueue_at`` for a later run, which
RQ's scheduler in a worker releases on time); the worker claims the row and
runs it exactly as the embedded threads do, so state, progress, retries and
failures are the same on both. Several app machines and several workers may
share one Redis: RQ is only the transport, the row is the job.

Nothing is lost when Redis is: a push that fails (Redis down) only logs, and
the row stays queued. Every worker sweeps every ``SWEEP_SECONDS``: it queues
the periodic tasks and pushes due rows that no worker claimed within
``LOST_AFTER``, each at most once per ``SWEEP_AGAIN_SECONDS`` across all
workers. A run that is pushed twice still runs once: the claim sees to that.
"""

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.jobs.execution import claim, due, run, schedule_periodic
from app.jobs.queueing import BACKEND, Queued
from app.jobs.registry import task_named
from app.models import Job, utcnow

logger = logging.getLogger("flasky.jobs")
QUEUE_NAME = "flasky"
SWEEP_SECONDS = 15
# A due job not claimed this long after its time is presumed lost by Redis.
LOST_AFTER = timedelta(seconds=30)
# A swept job waiting behind a long queue is not pushed again before this.
SWEEP_AGAIN_SECONDS = 300
SWEPT_KEY = "flasky-jobs:swept:{job_id}:{attempts}"  # outside the page cache's "flasky:"
# RQ keeps nothing of a run (the row has its outcome); a run RQ saw fail (the
# claim or the record of it failed: the database was away) is kept a day.
FAILURE_TTL = 24 * 3600
DEFAULT_LEASE_SECONDS = 600


def redis_connection(url: str) -> Redis:
    """A request pushing a job waits at most this long for a Redis that is away."""
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


class RedisBackend:
    def __init__(self, app: Flask) -> None:
        self.url = app.config["REDIS_URL"]
        self.queue = Queue(QUEUE_NAME, connection=redis_connection(self.url))

    def dispatch(self, jobs: list[Queued]) -> None:
        for job in jobs:
            if not push(self.queue, job.job_id, job.run_at, job.task):
                return  # Redis is away: the others wait for the sweep too


def push(queue: Queue, job_id: int, run_at: datetime, task: str) -> bool:
    """Hand the job to RQ for ``run_at``; False (logged) when Redis did not take it.
    RQ stops a run that outlives the task's lease, when the row says another
    worker may take the job."""
    options = {"job_timeout": _lease_seconds(task), "result_ttl": 0, "failure_ttl": FAILURE_TTL}
    try:
        if run_at > utcnow():
            queue.enqueue_at(run_at, run_job, job_id, **options)
        else:
            queue.enqueue(run_job, job_id, **options)
    except RedisError as error:  # Redis away: the row waits for a worker's sweep
        logger.warning("Could not push job %s to Redis (%s); a worker will sweep it up",
                       job_id, error)
        return False
    except Exception:  # never fail the commit that queued it
        logger.exception("Could not push job %s to Redis; a worker will sweep it up", job_id)
        return False
    return True


def _lease_seconds(task: str) -> int:
    try:
        return max(1, int(task_named(task).lease))
    except (ImportError, KeyError):  # no such task here: the claim will say so, and log it
        return DEFAULT_LEASE_SECONDS


def run_job(job_id: int) -> None:
    """What RQ runs, inside ``flask worker``'s app context: claim the row and
    run it; a retry is pushed for its time, and so is a job that came early."""
    queue = current_app.extensions[BACKEND].queue
    try:
        job = claim(job_id)
        if job is None:
            _push_if_early(queue, job_id)
            return
        task = job.task
        again = run(job)
        if again is not None:
            push(queue, job_id, again, task)
    finally:
        db.session.remove()


def _push_if_early(queue: Queue, job_id: int) -> None:
    """A job pushed before its time by a machine whose clock is ahead waits in
    RQ's schedule rather than for the sweep."""
    row = db.session.execute(
        select(Job.state, Job.run_at, Job.task).where(Job.id == job_id)).first()
    db.session.commit()
    if row is not None and row.state == Job.QUEUED and row.run_at > utcnow():
        push(queue, job_id, row.run_at, row.task)


def sweep(queue: Queue) -> int:
    """Queue the periodic tasks' next runs, and push due jobs that nobody
    claimed in time. Returns how many it pushed."""
    schedule_periodic()
    lost = db.session.execute(
        select(Job.id, Job.task, Job.attempts).where(due(utcnow() - LOST_AFTER))
        .order_by(Job.run_at).limit(500)).all()
    db.session.commit()
    pushed = 0
    for job_id, task, attempts in lost:
        key = SWEPT_KEY.format(job_id=job_id, attempts=attempts)
        try:
            first = queue.connection.set(key, 1, nx=True, ex=SWEEP_AGAIN_SECONDS)
        except RedisError:
            logger.warning("Redis is away: the sweep pushes the due jobs when it is back")
            break
        if first:
            if not push(queue, job_id, utcnow(), task):
                break
            pushed += 1
    return pushed


def sweep_safely(queue: Queue) -> None:
    """``sweep``, logging what went wrong (the database away) instead of raising."""
    try:
        sweep(queue)
    except Exception:
        logger.exception("Job sweep failed; the next one tries again")
        db.session.rollback()
    finally:
        db.session.remove()


def _sweep_forever(app: Flask, queue: Queue, stopping: threading.Event) -> None:
    with app.app_context():
        while not stopping.wait(SWEEP_SECONDS):
            sweep_safely(queue)


def work(app: Flask, burst: bool = False, logging_level: str = "INFO") -> bool:
    """Run an RQ worker (with RQ's scheduler) on Flasky's queue in this process,
    with the sweep on a thread beside it; ``burst``: until the queue is empty.
    True when it ran any job."""
    backend: RedisBackend = app.extensions[BACKEND]
    stopping = threading.Event()
    with app.app_context():
        sweep_safely(backend.queue)
        if not burst:
            threading.Thread(target=_sweep_forever, args=(app, backend.queue, stopping),
                             name="flasky-jobs-sweep", daemon=True).start()
        # A connection of its own: RQ lengthens its socket timeout to wait for jobs.
        connection = redis_connection(backend.url)
        worker = SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
        try:
            return worker.work(burst=burst, with_scheduler=True, logging_level=logging_level)
        finally:
            stopping.set()
