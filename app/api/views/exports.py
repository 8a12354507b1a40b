"""Exports of the caller's own data (app/exports.py): started as a job,
polled at its URL until done, then downloaded as a zip for a week."""

from flask import abort, url_for

from app import exports
from app.access import acting_user
from app.api import bp
from app.api.serializers import export_to_json
from app.database import committed
from app.models import Job


def _own_export(id: int) -> Job:
    job = exports.export_job(id, acting_user())
    if job is None:
        abort(404, "there is no such export of yours")
    return job


@bp.post("/exports/")
def start_export():
    user = acting_user()
    job = exports.start_export(user)
    if job is None or not committed():
        running = exports.running_export(user)
        where = f": {url_for('api.get_export', id=running, _external=True)}" if running else ""
        abort(409, f"an export of your data is being prepared already{where}")
    return (export_to_json(job.id, exports.status_of(job, user)), 202,
            {"Location": url_for("api.get_export", id=job.id, _external=True)})


@bp.get("/exports/<int:id>")
def get_export(id: int):
    return export_to_json(id, exports.status_of(_own_export(id), acting_user()))


@bp.get("/exports/<int:id>/download")
def download_export(id: int):
    user = acting_user()
    status = exports.status_of(_own_export(id), user)
    if status.export is None:
        abort(404, "this export is not ready yet, or it has expired")
    return exports.download_response(status.export, user)
