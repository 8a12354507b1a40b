"""Choosing who runs this app's jobs, once per app (``init_jobs``).

* tests (``FLASKY_JOBS_EAGER``): each committed job runs at once, on its own
  thread with its own session, and the commit waits for it;
* ``REDIS_URL`` set: jobs are pushed to RQ for ``flask worker``;
* otherwise the embedded worker threads, started in serving processes
  (gunicorn workers, ``flask run``), not in other ``flask`` commands.
"""

import logging
import threading
from datetime import datetime

import click
from flask import Flask

from app.extensions import db
from app.jobs.embedded import EmbeddedWorkers, run_one_safely
from app.jobs.execution import claim, run
from app.jobs.queueing import BACKEND, listen_for_commits
from app.jobs.registry import import_task_modules
from app.models import utcnow

logger = logging.getLogger("flasky.jobs")


class EagerBackend:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def dispatch(self, jobs: list[tuple[int, datetime]]) -> None:
        due = [job_id for job_id, run_at in jobs if run_at <= utcnow()]
        for job_id in due:
            thread = threading.Thread(target=self._run, args=(job_id,))
            thread.start()
            thread.join()

    def _run(self, job_id: int) -> None:
        with self.app.app_context():
            try:
                job = claim(job_id)
                if job is not None:
                    run(job)
            finally:
                db.session.remove()


class EmbeddedBackend:
    def __init__(self, app: Flask) -> None:
        self.workers = EmbeddedWorkers(app, app.config["FLASKY_JOBS_WORKERS"],
                                       app.config["FLASKY_JOBS_POLL_SECONDS"])

    def dispatch(self, jobs: list[tuple[int, datetime]]) -> None:
        self.workers.wake.set()


def _serving() -> bool:
    """Whether this process serves requests (gunicorn, ``flask run``), rather than
    running another command (``flask deploy``, ``flask shell``)."""
    context = click.get_current_context(silent=True)
    return context is None or context.info_name == "run"


def init_jobs(app: Flask) -> None:
    listen_for_commits()
    import_task_modules()
    if app.config["FLASKY_JOBS_EAGER"]:
        app.extensions[BACKEND] = EagerBackend(app)
    elif app.config["REDIS_URL"]:
        from app.jobs.redis_queue import RedisBackend

        app.extensions[BACKEND] = RedisBackend(app)
    else:
        backend = EmbeddedBackend(app)
        app.extensions[BACKEND] = backend
        if app.config["FLASKY_JOBS_WORKERS"] > 0 and _serving():
            backend.workers.start()


def run_due_jobs(limit: int = 1000) -> int:
    """Run due jobs in this thread until none is left (tests, ``flask jobs run``)."""
    ran = 0
    while ran < limit and run_one_safely():
        ran += 1
    return ran
