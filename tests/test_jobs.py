"""The job layer (app/jobs/): queued with the caller's transaction, run once,
retried with back-off, failures recorded, progress readable by id."""

from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.jobs import enqueue, enqueue_in, job_status
from app.jobs.backends import run_due_jobs
from app.jobs.execution import schedule_periodic
from app.jobs.registry import PERIODIC
from app.models import Job, utcnow
from tests import job_tasks
from tests.base import FlaskyTestCase
from tests.jobs import WorkerTestCase, wait_until


class EagerJobsTestCase(FlaskyTestCase):
    """The testing config runs each committed job at once."""

    def setUp(self) -> None:
        super().setUp()
        job_tasks.forget_runs()

    def test_a_job_runs_once_its_transaction_commits(self):
        job = enqueue(job_tasks.count, "a")
        self.assertEqual(job_tasks.RUNS["a"], 0, "nothing runs before the commit")
        db.session.commit()
        self.assertEqual(job_tasks.RUNS["a"], 1)
        done = job_status(job.id)
        self.assertEqual((done.state, done.progress, done.result),
                         (Job.FINISHED, 100, '"counted a"'))

    def test_a_rolled_back_job_never_runs_and_leaves_no_row(self):
        enqueue(job_tasks.count, "b")
        db.session.rollback()
        self.assertEqual(job_tasks.RUNS["b"], 0)
        self.assertIsNone(db.session.scalar(db.select(Job)))

    def test_a_failing_job_is_retried_with_back_off_then_recorded_as_failed(self):
        job_id = enqueue(job_tasks.always_fails, "c").id
        db.session.commit()
        first = job_status(job_id)
        self.assertEqual((first.state, first.attempts), (Job.QUEUED, 1))
        self.assertEqual(first.last_error, "RuntimeError: c went wrong")
        self.assertGreater(first.run_at, utcnow() + timedelta(seconds=50))
        self.assertEqual(run_due_jobs(), 0, "the retry waits for its back-off")
        for attempt in (2, 3):
            db.session.execute(update(Job).values(run_at=utcnow()))
            db.session.commit()
            self.assertEqual(run_due_jobs(), 1)
            self.assertEqual(job_status(job_id).attempts, attempt)
        failed = job_status(job_id)
        self.assertEqual(failed.state, Job.FAILED)
        self.assertIsNotNone(failed.finished_at)
        self.assertEqual(job_tasks.RUNS["c"], 3)

    def test_progress_is_readable_by_id(self):
        job = enqueue(job_tasks.with_progress, 4)
        db.session.commit()
        self.assertEqual(job_status(job.id).result, "4")

    def test_a_unique_key_allows_one_unfinished_job(self):
        first = enqueue_in(600, job_tasks.count, "d", unique_key="only-one")
        second = enqueue_in(600, job_tasks.count, "d", unique_key="only-one")
        self.assertIsNotNone(first)
        self.assertIsNone(second)
        db.session.commit()
        self.assertEqual(db.session.scalar(db.select(db.func.count(Job.id))), 1)

    def test_the_periodic_mail_retry_is_queued_once(self):
        self.assertIn("app.mail_delivery:retry_mail", PERIODIC)
        first, again = schedule_periodic(), schedule_periodic()
        self.assertEqual(len(first), len(PERIODIC))
        self.assertEqual(again, [])

    def test_flask_worker_without_redis_queues_the_periodic_runs(self):
        """With FLASKY_JOBS_WORKERS=0 it is the only worker, so nobody else would."""
        result = self.app.test_cli_runner().invoke(args=["worker", "--burst"])
        self.assertEqual(result.exit_code, 0, result.output)
        periodic = db.session.scalars(db.select(Job.task).where(
            Job.unique_key.like("periodic:%"))).all()
        self.assertEqual(sorted(periodic), sorted(PERIODIC))

    def test_a_lost_worker_s_job_runs_again_when_its_lease_ends(self):
        job_id = enqueue_in(600, job_tasks.count, "e").id
        db.session.commit()
        db.session.execute(update(Job).values(state=Job.RUNNING, attempts=1,
                                              lease_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        self.assertEqual(run_due_jobs(), 1)
        self.assertEqual(job_status(job_id).state, Job.FINISHED)
        self.assertEqual(job_tasks.RUNS["e"], 1)


class WorkerThreadsTestCase(WorkerTestCase):
    """The embedded backend as deployed: several threads, one run per job."""

    worker_threads = 4

    def setUp(self) -> None:
        super().setUp()
        job_tasks.forget_runs()

    def test_many_jobs_on_four_threads_each_run_exactly_once(self):
        ids = [enqueue(job_tasks.count, f"job-{number}").id for number in range(40)]
        db.session.commit()
        self.start_workers()
        wait_until(lambda: all(self.fresh(Job, job_id).done for job_id in ids),
                   message="the workers did not finish the jobs")
        self.assertEqual(set(job_tasks.RUNS.values()), {1})
        self.assertEqual(len(job_tasks.RUNS), 40)

    def test_a_failing_job_does_not_stop_the_workers(self):
        self.start_workers()
        failing = enqueue(job_tasks.always_fails, "boom").id
        db.session.commit()
        wait_until(lambda: self.fresh(Job, failing).attempts == 1)
        after = enqueue(job_tasks.count, "after").id
        db.session.commit()
        wait_until(lambda: self.fresh(Job, after).state == Job.FINISHED,
                   message="a worker died with the failing job")
        self.assertTrue(all(thread.is_alive() for thread in self.workers.started))


class AdminJobsPageTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.create_user("root", role="Administrator")
        self.login("root@example.com")

    def test_failed_jobs_are_listed_first_and_can_be_retried(self):
        enqueue(job_tasks.count, "fine")
        failing = enqueue(job_tasks.always_fails, "broken")
        db.session.commit()
        db.session.execute(update(Job).where(Job.id == failing.id)
                           .values(state=Job.FAILED, last_error="RuntimeError: broken"))
        db.session.commit()
        page = self.client.get("/admin/jobs").get_data(as_text=True)
        self.assertLess(page.index("RuntimeError: broken"), page.index("counted") if
                        "counted" in page else len(page))
        self.assertIn("Failed (1)", page)
        response = self.client.post(f"/admin/jobs/{failing.id}/retry")
        self.assertRedirectsTo(response, "/admin/jobs")
        self.assertEqual(job_status(failing.id).attempts, 1, "ran again at once (eagerly)")

    def test_only_administrators_see_the_jobs(self):
        self.logout()
        self.create_user("ada")
        self.login("ada@example.com")
        self.assertEqual(self.client.get("/admin/jobs").status_code, 403)
        self.assertEqual(self.client.post("/admin/jobs/1/retry").status_code, 403)


class JobCommandsTestCase(FlaskyTestCase):
    def test_status_and_retry(self):
        cli = self.app.test_cli_runner()
        failing = enqueue(job_tasks.always_fails, "cli")
        db.session.commit()
        db.session.execute(update(Job).values(state=Job.FAILED))
        db.session.commit()
        output = cli.invoke(args=["jobs", "status"]).output
        self.assertIn("failed=1", output)
        self.assertIn("tests.job_tasks:always_fails: failed=1", output)
        self.assertNotEqual(cli.invoke(args=["jobs", "retry"]).exit_code, 0)  # id or --failed
        result = cli.invoke(args=["jobs", "retry", "--failed"])
        self.assertIn("1 job(s) queued again", result.output)
        self.assertEqual(job_status(failing.id).attempts, 1)
        self.assertIn("is not a failed job",
                      cli.invoke(args=["jobs", "retry", str(failing.id)]).output)
