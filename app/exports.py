"""Export my data: a zip of a person's profile, posts, comments and follows,
built by a job, announced by mail and kept for a week (app/models/export.py).

The job never holds a write lock while it works: it reads in batches of a
fixed size (keyset queries, each its own short read), writes the zip to a
temporary file (app/export_archive.py), then stores the finished zip together
with the mail that announces it in one short transaction. One export runs at
a time per person (the job's unique key); a new one replaces their earlier
exports, so each person keeps at most one. Pages and API share what is here.
"""

import tempfile
from dataclasses import dataclass
from datetime import timedelta

from flask import Response, current_app
from flask_babel import _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.email import send_email
from app.export_archive import write_archive
from app.extensions import db
from app.jobs import enqueue, periodic, report_progress, task
from app.jobs.execution import current_job_id
from app.languages import for_reader
from app.links import link_base, links_based_at
from app.models import DataExport, Job, User, utcnow

# Expired exports deleted per transaction: each row holds a whole zip.
CLEANUP_BATCH = 50

MESSAGES = {
    Job.QUEUED: _l("Waiting to start."),
    Job.RUNNING: _l("Collecting your data."),
    Job.FINISHED: _l("Your export is ready."),
    Job.FAILED: _l("The export failed. Please start a new one."),
    "expired": _l("This export has expired or was replaced by a newer one. "
                  "Please start a new one."),
}


def unique_key(user_id: int) -> str:
    return f"export:{user_id}"


def start_export(user: User) -> Job | None:
    """Queue an export of ``user``'s data, to run once the caller commits (with
    ``app.database.committed()``: a racing request may meet the unique key
    there). None when one is under way already, or when a racing request's
    job met this one's at the flush (the session is then rolled back)."""
    try:
        return enqueue(build_export, user.id, link_base(), unique_key=unique_key(user.id),
                       owner_id=user.id)
    except IntegrityError:
        db.session.rollback()
        return None


def running_export(user: User) -> int | None:
    """The id of ``user``'s export job that has not finished yet, if any."""
    return db.session.scalar(select(Job.id).where(Job.unique_key == unique_key(user.id)))


def export_job(job_id: int, user: User) -> Job | None:
    """The export job ``job_id`` when it is ``user``'s, read as it is now."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.owner_id != user.id or job.task != build_export.task_name:
        return None
    return job


def live_export(user: User, token: str | None = None, job_id: int | None = None
                ) -> DataExport | None:
    """``user``'s unexpired export with this token (or built by this job), or
    their latest one when neither is given."""
    query = select(DataExport).where(DataExport.user_id == user.id,
                                     DataExport.expires_at > utcnow())
    if token is not None:
        query = query.where(DataExport.token == token)
    if job_id is not None:
        query = query.where(DataExport.job_id == job_id)
    return db.session.scalar(query.order_by(DataExport.created_at.desc()).limit(1))


@dataclass(frozen=True)
class ExportStatus:
    state: str  # a job state, or "expired" when its export is gone
    progress: int
    message: str
    export: DataExport | None

    @property
    def done(self) -> bool:
        return self.state != Job.QUEUED and self.state != Job.RUNNING


def status_of(job: Job, user: User) -> ExportStatus:
    export = live_export(user, job_id=job.id) if job.state == Job.FINISHED else None
    state = "expired" if job.state == Job.FINISHED and export is None else job.state
    message = MESSAGES[state]
    if state == Job.RUNNING and job.progress_message:
        message = job.progress_message
    return ExportStatus(state, job.progress, message, export)


def download_response(export: DataExport, user: User) -> Response:
    """The zip as an attachment, never cached along the way."""
    response = current_app.response_class(export.data, mimetype="application/zip")
    name = f"flasky-{user.username}-{export.created_at:%Y-%m-%d}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@task(attempts=3, backoff=30)
def build_export(user_id: int, base_url: str) -> int | None:
    """Build and store the zip; returns the export's id (None: nobody to export)."""
    job_id = current_job_id.get()
    if job_id is not None:  # a retry after the zip was stored: nothing to redo
        done = db.session.scalar(select(DataExport.id).where(DataExport.job_id == job_id))
        if done is not None:
            return done
    user = db.session.get(User, user_id)
    if user is None or user.deleting:
        return None
    with tempfile.TemporaryFile() as file, for_reader(user):  # progress in their language
        write_archive(user, file, report_progress)
        report_progress(95, _("Saving your export."))
        file.seek(0)
        data = file.read()
    return _store(user_id, job_id, data, base_url)


def _store(user_id: int, job_id: int | None, data: bytes, base_url: str) -> int | None:
    """One short transaction: the export in, earlier ones out, and the mail."""
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None or user.deleting:
        db.session.rollback()
        return None
    db.session.execute(delete(DataExport).where(DataExport.user_id == user_id))
    now = utcnow()
    export = DataExport(user_id=user_id, job_id=job_id, data=data, size=len(data),
                        created_at=now, expires_at=now + DataExport.LIFETIME)
    db.session.add(export)
    db.session.flush()
    with links_based_at(base_url):
        send_email(user.email, _l("Your data export is ready"), "email/export_ready", user=user,
                   export=export)
    db.session.commit()
    return export.id


@periodic(every=timedelta(hours=1))
@task(attempts=1)
def delete_expired_exports() -> int:
    """Delete the exports whose week is over, a few per transaction."""
    deleted = 0
    while ids := db.session.scalars(
            select(DataExport.id).where(DataExport.expires_at <= utcnow())
            .order_by(DataExport.id).limit(CLEANUP_BATCH)).all():
        db.session.execute(delete(DataExport).where(DataExport.id.in_(ids)))
        db.session.commit()
        deleted += len(ids)
    return deleted
