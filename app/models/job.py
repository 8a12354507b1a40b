"""A unit of work that runs after the request, kept in the database whichever
backend runs it (app/jobs/): its state, progress and failures can be read by
id from any process, and nothing queued is lost when a process dies."""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_at", "state", "run_at"),)

    QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(200), index=True)
    arguments: Mapped[str] = mapped_column(Text, default="[]")  # a JSON list
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=1)
    # While running, other workers leave it alone until then; past it, the
    # worker is presumed dead and the job runs again.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    progress_message: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[str | None] = mapped_column(Text)  # JSON
    last_error: Mapped[str | None] = mapped_column(Text)
    # At most one unfinished job per key (periodic tasks, one export per user).
    unique_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    owner_id: Mapped[int | None] = mapped_column(index=True)  # whose job, for their pages
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def done(self) -> bool:
        return self.state in (Job.FINISHED, Job.FAILED)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.task} {self.state}>"
