"""The scale-out backend: RQ on Redis (``REDIS_URL``), run by ``flask worker``.

A committed job's id is pushed to RQ (``enqueue_at`` for a later run, which
RQ's scheduler in the worker releases on time); the worker claims the row
and runs it exactly as the embedded threads do, so state, progress,
retries and failures are the same on both. Several app machines and several
workers may share one Redis. A push that fails (Redis down) only logs: the
row stays queued, and every worker's sweep (``SWEEP_SECONDS``) pushes due
rows that no worker has claimed, and queues the periodic tasks.
"""

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.jobs.execution import claim, due, run, schedule_periodic
from app.models import Job, utcnow

logger = logging.getLogger("flasky.jobs")
QUEUE_NAME = "flasky"
SWEEP_SECONDS = 15
# A due job not claimed this long after its time is presumed lost by Redis.
LOST_AFTER = timedelta(seconds=30)


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


class RedisBackend:
    def __init__(self, app: Flask) -> None:
        self.queue = Queue(QUEUE_NAME, connection=redis_connection(app.config["REDIS_URL"]))

    def dispatch(self, jobs: list[tuple[int, datetime]]) -> None:
        for job_id, run_at in jobs:
            push(self.queue, job_id, run_at)


def push(queue: Queue, job_id: int, run_at: datetime) -> None:
    try:
        if run_at > utcnow() + timedelta(seconds=1):
            queue.enqueue_at(run_at, run_job, job_id)
        else:
            queue.enqueue(run_job, job_id)
    except Exception:  # Redis down: the row waits for a worker's sweep
        logger.warning("Could not push job %s to Redis; a worker will sweep it up", job_id,
                       exc_info=True)


def run_job(job_id: int) -> None:
    """What RQ runs: claim the row and run it; a retry is pushed for its time."""
    try:
        job = claim(job_id)
        again = run(job) if job is not None else None
        if again is not None:
            push(current_app.extensions["flasky_jobs"].queue, job_id, again)
    finally:
        db.session.remove()


def sweep(queue: Queue) -> int:
    """Push due jobs that nobody claimed in time, and queue periodic runs."""
    schedule_periodic()
    lost = db.session.scalars(select(Job.id).where(
        due(utcnow() - LOST_AFTER)).order_by(Job.run_at).limit(500)).all()
    db.session.commit()
    for job_id in lost:
        push(queue, job_id, utcnow())
    return len(lost)


def _sweep_forever(app: Flask, queue: Queue, stopping: threading.Event) -> None:
    with app.app_context():
        while not stopping.wait(SWEEP_SECONDS):
            try:
                sweep(queue)
            except Exception:
                logger.exception("Job sweep failed")
                db.session.rollback()
            finally:
                db.session.remove()


def work(app: Flask, burst: bool = False) -> None:
    """Run an RQ worker (with RQ's scheduler) for Flasky's queue in this process."""
    backend: RedisBackend = app.extensions["flasky_jobs"]
    stopping = threading.Event()
    sweeper = threading.Thread(target=_sweep_forever, args=(app, backend.queue, stopping),
                               daemon=True)
    sweeper.start()
    with app.app_context():
        sweep(backend.queue)
        worker = SimpleWorker([backend.queue], connection=backend.queue.connection)
        try:
            worker.work(burst=burst, with_scheduler=True)
        finally:
            stopping.set()
