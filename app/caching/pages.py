"""Whole pages, stored once rendered and served while what they show is unchanged.

A page's entry records the tags of every row its rendering loaded, the lists it
declares (``page_keys.PAGES``) and, for a signed-in viewer, the viewer
(``entries``); a hit is a page none of them moved since.

A page carries a fresh CSP nonce on every response: the stored copy holds a
placeholder instead, replaced on the way out. Pages that hold anything
personal to one request (a flashed message, an anonymous visitor's CSRF token,
a cookie set by the view) are not stored. Keys come from ``page_keys``.

Two hooks answer hits. ``serve_page_to_known_reader`` runs before the gates and
before anyone is loaded: for a visitor, or a signed-in reader told by one plain
query whom the gates would let through (app/auth/readers.py), a hit costs no ORM
row (loading the user and their role was about a quarter of a signed-in hit).
``serve_cached_page`` runs after the gates for everyone else, with the loaded
user, and starts recording a page that is not stored.
"""

import hashlib
import hmac

from flask import Response, current_app, g, request, session
from flask.globals import request_ctx
from flask_login import current_user

from app.auth.readers import reader_without_loading
from app.caching.changes import MODERATORS
from app.caching.entries import (
    begin_request,
    enabled,
    keep,
    key_for,
    read_fresh,
    request_stamp,
    start_recording,
    stop_recording,
)
from app.caching.page_keys import PAGES, page_key
from app.models import Permission, User
from app.templating import csp_nonce


def _nonce_placeholder() -> str:
    """Stands for the nonce in stored pages; derived from the secret key, so every
    worker agrees on it and no one can write it into a post."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"flasky.cached-page-nonce", hashlib.sha256).hexdigest()[:22]


def _declared_tags() -> list[str]:
    """What a page shows that its rendering cannot record as rows load: the lists
    it declares (``page_keys.PAGES``), the profile it lists, and the viewer."""
    reads = PAGES[request.endpoint]
    tags = list(reads.lists)
    if reads.profile:
        user = User.by_username(request.view_args["username"])
        tags += [f"profile:{user.id}"] if user is not None else []
    if current_user.is_authenticated:  # the navbar, the Followed tab's follows, and
        # anything shown to this viewer alone (``viewer:<id>``, see ``changes``)
        viewer = current_user.id
        tags += [f"user:{viewer}", f"profile:{viewer}", f"viewer:{viewer}"]
        if current_user.can(Permission.MODERATE):  # what moderators alone are shown
            tags.append(MODERATORS)
    return tags


def _hit(stored: str) -> Response:
    response = current_app.response_class(
        stored.replace(_nonce_placeholder(), csp_nonce()), mimetype="text/html")
    response.headers["X-Flasky-Cache"] = "hit"  # Vary: Cookie comes with every response
    return response


def serve_page_to_known_reader() -> Response | None:
    """The first page hook: a hit for a reader known without loading anyone."""
    begin_request()
    if not enabled() or request.method != "GET" or request.endpoint not in PAGES:
        return None
    reader = reader_without_loading()
    page = page_key(reader.viewer) if reader.known else None
    if page is None:
        return None
    key = key_for("page", page)
    stored = read_fresh(key)
    if stored is None:
        g.page_cache_missed = key  # serve_cached_page need not ask again
        return None
    return _hit(stored)


def serve_cached_page() -> Response | None:
    """After the gates, with the user loaded: a hit, or the page's recording begins."""
    page = page_key(current_user) if enabled() else None
    if page is None:
        return None
    key = key_for("page", page)
    stored = read_fresh(key) if g.pop("page_cache_missed", None) != key else None
    if stored is None:
        request_stamp()  # before the view reads anything
        g.page_cache = (key, start_recording(*_declared_tags()))
        return None
    return _hit(stored)


def store_page(response: Response) -> Response:
    key, shown = g.pop("page_cache", (None, None))
    if shown is not None:
        stop_recording(shown)
    if (key is None or response.status_code != 200 or response.mimetype != "text/html"
            or response.direct_passthrough or "Set-Cookie" in response.headers
            or request_ctx.flashes):
        return response
    body = response.get_data(as_text=True)
    token = g.get("csrf_token")
    if current_user.is_anonymous and token and token in body:  # a form for one visitor
        return response
    if current_user.is_authenticated and session.modified:  # keyed by the old session
        return response
    nonce = g.get("csp_nonce")
    keep(key, body.replace(nonce, _nonce_placeholder()) if nonce else body, shown,
         request_stamp())
    response.headers["X-Flasky-Cache"] = "miss"
    return response
