"""``flask jobs ...`` for operators, and ``flask worker`` to run jobs in a
process of their own (RQ when REDIS_URL is set, else the embedded threads)."""

import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.backends import run_due_jobs
from app.jobs.embedded import schedule_periodic_safely
from app.jobs.queueing import requeue_failed
from app.models import Job

jobs_cli = AppGroup("jobs", help="Inspect and retry background jobs.")


@jobs_cli.command("status")
def status() -> None:
    """Count jobs by state, and by task for those not finished."""
    by_state = dict(db.session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    click.echo(" ".join(f"{state}={by_state.get(state, 0)}"
                        for state in (Job.QUEUED, Job.RUNNING, Job.FINISHED, Job.FAILED)))
    rows = db.session.execute(
        select(Job.task, Job.state, func.count()).where(Job.state != Job.FINISHED)
        .group_by(Job.task, Job.state).order_by(Job.task, Job.state)).all()
    for task, state, count in rows:
        click.echo(f"  {task}: {state}={count}")


@jobs_cli.command("retry")
@click.argument("job_id", type=int, required=False)
@click.option("--failed", is_flag=True, help="Retry every failed job.")
def retry(job_id: int | None, failed: bool) -> None:
    """Queue a failed job (or all of them) to run again now, with fresh attempts."""
    if (job_id is None) == (not failed):
        raise click.UsageError("give a job id or --failed, not both")
    changed = requeue_failed(job_id)
    db.session.commit()  # hands the jobs to the backend (RQ: pushed now, not at the sweep)
    if job_id is not None and not changed:
        raise click.ClickException(f"job {job_id} is not a failed job")
    click.echo(f"{changed} job(s) queued again")


@jobs_cli.command("run")
def run_now() -> None:
    """Run every due job in this process, then stop (for cron or a shell)."""
    schedule_periodic_safely()  # with no worker threads, nothing else queues them
    click.echo(f"ran {run_due_jobs()} job(s)")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs in this process until stopped."""
    app = current_app._get_current_object()
    if app.config["REDIS_URL"]:
        from app.jobs.redis_queue import work

        work(app, burst=burst)
        return
    while True:  # the embedded backend, in the foreground
        schedule_periodic_safely()
        run_due_jobs()
        if burst:
            return
        time.sleep(app.config["FLASKY_JOBS_POLL_SECONDS"])
