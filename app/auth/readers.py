"""Who is reading, told without loading the signed-in user, for a page the cache
may answer before Flask-Login loads anyone (app/caching/pages.py).

A visitor is anyone whose session names nobody and who holds no remember-me
cookie. A signed-in reader is the ``Viewer`` of their session cookie, read by one
plain query under the rule ``load_user`` follows (app/models/login_session.py),
and only when the gates before every page would let them through untouched:
their last-seen time is not due to move, they may read without confirming, and
no staff rule could stop them. Anyone else is left to Flask-Login and the gates,
which then run as on any request.

A cache hit answered this way skips what Flask-Login does on loading a user
besides checking the session: its ``user_accessed`` signal, and session
protection ("basic" marks a session from another browser not fresh, which only
views that ask for a fresh login look at; those are never cached, and they load
the user, so the check runs there).
"""

from dataclasses import dataclass

from flask import current_app, request, session

from app.auth import gate, two_factor_gate
from app.extensions import login_manager
from app.models.login_session import LoginSession, Viewer

REMEMBER_COOKIE = "remember_token"  # Flask-Login's default name, which Flasky keeps


@dataclass(frozen=True)
class Reader:
    known: bool  # False: only loading the user can tell
    viewer: Viewer | None = None  # None (when known): a visitor


UNKNOWN = Reader(known=False)
VISITOR = Reader(known=True)


def _remembered() -> bool:
    name = current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE)
    return name in request.cookies and session.get("_remember") != "clear"


def reader_without_loading() -> Reader:
    """The request's reader as far as one plain query tells (see above)."""
    cookie_value = session.get("_user_id")
    if cookie_value is None:
        return UNKNOWN if _remembered() else VISITOR
    if not isinstance(cookie_value, str) or login_manager.session_protection == "strong":
        return UNKNOWN
    viewer = LoginSession.viewer(cookie_value)
    if viewer is None or not gate.lets_through(viewer) or not two_factor_gate.lets_through(viewer):
        return UNKNOWN
    return Reader(known=True, viewer=viewer)
