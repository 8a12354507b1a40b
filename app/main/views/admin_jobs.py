"""Administration: the background jobs, failed first, then the most recent."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required
from sqlalchemy import case, func, select

from app import audit
from app.decorators import admin_required
from app.extensions import db
from app.forms import EmptyForm
from app.jobs.queueing import requeue_failed
from app.loading import get_or_404
from app.main import bp
from app.models import Job
from app.pagination import page_of

JOBS_PER_PAGE = "FLASKY_FOLLOWERS_PER_PAGE"


def _jobs(state: str | None):
    failed_first = case((Job.state == Job.FAILED, 0), else_=1)
    query = select(Job).order_by(failed_first, Job.created_at.desc(), Job.id.desc())
    return query.where(Job.state == state) if state else query


@bp.route("/admin/jobs")
@login_required
@admin_required
def admin_jobs():
    state = request.args.get("state")
    state = state if state in (Job.QUEUED, Job.RUNNING, Job.FINISHED, Job.FAILED) else None
    counts = dict(db.session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    pagination = page_of(_jobs(state), JOBS_PER_PAGE)
    return render_template("admin/jobs.html", title=_("Jobs"), jobs=pagination.items,
                           pagination=pagination, counts=counts, state=state)


@bp.route("/admin/jobs/<int:id>/retry", methods=["POST"])
@login_required
@admin_required
def retry_job(id: int):
    job = get_or_404(Job, id)
    if EmptyForm().validate_on_submit() and requeue_failed(job.id):
        audit.record(current_user, audit.RETRY_JOB, target=f"job:{job.id}", details=job.task)
        db.session.commit()
        flash(_("Job %(id)s will run again.", id=id), "success")
    return redirect(url_for("main.admin_jobs"))
