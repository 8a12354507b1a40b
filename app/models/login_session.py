"""A signed-in browser, kept on the server so that logging out really ends it.

The session cookie and the remember-me cookie carry ``<user id>:<secret>``;
only a digest of the secret is stored. A cookie works while its row exists
and the row's auth stamp equals the user's: logging out deletes the row,
"log out everywhere" deletes all of the user's rows, and a password or email
change rotates the user's stamp, which ends every row at once (the browser
that made the change is given the new stamp and stays signed in).

Flask-Login loads the user with ``load_user``; a cached page can be answered
before that, for a ``Viewer`` read by one plain query under the same rule
(``_live``): app/auth/readers.py.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, bindparam, delete, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db, login_manager
from app.models.base import UTCDateTime, utcnow
from app.models.role import Role, grants
from app.models.user import User

# A session nobody used for this long is deleted the next time its user signs in.
IDLE_LIFETIME = timedelta(days=30)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parsed(cookie_value: str) -> tuple[int, str] | None:
    """The user id and secret of a cookie's ``<user id>:<secret>``."""
    ident, _, secret = cookie_value.partition(":")
    if not ident.isdigit() or not secret:
        return None
    return int(ident), secret


def _live(user_id: int, row_user_id: int, row_stamp: str, user_stamp: str) -> bool:
    """The rule for a found session: it belongs to the cookie's user, and its auth
    stamp is the user's (a password or email change since has ended it)."""
    return row_user_id == user_id and secrets.compare_digest(row_stamp, user_stamp)


@dataclass(frozen=True)
class Viewer:
    """A signed-in reader as a page cache hit needs them, from one plain query:
    who, in which language and zone, what their role may do, and what the
    gates before every page look at."""

    id: int
    language: str | None
    timezone: str | None
    confirmed: bool
    last_seen: datetime | None
    permissions: int

    @property
    def is_authenticated(self) -> bool:
        return True

    def can(self, perm: int) -> bool:
        return grants(self.permissions, perm)


class LoginSession(db.Model):
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    auth_stamp: Mapped[str] = mapped_column(String(32))
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    # The address it was last used from (moved with last_seen_at), for the sessions page.
    ip_address: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    @staticmethod
    def open(user: User, remember: bool, user_agent: str | None,
             remember_lifetime: timedelta, ip_address: str | None = None) -> str:
        """Add a session for ``user``; returns its secret (the cookie's half)."""
        now = utcnow()
        db.session.execute(delete(LoginSession).where(
            LoginSession.user_id == user.id,
            LoginSession.last_seen_at < now - IDLE_LIFETIME, ~LoginSession.remember))
        db.session.execute(delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.last_seen_at < now - remember_lifetime))
        secret = secrets.token_urlsafe(24)
        db.session.add(LoginSession(user=user, secret_hash=_digest(secret),
                                    auth_stamp=user.auth_stamp, remember=remember,
                                    user_agent=(user_agent or "")[:200] or None,
                                    ip_address=(ip_address or "")[:45] or None))
        return secret

    @staticmethod
    def find(user_id: int, secret: str) -> "LoginSession | None":
        """The live session with this secret, its user loaded in the same query."""
        found = db.session.execute(_BY_SECRET, {"secret_hash": _digest(secret)}).first()
        if found is None:
            return None
        row, user = found
        if not _live(user_id, row.user_id, row.auth_stamp, user.auth_stamp):
            return None
        set_committed_value(row, "user", user)  # loaded already: no lazy load asks again
        return row

    @staticmethod
    def viewer(cookie_value: str) -> Viewer | None:
        """The viewer a session cookie's ``<user id>:<secret>`` signs in while its
        session lives, as plain values (no row is loaded into the ORM session)."""
        parsed = _parsed(cookie_value)
        if parsed is None:
            return None
        user_id, secret = parsed
        found = db.session.connection().execute(
            _VIEWER_BY_SECRET, {"secret_hash": _digest(secret)}).first()
        if found is None or not _live(user_id, found.user_id, found.row_stamp, found.auth_stamp):
            return None
        return Viewer(id=found.user_id, language=found.language, timezone=found.timezone,
                      confirmed=found.confirmed, last_seen=found.last_seen,
                      permissions=found.permissions or 0)

    @staticmethod
    def end_all(user: User, keep: "LoginSession | None" = None) -> None:
        """End every session of ``user``, except ``keep`` when given."""
        statement = delete(LoginSession).where(LoginSession.user_id == user.id)
        if keep is not None:
            statement = statement.where(LoginSession.id != keep.id)
        db.session.execute(statement)

    @staticmethod
    def live_of(user: User) -> list["LoginSession"]:
        """The user's sessions whose cookies still work, last used first."""
        return list(db.session.scalars(select(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.auth_stamp == user.auth_stamp)
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())))


# Built once: every signed-in request asks it first (two entities, no eager-load
# options to resolve, a third cheaper than building the select each time).
_BY_SECRET = (select(LoginSession, User).join(LoginSession.user)
              .where(LoginSession.secret_hash == bindparam("secret_hash")))
# Of the tables, not the models: run on the connection, it skips the ORM's execution
# path (about half of the query's cost on a cache hit).
_SESSIONS, _USERS, _ROLES = LoginSession.__table__, User.__table__, Role.__table__
_VIEWER_BY_SECRET = (
    select(_SESSIONS.c.user_id, _SESSIONS.c.auth_stamp.label("row_stamp"), _USERS.c.auth_stamp,
           _USERS.c.language, _USERS.c.timezone, _USERS.c.confirmed, _USERS.c.last_seen,
           _ROLES.c.permissions)
    .join(_USERS, _USERS.c.id == _SESSIONS.c.user_id)
    .outerjoin(_ROLES, _ROLES.c.id == _USERS.c.role_id)
    .where(_SESSIONS.c.secret_hash == bindparam("secret_hash")))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the cookie's user while its server-side session lives: a session
    that was logged out, or whose stamp is stale (password changed), is gone."""
    parsed = _parsed(user_id)
    if parsed is None:
        return None
    ident, secret = parsed
    row = LoginSession.find(ident, secret)
    if row is None:
        return None
    user = row.user
    user.login_session, user.login_secret = row, secret
    return user
