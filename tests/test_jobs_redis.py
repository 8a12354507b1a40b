"""The job layer on its scale-out backend, RQ on a real Redis (``REDIS_URL``):
the behaviours of tests/test_jobs.py and tests/test_mail_jobs.py again, with
jobs pushed at commit and run by an RQ worker, plus Redis going away.

The worker runs in this process in burst mode (until the queue is empty),
so RQ's scheduler releases delayed pushes only as a worker starts: the tests
make time pass by moving a job's ``run_at`` and its place in RQ's schedule.
Redis is TEST_REDIS_URL or one this run starts (tests/redisserver.py).
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from datetime import timedelta
from pathlib import Path

from rq.job import Job as RQJob
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs import enqueue, job_status
from app.jobs import redis_queue as rq_backend
from app.jobs.execution import schedule_periodic
from app.jobs.registry import PERIODIC
from app.models import Job, OutboxMail, utcnow
from tests import job_tasks
from tests.base import FlaskyTestCase
from tests.jobs import wait_until
from tests.redisserver import RedisServer, flush, shared_redis_url, unavailable_reason
from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parent.parent
RETRY_MAIL = "app.mail_delivery:retry_mail"
NO_REDIS = unavailable_reason()
NO_OWN_REDIS = unavailable_reason(own_server=True)


def _postgres_under_test() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


@unittest.skipIf(NO_REDIS, NO_REDIS)
class RedisJobsTestCase(FlaskyTestCase):
    """Jobs on RQ; the database is one each worker connects to on its own (the
    suite's PostgreSQL, else a SQLite file)."""

    def redis_url(self) -> str:
        return shared_redis_url()

    def setUp(self) -> None:
        url = self.redis_url()
        flush(url)
        self.tmp = tempfile.TemporaryDirectory()
        self.config = {**type(self).config, "FLASKY_JOBS_EAGER": False, "REDIS_URL": url}
        if not _postgres_under_test():
            self.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{self.tmp.name}/jobs.sqlite"
        super().setUp()
        self.queue = self.app.extensions["flasky_jobs"].queue
        job_tasks.forget_runs()

    def tearDown(self) -> None:
        super().tearDown()
        self.queue.connection.close()
        self.tmp.cleanup()

    # -- helpers -------------------------------------------------------------

    def work(self) -> bool:
        """A burst of ``flask worker``: RQ's scheduler releases what is due, the
        sweep runs once, then every queued job; True when it ran any."""
        handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
        try:
            return rq_backend.work(self.app, burst=True, logging_level="WARNING")
        finally:
            for number, handler in handlers.items():  # RQ installs its own
                signal.signal(number, handler)

    def fresh(self, job_id: int) -> Job:
        return job_status(job_id)

    def scheduled(self) -> dict[str, int]:
        """RQ's schedule: RQ job id -> the Flasky job id it runs."""
        registry = ScheduledJobRegistry(queue=self.queue)
        ids = registry.get_job_ids(cleanup=False)
        return {rq_id: RQJob.fetch(rq_id, connection=self.queue.connection).args[0]
                for rq_id in ids}

    def time_passes(self, *job_ids: int, overdue: bool = False) -> None:
        """The back-off of these jobs is over (``overdue``: for longer than the
        sweep waits for a worker to claim them), and so is their place in RQ's
        schedule."""
        run_at = utcnow() - (rq_backend.LOST_AFTER + timedelta(seconds=1) if overdue
                             else timedelta(seconds=1))
        db.session.execute(update(Job).where(Job.id.in_(job_ids)).values(run_at=run_at))
        db.session.commit()
        registry = ScheduledJobRegistry(queue=self.queue)
        for rq_id, job_id in self.scheduled().items():
            if job_id in job_ids:
                self.queue.connection.zadd(registry.key, {rq_id: 0})

    def sweep(self) -> int:
        try:
            return rq_backend.sweep(self.queue)
        finally:
            db.session.remove()


class RQJobsTestCase(RedisJobsTestCase):
    def test_a_committed_job_is_pushed_and_runs_once(self):
        job = enqueue(job_tasks.count, "a")
        self.assertEqual(self.queue.count, 0, "nothing is pushed before the commit")
        db.session.commit()
        self.assertEqual(self.queue.count, 1)
        self.assertEqual(job_tasks.RUNS["a"], 0, "the worker runs it, not the request")
        self.assertTrue(self.work())
        done = self.fresh(job.id)
        self.assertEqual((done.state, done.progress, done.result, done.attempts),
                         (Job.FINISHED, 100, '"counted a"', 1))
        self.assertFalse(self.work())
        self.assertEqual(job_tasks.RUNS["a"], 1)

    def test_a_rolled_back_job_is_never_pushed(self):
        enqueue(job_tasks.count, "b")
        db.session.rollback()
        self.assertEqual((self.queue.count, self.scheduled()), (0, {}))
        self.assertIsNone(db.session.scalar(select(Job)))
        self.work()
        self.assertEqual(job_tasks.RUNS["b"], 0)

    def test_a_failing_job_is_retried_with_back_off_then_recorded_as_failed(self):
        job_id = enqueue(job_tasks.always_fails, "c").id
        db.session.commit()
        with self.assertLogs("flasky.jobs", "WARNING"):
            self.work()
        first = self.fresh(job_id)
        self.assertEqual((first.state, first.attempts), (Job.QUEUED, 1))
        self.assertEqual(first.last_error, "RuntimeError: c went wrong")
        self.assertGreater(first.run_at, utcnow() + timedelta(seconds=50))
        self.assertIn(job_id, self.scheduled().values(), "the retry waits in RQ's schedule")
        self.work()
        self.assertEqual(job_tasks.RUNS["c"], 1, "the retry waits for its back-off")

        self.time_passes(job_id)  # RQ's scheduler releases the second attempt
        with self.assertLogs("flasky.jobs", "WARNING"):
            self.work()
        self.assertEqual(self.fresh(job_id).attempts, 2)

        # The third: as if Redis had lost the push, the sweep finds the row.
        self.time_passes(job_id, overdue=True)
        self.assertEqual(self.sweep(), 1)
        with self.assertLogs("flasky.jobs", "ERROR") as logged:
            self.work()
        self.assertIn("failed for good after 3 attempts", logged.output[-1])
        failed = self.fresh(job_id)
        self.assertEqual((failed.state, failed.attempts), (Job.FAILED, 3))
        self.assertIsNotNone(failed.finished_at)
        self.assertEqual(job_tasks.RUNS["c"], 3)

        # The push for the third attempt is still in RQ's schedule: it runs nothing.
        self.time_passes(job_id)
        self.work()
        self.assertEqual(job_tasks.RUNS["c"], 3)
        self.assertEqual(self.fresh(job_id).state, Job.FAILED)

    def test_progress_is_readable_by_id(self):
        job = enqueue(job_tasks.with_progress, 4)
        db.session.commit()
        self.work()
        done = self.fresh(job.id)
        self.assertEqual((done.result, done.progress, done.progress_message),
                         ("4", 100, "step 4 of 4"))

    def test_progress_is_readable_by_id_from_elsewhere_while_it_runs(self):
        job_id = enqueue(job_tasks.stops_halfway).id
        db.session.commit()
        job_tasks.HALFWAY.clear()
        seen = {}

        def another_process() -> None:  # its own session, as a page asking would have
            with self.app.app_context():
                try:
                    job = wait_until(lambda: (row := job_status(job_id)).progress and row)
                    seen.update(state=job.state, progress=job.progress,
                                message=job.progress_message)
                finally:
                    db.session.remove()
                    job_tasks.HALFWAY.set()

        reader = threading.Thread(target=another_process)
        reader.start()
        self.work()
        reader.join(30)
        self.assertEqual(seen, {"state": Job.RUNNING, "progress": 50, "message": "halfway"})
        self.assertEqual(self.fresh(job_id).result, '"done"')

    def test_a_job_pushed_twice_runs_once(self):
        job_id = enqueue(job_tasks.count, "twice").id
        db.session.commit()
        rq_backend.push(self.queue, job_id, utcnow(), "tests.job_tasks:count")
        self.assertEqual(self.queue.count, 2)
        self.work()
        self.assertEqual(job_tasks.RUNS["twice"], 1)

    def test_a_job_that_comes_early_waits_in_rq_s_schedule(self):
        """A machine whose clock is ahead pushes a job before its time."""
        job_id = enqueue(job_tasks.count, "early").id
        db.session.execute(update(Job).values(run_at=utcnow() + timedelta(seconds=60)))
        db.session.commit()  # pushed to run now, but due in a minute
        self.work()
        self.assertEqual(job_tasks.RUNS["early"], 0)
        self.assertIn(job_id, self.scheduled().values())
        self.time_passes(job_id)
        self.work()
        self.assertEqual(job_tasks.RUNS["early"], 1)

    def test_a_lost_worker_s_job_is_swept_up_when_its_lease_ends(self):
        job_id = enqueue(job_tasks.count, "e").id
        db.session.commit()
        self.queue.empty()  # the worker that took it died with it
        db.session.execute(update(Job).values(
            state=Job.RUNNING, attempts=1,
            lease_until=utcnow() - rq_backend.LOST_AFTER - timedelta(seconds=1)))
        db.session.commit()
        self.assertEqual(self.sweep(), 1)
        self.assertEqual(self.sweep(), 0, "swept once, not at every sweep")
        self.work()
        self.assertEqual((self.fresh(job_id).state, job_tasks.RUNS["e"]), (Job.FINISHED, 1))

    def test_a_retry_from_the_command_line_is_pushed_at_once(self):
        job_id = enqueue(job_tasks.count, "f").id
        db.session.commit()
        self.queue.empty()
        db.session.execute(update(Job).values(state=Job.FAILED, attempts=1))
        db.session.commit()
        result = self.app.test_cli_runner().invoke(args=["jobs", "retry", str(job_id)])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(self.queue.count, 1)
        self.work()
        self.assertEqual(self.fresh(job_id).state, Job.FINISHED)


class RQPeriodicTestCase(RedisJobsTestCase):
    def periodic_rows(self) -> list[Job]:
        db.session.expire_all()
        return db.session.scalars(select(Job).where(Job.unique_key.like("periodic:%"))).all()

    def test_two_workers_racing_queue_each_periodic_run_once(self):
        """Another worker's row for the next run is not committed yet when this
        one looks: this one's INSERT meets it at the unique key, and gives way."""
        with Session(db.engine) as other:
            other.add(Job(task=RETRY_MAIL, unique_key=f"periodic:{RETRY_MAIL}",
                          run_at=utcnow() + PERIODIC[RETRY_MAIL], max_attempts=1))
            other.flush()
            outcome = {}

            def this_worker() -> None:
                with self.app.app_context():
                    try:
                        outcome["queued"] = schedule_periodic()
                    except Exception as error:  # what the test reports
                        outcome["error"] = error
                    finally:
                        db.session.remove()

            thread = threading.Thread(target=this_worker)
            thread.start()
            time.sleep(0.5)  # it looked, found nothing, and waits at its INSERT
            other.commit()
            thread.join(30)
        self.assertNotIn("error", outcome)
        rows = self.periodic_rows()
        self.assertEqual(sorted(row.unique_key for row in rows),
                         sorted(f"periodic:{name}" for name in PERIODIC))
        raced = [row.id for row in rows if row.task == RETRY_MAIL]
        self.assertFalse(set(raced) & set(outcome["queued"]), "both workers queued the run")

    def test_two_flask_workers_queue_each_periodic_task_once(self):
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith(("FLASK", "TEST_"))}
        environment.update({
            "FLASK_CONFIG": "production", "SECRET_KEY": "s" * 64, "CACHE_DIR": self.tmp.name,
            "DATABASE_URL": self.app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": self.app.config["REDIS_URL"]})
        command = [sys.executable, "-m", "flask", "--app", "flasky", "worker", "--burst"]
        workers = [subprocess.Popen(command, cwd=ROOT, env=environment, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                   for _ in range(2)]
        outputs = [worker.communicate(timeout=60)[0] for worker in workers]
        for worker, output in zip(workers, outputs, strict=True):
            self.assertEqual(worker.returncode, 0, output)
            self.assertNotIn("Traceback", output)
        rows = self.periodic_rows()
        self.assertEqual(sorted(row.task for row in rows), sorted(PERIODIC))
        self.assertEqual(sorted(self.scheduled().values()), sorted(row.id for row in rows),
                         "each run is pushed once, for its time")


@unittest.skipIf(NO_OWN_REDIS, NO_OWN_REDIS)
class RedisDownTestCase(RedisJobsTestCase):
    """A Redis of the test's own, which it stops: Flasky is configured for it."""

    def redis_url(self) -> str:
        self.redis = RedisServer().__enter__()
        self.addCleanup(self.redis.__exit__)
        return self.redis.url

    def setUp(self) -> None:
        super().setUp()
        self.smtp = SMTPServer().start()
        self.addCleanup(self.smtp.stop)
        self.app.config.update(self.smtp.app_config())

    def register(self):
        return self.client.post("/auth/register", data={
            "email": "ann@example.com", "username": "ann",
            "password": self.password, "password2": self.password})

    def test_a_job_queued_while_redis_is_down_runs_once_it_is_back(self):
        self.redis.stop()
        with self.assertLogs("flasky.jobs", "WARNING") as logged:
            self.assertRedirectsTo(self.register(), "/auth/unconfirmed")
        self.assertIn("Could not push job", logged.output[0])
        [job] = db.session.scalars(select(Job)).all()
        job_id = job.id
        self.assertEqual(job.state, Job.QUEUED)
        with self.assertLogs("flasky.jobs", "WARNING"):
            self.assertEqual(self.sweep(), 0, "the sweep waits for Redis too")

        self.redis.start()
        self.assertEqual(self.sweep(), 0, "not lost yet: a worker may still take it")
        self.time_passes(job_id, overdue=True)
        self.assertEqual(self.sweep(), 1)
        self.work()
        [message] = self.smtp.wait_for(1)
        self.assertEqual(message["To"], "ann@example.com")
        self.assertEqual(self.fresh(job_id).state, Job.FINISHED)
        self.assertIsNotNone(db.session.scalar(select(OutboxMail.sent_at)))


class RQMailTestCase(RedisJobsTestCase):
    """tests/test_mail_jobs.py on RQ: mail queued while SMTP is down goes out
    by itself once it is back, with no command and no traffic."""

    def setUp(self) -> None:
        super().setUp()
        self.smtp = SMTPServer(free_port())  # not started: the mail server is down
        self.addCleanup(self.smtp.stop)
        self.app.config.update(self.smtp.app_config())

    def mail(self) -> OutboxMail:
        db.session.expire_all()
        return db.session.scalar(select(OutboxMail))

    def test_a_mail_queued_while_smtp_was_down_goes_out_by_itself(self):
        self.assertRedirectsTo(self.client.post("/auth/register", data={
            "email": "ann@example.com", "username": "ann",
            "password": self.password, "password2": self.password}), "/auth/unconfirmed")
        with self.assertLogs("flasky.mail", "WARNING"):
            self.work()
        self.assertIsNotNone(self.mail().last_error, "the first attempt never ran")
        self.assertIsNone(self.mail().sent_at)
        periodic = db.session.scalar(select(Job.id).where(
            Job.unique_key == f"periodic:{RETRY_MAIL}"))
        self.assertIn(periodic, self.scheduled().values(), "the worker queued the retry")

        self.smtp.start()  # the server is back; nobody runs a command or visits
        self.time_passes(periodic)  # a minute passes: the periodic retry is due
        self.work()
        [message] = self.smtp.wait_for(1, timeout=20)
        self.assertEqual(message["To"], "ann@example.com")
        self.assertIsNotNone(self.mail().sent_at)

        # The mail's own retry, an hour on, finds it sent.
        self.time_passes(*db.session.scalars(select(Job.id).where(Job.state == Job.QUEUED)))
        self.work()
        self.assertEqual(len(self.smtp.messages), 1)
