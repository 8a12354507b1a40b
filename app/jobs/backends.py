"""Choosing who runs this app's jobs, once per app (``init_jobs``).

* tests (``FLASKY_JOBS_EAGER``): each committed job runs at once, on its own
  thread with its own session, and the commit waits for it;
* ``REDIS_URL`` set: jobs are pushed to RQ for ``flask worker``;
* otherwise the embedded worker threads, started in serving processes only:
  by gunicorn when a worker boots (gunicorn.conf.py) and by flasky.py's app
  on its first request (``flask run``); never by other ``flask`` commands or
  by apps that tests create.
"""

import logging
import threading

from flask import Flask

from app.extensions import db
from app.jobs.embedded import EmbeddedWorkers, run_one_safely
from app.jobs.execution import claim, run
from app.jobs.queueing import BACKEND, Queued, listen_for_commits
from app.jobs.registry import import_task_modules
from app.models import utcnow

logger = logging.getLogger("flasky.jobs")


class EagerBackend:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def dispatch(self, jobs: list[Queued]) -> None:
        due = [job.job_id for job in jobs if job.run_at <= utcnow()]
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

    def dispatch(self, jobs: list[Queued]) -> None:
        self.workers.wake.set()


def init_jobs(app: Flask) -> None:
    listen_for_commits()
    import_task_modules()
    if app.config["FLASKY_JOBS_EAGER"]:
        app.extensions[BACKEND] = EagerBackend(app)
    elif app.config["REDIS_URL"]:
        from app.jobs.redis_queue import RedisBackend

        app.extensions[BACKEND] = RedisBackend(app)
    else:
        app.extensions[BACKEND] = EmbeddedBackend(app)


def start_in_process_workers(app: Flask) -> bool:
    """Start this process's embedded worker threads (once); False when another
    backend runs the jobs or FLASKY_JOBS_WORKERS is 0."""
    backend = app.extensions.get(BACKEND)
    if not isinstance(backend, EmbeddedBackend) or app.config["FLASKY_JOBS_WORKERS"] < 1:
        return False
    backend.workers.start()
    return True


def run_jobs_in_this_process(app: Flask) -> None:
    """For a serving entry point (flasky.py): start the workers with the first
    request, so ``flask run`` needs nothing else (gunicorn starts them at boot)."""

    def start_workers() -> None:
        start_in_process_workers(app)

    app.before_request(start_workers)


def run_due_jobs(limit: int = 1000) -> int:
    """Run due jobs in this thread until none is left (tests, ``flask jobs run``)."""
    ran = 0
    while ran < limit and run_one_safely(own_session=False):
        ran += 1
    return ran
