"""The embedded backend: worker threads inside each app process, taking due
jobs from the database. Nothing to start: every gunicorn worker (and
``flask run``) runs a few threads, and the atomic claim makes each job run
once however many there are. A queued job wakes this process's threads at
once; other processes see it at their next poll."""

import logging
import threading

from flask import Flask

from app.extensions import db
from app.jobs.execution import claim, run, schedule_periodic

logger = logging.getLogger("flasky.jobs")


class EmbeddedWorkers:
    def __init__(self, app: Flask, threads: int, poll_seconds: float) -> None:
        self.app = app
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.started: list[threading.Thread] = []
        self.starting = threading.Lock()

    def start(self) -> None:
        """Start the threads, unless they run already (a second call does nothing)."""
        with self.starting:
            if not self.started:
                self._start_threads()

    def _start_threads(self) -> None:
        for number in range(self.threads):
            thread = threading.Thread(target=self._work, name=f"flasky-jobs-{number}",
                                      daemon=True)
            thread.start()
            self.started.append(thread)

    def stop(self, timeout: float = 5) -> None:
        self.stopping.set()
        self.wake.set()
        for thread in self.started:
            thread.join(timeout)

    def _work(self) -> None:
        with self.app.app_context():
            schedule_periodic_safely()
            while not self.stopping.is_set():
                if not run_one_safely():
                    self.wake.wait(self.poll_seconds)
                    self.wake.clear()
                    schedule_periodic_safely()


def run_one_safely(own_session: bool = True) -> bool:
    """Claim and run one due job; False when there was none. Never raises: a
    worker thread outlives any job and any database outage. A worker thread
    owns its session and removes it after each job; a caller sharing its
    session (``run_due_jobs``) keeps it."""
    try:
        job = claim()
        if job is None:
            return False
        run(job)
        return True
    except Exception:
        logger.exception("Job worker: could not claim or record a job")
        db.session.rollback()
        return False
    finally:
        if own_session:
            db.session.remove()


def schedule_periodic_safely() -> None:
    try:
        schedule_periodic()
    except Exception:
        logger.exception("Job worker: could not schedule the periodic tasks")
        db.session.rollback()
