"""A finished export of one person's data (app/exports.py): the zip itself,
kept in the database rather than on a disk, so that whichever app server
answers the download has it. It is handed out to its owner only, under an
unguessable token, until it expires a week after it was made."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

LIFETIME = timedelta(days=7)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> datetime:
    return utcnow() + LIFETIME


class DataExport(db.Model):
    __tablename__ = "data_exports"

    LIFETIME = LIFETIME

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The job that built it (its progress page finds it by this); None when
    # built outside a job (flask shell).
    job_id: Mapped[int | None] = mapped_column(unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=_new_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_expiry, index=True)
    size: Mapped[int]
    # Deferred: lists and status checks never load the zip, only the download does.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()

    def __repr__(self) -> str:
        return f"<DataExport {self.id} of user {self.user_id}>"
