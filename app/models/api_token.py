import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.user import User


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """An API bearer token. Only its SHA-256 digest is stored.

    A token is dead once it expires, is revoked, or its user's auth stamp
    changes (password or email changed).
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    auth_stamp: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()

    @staticmethod
    def issue(user: "User", expiration: int) -> str:
        token = secrets.token_urlsafe(32)
        db.session.add(
            ApiToken(
                user=user,
                token_hash=_digest(token),
                auth_stamp=user.auth_stamp,
                expires_at=utcnow() + timedelta(seconds=expiration),
            )
        )
        return token

    @staticmethod
    def find(token: str) -> "ApiToken | None":
        """The live token row for ``token``, or None."""
        if not token or len(token) > 200:
            return None
        row = db.session.scalar(select(ApiToken).options(joinedload(ApiToken.user))
                                .where(ApiToken.token_hash == _digest(token)))
        if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
            return None
        if row.user.auth_stamp != row.auth_stamp:
            return None
        return row

    @staticmethod
    def user_for(token: str) -> "User | None":
        row = ApiToken.find(token)
        return row.user if row is not None else None

    def revoke(self) -> None:
        self.revoked_at = utcnow()
