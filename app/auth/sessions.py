"""Signing a browser in and out, with the session kept on the server
(app/models/login_session.py), so that logging out ends the session for
every copy of its cookies."""

from flask import current_app, request
from flask_login import current_user, login_user, logout_user

from app.extensions import db
from app.models import LoginSession, User


def sign_in(user: User, remember: bool) -> None:
    """Open a server-side session for ``user`` and log this browser into it."""
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    user.login_secret = LoginSession.open(user, remember, request.user_agent.string, lifetime,
                                          request.remote_addr)
    db.session.commit()
    login_user(user, remember=remember)


def sign_out() -> None:
    """End this browser's session: its cookies, and any copy of them, stop working."""
    row = getattr(current_user, "login_session", None)
    if row is not None:
        db.session.delete(row)
        db.session.commit()
    logout_user()


def sign_out_everywhere() -> None:
    """End every session of the current user, this one included."""
    LoginSession.end_all(current_user._get_current_object())
    db.session.commit()
    logout_user()


def sign_out_elsewhere() -> None:
    """End every session of the current user but this one."""
    LoginSession.end_all(current_user._get_current_object(), keep=current_user.login_session)
    db.session.commit()


def keep_this_session() -> None:
    """After the user's auth stamp rotated (password or email change), which ends
    every session, carry this browser's session over to the new stamp."""
    row = current_user.login_session
    row.auth_stamp = current_user.auth_stamp
    db.session.commit()
