"""Whole pages, stored once rendered and served until content changes.

A page carries a fresh CSP nonce on every response: the stored copy holds a
placeholder instead, replaced on the way out. Pages that hold anything
personal to one request (a flashed message, an anonymous visitor's CSRF token,
a cookie set by the view) are not stored. Keys come from ``page_keys``.
"""

import hashlib
import hmac

from flask import Response, current_app, g, session
from flask.globals import request_ctx
from flask_login import current_user

from app.caching.page_keys import page_key
from app.caching.stores import get, put
from app.caching.versions import content_version, enabled
from app.templating import csp_nonce


def _nonce_placeholder() -> str:
    """Stands for the nonce in stored pages; derived from the secret key, so every
    worker agrees on it and no one can write it into a post."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"flasky.cached-page-nonce", hashlib.sha256).hexdigest()[:22]


def serve_cached_page() -> Response | None:
    page = page_key() if enabled() else None
    if page is None:
        return None
    key = f"page:{content_version()}:{page}"
    stored = get(key)
    if stored is None:
        g.page_cache_key = key
        return None
    response = current_app.response_class(
        stored.replace(_nonce_placeholder(), csp_nonce()), mimetype="text/html")
    response.headers["X-Flasky-Cache"] = "hit"
    response.vary.add("Cookie")
    return response


def store_page(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
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
    put(key, body.replace(nonce, _nonce_placeholder()) if nonce else body)
    response.headers["X-Flasky-Cache"] = "miss"
    response.vary.add("Cookie")
    return response
