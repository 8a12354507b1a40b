"""Tests whose jobs run on real worker threads, as deployed, instead of eagerly."""

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.extensions import db
from app.jobs.embedded import EmbeddedWorkers
from tests.base import FlaskyTestCase


def wait_until(condition: Callable[[], object], timeout: float = 20, message: str = "") -> object:
    """Poll ``condition`` until it is true (returned) or ``timeout`` passes (an
    AssertionError): tests wait for the event they expect, never for a race."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or f"still not true after {timeout} s")
        time.sleep(0.05)


class WorkerTestCase(FlaskyTestCase):
    """A file database (each worker thread has its own connection) and the
    embedded backend, with one worker thread polling every 50 ms."""

    worker_threads = 1

    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.config = {**self.config, "FLASKY_JOBS_EAGER": False,
                       "FLASKY_JOBS_WORKERS": self.worker_threads,
                       "FLASKY_JOBS_POLL_SECONDS": 0.05,
                       "SQLALCHEMY_DATABASE_URI":
                           f"sqlite:///{Path(self.tmp.name) / 'jobs.sqlite'}"}
        super().setUp()
        self.workers: EmbeddedWorkers = self.app.extensions["flasky_jobs"].workers

    def start_workers(self) -> None:
        self.workers.start()

    def tearDown(self) -> None:
        self.workers.stop()
        super().tearDown()
        self.tmp.cleanup()

    def fresh(self, model, id_: int):
        db.session.expire_all()
        return db.session.get(model, id_)
