"""The second step of logging in, for accounts with two-factor authentication.

Between a right password and a right code the browser holds only a note in
its (signed) session cookie: which account, until when, and what to do once
the code is right. Nobody is logged in meanwhile, so the note opens no page,
no API call and no setting; it names the account only to the code page and
its limits. It expires after PENDING_LIFETIME, and a password or email change
(a new auth stamp) or a suspension in the meantime voids it.
"""

import time
from datetime import timedelta

from flask import session

from app.auth.redirects import safe_next_url
from app.auth.sessions import sign_in
from app.extensions import db
from app.models import User
from app.social.suspensions import is_suspended

PENDING_KEY = "two_factor_pending"
PENDING_LIFETIME = timedelta(minutes=5)


def begin(user: User, remember: bool, next_url: str | None) -> None:
    """Remember that ``user`` gave the right password; the code comes next."""
    session[PENDING_KEY] = {
        "user": user.id, "stamp": user.auth_stamp, "remember": bool(remember),
        "next": safe_next_url(next_url),
        "until": int(time.time() + PENDING_LIFETIME.total_seconds()),
    }


def pending_user_id() -> int | None:
    """The account the note names, unchecked (the code-entry limit's key)."""
    note = session.get(PENDING_KEY)
    user_id = note.get("user") if isinstance(note, dict) else None
    return user_id if isinstance(user_id, int) else None


def pending_user() -> User | None:
    """The account waiting for its code, or None when there is no live note."""
    note = session.get(PENDING_KEY)
    if not isinstance(note, dict) or not isinstance(note.get("until"), int):
        return None
    if note["until"] < time.time():
        forget()
        return None
    user_id = pending_user_id()
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.deleting or user.auth_stamp != note.get("stamp") \
            or is_suspended(user):
        forget()
        return None
    return user


def forget() -> None:
    session.pop(PENDING_KEY, None)


def finish(user: User) -> str | None:
    """The code was right: log ``user`` in as the password step asked; returns
    where to go next (a path on this site), if anywhere."""
    note = session.pop(PENDING_KEY, {})
    sign_in(user, remember=bool(note.get("remember")))
    return safe_next_url(note.get("next"))
