"""A person's second factor: their TOTP secret (encrypted, app/auth/two_factor.py
holds the key) and their single-use recovery codes (only digests stored).

Kept out of ``users`` so that only signing in and the settings pages read it:
one row per user, created when setting up starts and confirmed by a first code.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class TwoFactor(db.Model):
    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Fernet token of the base32 secret; an authenticator app holds the secret itself.
    secret_encrypted: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None while the person has not yet proven their app with a first code.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time step whose code was accepted: that code and older ones never work again.
    last_used_step: Mapped[int | None] = mapped_column(Integer)

    @property
    def enabled(self) -> bool:
        return self.confirmed_at is not None

    @staticmethod
    def of(user_id: int) -> "TwoFactor | None":
        return db.session.get(TwoFactor, user_id)


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @staticmethod
    def find(user_id: int, code_hash: str) -> "RecoveryCode | None":
        return db.session.scalar(select(RecoveryCode).where(
            RecoveryCode.user_id == user_id, RecoveryCode.code_hash == code_hash))

    @staticmethod
    def unused_count(user_id: int) -> int:
        return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
            RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))) or 0

    @staticmethod
    def replace_all(user_id: int, code_hashes: list[str]) -> None:
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        db.session.add_all(RecoveryCode(user_id=user_id, code_hash=digest)
                           for digest in code_hashes)
