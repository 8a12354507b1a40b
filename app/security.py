"""Security headers, checks on hostile requests, and abuse limits, in one place.

Every response carries a Content-Security-Policy whose script nonce is the
one templates print with ``csp_nonce()``, plus the usual hardening headers.
The rate limits are decorators for views (``login_limit`` etc.); their
values come from the ``FLASKY_RATELIMIT_*`` settings, so deployments can
tune them without code changes. docs/security.md gives the whole picture.
"""

import base64
import hashlib
import logging
import math
import re
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

from app.extensions import limiter
from app.templating import csp_nonce

GRAVATAR_ORIGIN = "https://secure.gravatar.com"
logger = logging.getLogger(__name__)


def _style_attribute_hash(style: str) -> str:
    digest = hashlib.sha256(style.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Flask-Moment hides each timestamp with style="display: none" until its script
# renders it. Allowing exactly that attribute by hash keeps style-src free of
# 'unsafe-inline' (no other inline style can apply).
MOMENT_STYLE = _style_attribute_hash("display: none")

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)

# -- headers -----------------------------------------------------------------


def content_security_policy(nonce: str, gravatar: bool = False) -> str:
    """The policy for one response: only Flasky's own scripts, styles and frames."""
    images = "'self' data:" + (f" {GRAVATAR_ORIGIN}" if gravatar else "")
    directives = [
        ("default-src", "'self'"),
        ("script-src", f"'self' 'nonce-{nonce}'"),
        ("style-src", f"'self' 'unsafe-hashes' {MOMENT_STYLE}"),
        ("img-src", images),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'none'"),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


def add_security_headers(response: Response) -> Response:
    """Set the hardening headers a view has not set itself."""
    headers = response.headers
    config = current_app.config
    headers.setdefault(
        "Content-Security-Policy",
        content_security_policy(csp_nonce(), gravatar=config["FLASKY_GRAVATAR"]),
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if config["FLASKY_HSTS_SECONDS"] > 0:
        headers.setdefault("Strict-Transport-Security", f"max-age={config['FLASKY_HSTS_SECONDS']}")
    if response.status_code == 429:
        _add_retry_after(response)
    return response


def _add_retry_after(response: Response) -> None:
    """Tell a throttled client when the limit it hit frees up again."""
    if "Retry-After" in response.headers:
        return
    current = limiter.current_limit
    seconds = math.ceil(current.window.reset_time - time.time()) if current is not None else 60
    response.headers["Retry-After"] = str(max(1, seconds))


# -- hostile input -----------------------------------------------------------


# A JSON \u0000 escape, not preceded by an escaped backslash ("\\u0000" is text).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _contains_nul(values: Any) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def reject_nul_characters() -> None:
    """Answer 400 to NUL characters in the URL, query or form.

    No Flasky text field can hold one, and PostgreSQL refuses them in text
    columns, which would otherwise turn a crafted request into a 500.
    """
    if "\x00" in request.path or _contains_nul(request.args.values()):
        abort(400, "The address contains a NUL character.")
    if request.method in ("POST", "PUT", "PATCH"):
        if request.is_json and JSON_NUL.search(request.get_data(cache=True)):
            abort(400, "The request body contains a NUL character.")
        if _contains_nul(request.form.values()):
            abort(400, "The form contains a NUL character.")


DEFAULT_PORTS = {"http": 80, "https": 443}
HOST_AND_PORT = re.compile(r"(\[[0-9a-f:.]*\]|[^:\[\]]+)(?::([0-9]{1,5}))?")


def _host_and_port(value: str) -> tuple[str, int | None]:
    """``Example.org:8443`` -> ("example.org", 8443); IPv6 stays in brackets."""
    match = HOST_AND_PORT.fullmatch(value.strip().lower())
    if match is None:
        raise ValueError(f"not a host name with an optional port: {value!r}")
    return match[1].rstrip("."), int(match[2]) if match[2] else None


def host_is_trusted(host: str, scheme: str, entries: list[str]) -> bool:
    """Whether ``host`` (a Host header, port included) matches an entry.

    An entry without a port allows only the scheme's default port (80 for
    http, 443 for https); ``example.org:8443`` allows exactly that port. A
    leading dot (``.example.org``) also allows every subdomain.
    """
    try:
        name, port = _host_and_port(host)
    except ValueError:
        return False
    port = port or DEFAULT_PORTS.get(scheme)
    for entry in entries:
        allowed, allowed_port = _host_and_port(entry)
        if port != (allowed_port or DEFAULT_PORTS.get(scheme)):
            continue
        if name == allowed.lstrip(".") or (allowed.startswith(".") and name.endswith(allowed)):
            return True
    return False


class TrustedHostsMiddleware:
    """Answers 400 to a Host header outside FLASKY_TRUSTED_HOSTS (name and port),
    before Flask runs. Absolute links are built from that header, so a forged
    one would send someone's reset link to another site or port."""

    def __init__(self, wsgi_app: Callable, hosts: list[str]) -> None:
        for entry in hosts:
            _host_and_port(entry)  # a mistyped port stops the start, not every request
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        host = get_host(environ)  # "" when the header has characters no host name has
        if not (host and host_is_trusted(host, environ["wsgi.url_scheme"], self.hosts)):
            refusal = Response("This site does not answer to that host name.\n",
                               status=400, mimetype="text/plain")
            return refusal(environ, start_response)
        return self.wsgi_app(environ, start_response)


def check_host_names(app: Flask) -> None:
    """Install the host check inside ProxyFix, so that behind a trusted proxy
    the forwarded host is the one checked."""
    hosts = app.config["FLASKY_TRUSTED_HOSTS"]
    if not hosts:
        if not (app.debug or app.testing):
            app.logger.warning("FLASKY_TRUSTED_HOSTS is not set: links in mails will name "
                               "whatever host a request claims.")
        return
    if isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app.app = TrustedHostsMiddleware(app.wsgi_app.app, hosts)
    else:
        app.wsgi_app = TrustedHostsMiddleware(app.wsgi_app, hosts)


# -- abuse limits ------------------------------------------------------------


def user_or_address() -> str:
    """The rate-limit key for writing (posts, edits, previews, follows): the
    user when known, else the address, so one account cannot write faster by
    switching networks."""
    if request.blueprint == "api":
        from app.api.authentication import auth

        user = auth.current_user()
    else:
        user = current_user if current_user.is_authenticated else None
    if user is not None:
        return f"user:{user.id}"
    return get_remote_address()


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _post_limit(setting: str, key_func: Callable[[], str] | None = None,
                error_message: str | None = None):
    """A limit counting only POSTs, so reading a form page is never throttled."""
    return limiter.limit(_setting(setting), methods=["POST"], key_func=key_func,
                         error_message=error_message)


def _shared_user_limit(setting: str, scope: str, methods: list[str]):
    """One allowance per user for every view it decorates, pages and API alike,
    counting only the methods that change something."""
    return limiter.shared_limit(_setting(setting), scope, methods=methods,
                                key_func=user_or_address)


# Guessing passwords: the login form and API token issue.
login_limit = _post_limit("FLASKY_RATELIMIT_LOGIN")
# Views that send mail (registration, password reset, new confirmation link).
account_mail_limit = _post_limit("FLASKY_RATELIMIT_ACCOUNT_MAIL")
# Writing posts and comments, on pages and through the API.
posting_limit = _post_limit("FLASKY_RATELIMIT_POSTING", key_func=user_or_address)
# Editing posts: each edit renders Markdown and empties cached pages.
editing_limit = _shared_user_limit("FLASKY_RATELIMIT_EDITING", "editing", ["POST", "PUT"])
# The live preview renders Markdown as people type (app/static/js/preview.js).
# Its 429 message is what the preview box shows instead of the preview.
preview_limit = _post_limit("FLASKY_RATELIMIT_PREVIEW", key_func=user_or_address,
                            error_message="The preview is paused for a moment after many "
                                          "changes in a row. Saving still works.")
# Following and unfollowing: each change empties cached pages.
following_limit = _shared_user_limit("FLASKY_RATELIMIT_FOLLOWING", "following",
                                     ["POST", "DELETE"])


# Failed API authentications, per address. Every API call may carry an email
# and password, so guessing is throttled on all of them, not on one view.
API_AUTH_FAILURES_SCOPE = "api-auth-failures"


def _api_auth_limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["FLASKY_RATELIMIT_API_AUTH_FAILURES"])


def _counting_api_auth_failures() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"] and limiter.enabled
                and request.blueprint == "api")


def _api_auth_failures_key() -> tuple[str, str, str]:
    return (current_app.config["RATELIMIT_KEY_PREFIX"], get_remote_address(),
            API_AUTH_FAILURES_SCOPE)


def _seconds_until_api_auth_allowed() -> int:
    """0 while this address may still try; else how long it must wait."""
    key = _api_auth_failures_key()
    for item in _api_auth_limits():
        if not limiter.limiter.test(item, *key):
            reset_at = limiter.limiter.get_window_stats(item, *key).reset_time
            return max(1, math.ceil(reset_at - time.time()))
    return 0


def refuse_after_api_auth_failures() -> None:
    if not _counting_api_auth_failures():
        return
    try:
        wait = _seconds_until_api_auth_allowed()
    except Exception:  # an unreachable counter store must not take the API down
        logger.exception("Rate-limit storage unavailable; API failures not checked")
        return
    if wait:
        raise TooManyRequests(
            "Too many failed authentications from this address; wait and try again.",
            retry_after=wait,
        )


def count_api_auth_failure(response: Response) -> Response:
    if response.status_code == 401 and _counting_api_auth_failures():
        key = _api_auth_failures_key()
        try:
            for item in _api_auth_limits():
                limiter.limiter.hit(item, *key)
        except Exception:  # as above: answer the request regardless
            logger.exception("Rate-limit storage unavailable; API failure not counted")
    return response


# -- wiring ------------------------------------------------------------------


def _fresh_nonce() -> None:
    """Start each request without a nonce, even when it shares an app
    context (and so ``g``) with an earlier one, as requests in tests do."""
    g.pop("csp_nonce", None)


def init_security(app: Flask) -> None:
    check_host_names(app)
    app.before_request(_fresh_nonce)
    app.before_request(reject_nul_characters)
    app.before_request(refuse_after_api_auth_failures)
    app.after_request(count_api_auth_failure)
    app.after_request(add_security_headers)
