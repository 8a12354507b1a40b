"""Pages rendered once and served from the cache until content changes.

The home page, profiles, post pages and follower lists are stored (Flask-Caching;
where, and why the version is kept apart, see ``app.cache_stores``) under a key
made of a *content version* and the page's key from ``app.page_keys``: the
endpoint, its view arguments and page number, and whom the page is for. Every
anonymous visitor shares one entry per page; a signed-in user's pages are cached
per session, since their forms carry the session's CSRF tokens. A request whose
address carries anything else is answered without the cache, so no client can
add entries.

All workers share the version, and it changes after every commit that wrote any
row a page may show (posts, comments, follows, users, roles; anything but API
tokens, login sessions and the mail outbox): the SQLAlchemy session events below notice the
change, so no view has to remember to invalidate anything. A new post, an edit, a
deletion, a comment, a moderation or a profile change is visible on the next
request. Old entries are never read again and simply expire. Only ``last_seen``
(moved at most every few minutes by ``User.ping``) does not count as a change.

A page carries a fresh CSP nonce on every response: the stored copy holds a
placeholder instead, replaced on the way out. Pages that hold anything personal
to one request (a flashed message, an anonymous visitor's CSRF token, a cookie set
by the view) are not stored.
"""

import functools
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request, session
from flask.globals import request_ctx
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.cache_stores import init_stores, metadata
from app.extensions import cache
from app.models import ApiToken, LoginSession, OutboxMail, User
from app.page_keys import page_key
from app.templating import csp_nonce

logger = logging.getLogger(__name__)

APP_DIRECTORY = Path(__file__).resolve().parent
# Rows no page shows: writing them changes nothing a visitor sees. Every other model
# counts as content, so a table added later invalidates pages without being listed.
QUIET_MODELS = (ApiToken, LoginSession, OutboxMail)
QUIET_TABLES = frozenset(model.__tablename__ for model in QUIET_MODELS)
# User columns whose change no cached page needs to show at once.
QUIET_USER_COLUMNS = frozenset({"last_seen"})
_CHANGED = "flasky_content_changed"


# After a cache failure, the app leaves the cache alone for a while instead of
# waiting for its timeout on every call.
CACHE_RETRY_SECONDS = 10.0


def _cache_call(operation: Any, fallback: Any) -> Any:
    """``operation()``, or ``fallback`` while the cache is down: a cache that is
    down is an empty cache, and an outage must not take the pages with it."""
    state = current_app.extensions.setdefault("flasky_cache_down_until", [0.0])
    if time.monotonic() < state[0]:
        return fallback
    try:
        return operation()
    except Exception:
        state[0] = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning("Cache unavailable; answering without it for %.0f s",
                       CACHE_RETRY_SECONDS, exc_info=True)
        return fallback


def _get(key: str) -> Any:
    return _cache_call(lambda: cache.get(key), None)


def _get_many(keys: list[str]) -> list[Any]:
    if not keys:
        return []
    return _cache_call(lambda: list(cache.get_many(*keys)), [None] * len(keys))


def _set(key: str, value: Any, timeout: int | None = None) -> None:
    _cache_call(lambda: cache.set(key, value, timeout=timeout), None)


@functools.cache
def code_fingerprint() -> str:
    """A digest of the application's code and templates.

    The content version is kept under a key that includes it, so a deploy
    never serves pages rendered by the code it replaced, and machines running
    the same code (sharing a Redis cache) agree on it.
    """
    digest = hashlib.sha256()
    for path in sorted(APP_DIRECTORY.rglob("*")):
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            digest.update(str(path.relative_to(APP_DIRECTORY)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _version_key() -> str:
    return f"content-version:{code_fingerprint()}"


def content_version() -> str:
    """The current content version; every cache key includes it."""
    version = _cache_call(lambda: metadata().get(_version_key()), None)
    if version is None:
        version = content_changed()
    return version


def content_changed() -> str:
    """Start a new content version, so no page cached before is served again.

    Commits through the ORM call this by themselves; call it after writing
    with raw SQL (``flask fake`` does).
    """
    version = secrets.token_hex(8)
    _cache_call(lambda: metadata().set(_version_key(), version, timeout=0), None)
    return version


def enabled() -> bool:
    return current_app.config["FLASKY_CACHE"]


def cached(name: str, compute: Any, timeout: int | None = None) -> Any:
    """``compute()``, remembered under ``name`` until the content changes."""
    if not enabled():
        return compute()
    key = f"{name}:{content_version()}"
    value = _get(key)
    if value is None:
        value = compute()
        _set(key, value, timeout=timeout)
    return value


# -- pages -----------------------------------------------------------------------


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
    stored = _get(key)
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
    _set(key, body.replace(nonce, _nonce_placeholder()) if nonce else body)
    response.headers["X-Flasky-Cache"] = "miss"
    response.vary.add("Cookie")
    return response


# -- post cards ------------------------------------------------------------------


@dataclass
class Card:
    """One post's rendered card: ``html`` when cached, else ``keep`` it once rendered."""

    key: str | None
    html: Markup | None = None

    def keep(self, html: str) -> Markup:
        if self.key is not None:
            _set(self.key, str(html))
        # The card is the output of the autoescaped _post.html template.
        return Markup(html)  # nosec B704


def post_cards(posts: list[Any], comment_counts: dict[int, int]) -> dict[int, Card]:
    """The cached cards of ``posts``, fetched together.

    A card differs between viewers only by its Edit and Delete links, which
    depend on whether the viewer wrote the post and on the viewer's
    permissions; the key holds both, and the content version. The rest of the
    card is the same for everyone until content changes.
    """
    if not enabled():
        return {post.id: Card(None) for post in posts}
    viewer = current_user._get_current_object()
    viewer_id = viewer.id if viewer.is_authenticated else None
    permissions = viewer.role.permissions if viewer_id and viewer.role else 0
    version = content_version()
    keys = {post.id: f"post-card:{version}:{post.id}:{permissions}:"
                     f"{post.author_id == viewer_id:d}" for post in posts}
    values = _get_many(list(keys.values()))
    # Cached cards are written only by Card.keep, from the autoescaped template.
    return {post_id: Card(key, Markup(value) if value is not None else None)  # nosec B704
            for (post_id, key), value in zip(keys.items(), values, strict=True)}


# -- noticing changes ----------------------------------------------------------------


def _changes_content(instance: object, deleted_or_new: bool) -> bool:
    if isinstance(instance, QUIET_MODELS):
        return False
    if deleted_or_new or not isinstance(instance, User):
        return True
    state = inspect(instance)
    return any(state.attrs[key].history.has_changes()
               for key in state.mapper.attrs.keys()
               if key not in QUIET_USER_COLUMNS
               and not getattr(state.mapper.attrs[key], "uselist", False))


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if (any(_changes_content(item, True) for item in chain(session.new, session.deleted))
            or any(_changes_content(item, False) for item in session.dirty)):
        session.info[_CHANGED] = True


def _on_orm_execute(state: Any) -> None:
    """Bulk INSERT, UPDATE and DELETE statements skip the flush; note them here."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table not in QUIET_TABLES:
            state.session.info[_CHANGED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and current_app and enabled():
        content_changed()


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def _listen_once() -> None:
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _on_orm_execute)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)


def conditional_api_response(response: Response) -> Response:
    """ETag on API answers to GET, and 304 when the client already has them.

    (HTML pages carry a fresh CSP nonce each time, so a 304 would pair an old
    body with a new policy; they get no ETag.)
    """
    if (request.method == "GET" and request.blueprint == "api"
            and response.status_code == 200 and response.mimetype == "application/json"
            and not response.direct_passthrough):
        response.add_etag()
        response.make_conditional(request)
    return response


def init_caching(app: Flask) -> None:
    init_stores(app)
    app.add_template_global(post_cards)
    _listen_once()
    app.before_request(serve_cached_page)
    app.after_request(store_page)
    app.after_request(conditional_api_response)

