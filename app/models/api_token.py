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
    # The program that asked for it (its User-Agent), to tell tokens apart on the
    # sessions page; and when it was last used, moved at most every TOUCH_INTERVAL.
    name: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    TOUCH_INTERVAL = timedelta(minutes=5)

    user: Mapped["User"] = relationship()

    @staticmethod
    def issue(user: "User", expiration: int, name: str | None = None) -> str:
        token = secrets.token_urlsafe(32)
        db.session.add(
            ApiToken(
                user=user,
                token_hash=_digest(token),
                auth_stamp=user.auth_stamp,
                expires_at=utcnow() + timedelta(seconds=expiration),
                name=(name or "")[:64] or None,
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

    @staticmethod
    def live_of(user: "User") -> list["ApiToken"]:
        """The user's tokens that still work, newest first."""
        return list(db.session.scalars(select(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(), ApiToken.auth_stamp == user.auth_stamp)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))

    def touch(self) -> bool:
        """Note that the token was used now; False (nothing to commit) when it
        was noted less than TOUCH_INTERVAL ago, so busy clients do not write on
        every call."""
        now = utcnow()
        if self.last_used_at is not None and now - self.last_used_at < self.TOUCH_INTERVAL:
            return False
        self.last_used_at = now
        return True

    def revoke(self) -> None:
        self.revoked_at = utcnow()
