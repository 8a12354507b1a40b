"""What a person told to slow down sees: the rate-limit page says in plain
words when to try again, and a writing form's text comes back with it.

Limits are enforced before the view runs (app/security/rate_limits.py), so
the view cannot re-render its own form; instead this page carries what the
form sent, ready to send again to the same address once the wait is over.
Only forms whose CSRF token is valid come back, so a page of another site
cannot use a person's throttled moment to have them send its words. JSON
clients keep the one error shape, with Retry-After.
"""

from urllib.parse import urlsplit

from flask import Response, current_app, make_response, render_template, request
from flask_babel import _, ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import ValidationError, validate_csrf

from app.auth.redirects import safe_next_url
from app.errors import handle_http_error, wants_json_response
from app.security.rate_limits import retry_after_seconds

# The limits whose forms carry someone's writing (posts, comments, messages,
# reports, edits): their text is kept. Logins and account mail are not.
KEEPS_WRITING = ("posting", "editing")
# Fields shown to read and change; the others ride along hidden, as sent.
SHOWN_FIELDS = ("title", "body", "details")
REASONS = {
    "posting": lambda: _("You have written a lot in a short time, so Flasky asks you "
                         "to wait a moment before the next one."),
    "editing": lambda: _("You have saved many changes in a short time, so Flasky asks "
                         "you to wait a moment before the next one."),
    "following": lambda: _("You have followed or unfollowed many people in a short time."),
}


def try_again_in(seconds: int) -> str:
    """"Try again in about 40 seconds", rounded to what a person reads at a glance."""
    if seconds < 90:
        return ngettext("Try again in about %(num)s second.",
                        "Try again in about %(num)s seconds.", seconds)
    minutes = round(seconds / 60)
    if minutes < 90:
        return ngettext("Try again in about %(num)s minute.",
                        "Try again in about %(num)s minutes.", minutes)
    hours = round(minutes / 60)
    return ngettext("Try again in about %(num)s hour.", "Try again in about %(num)s hours.",
                    hours)


def _scope(error: RateLimitExceeded) -> str | None:
    scope = getattr(error.limit, "scope", None)
    return scope if isinstance(scope, str) else None


def kept_fields(error: RateLimitExceeded) -> list[tuple[str, str]]:
    """What the throttled writing form sent (name, value), or [] when nothing is kept."""
    if request.method != "POST" or _scope(error) not in KEEPS_WRITING:
        return []
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            return []
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name != "csrf_token"]
    return fields if any(value.strip() for name, value in fields
                         if name in SHOWN_FIELDS) else []


def page_came_from() -> str | None:
    """The page on this site the throttled request was sent from, to go back to."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.scheme not in ("http", "https"):
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return safe_next_url(path)


def handle_rate_limited(error: RateLimitExceeded) -> Response:
    if wants_json_response():
        return handle_http_error(error)
    seconds = retry_after_seconds()
    reason = REASONS.get(_scope(error) or "")
    page = render_template(
        "errors/rate_limited.html", status=429, title=_("Please wait a moment"),
        reason=reason() if reason else _("Flasky allows this only so often in a short time, "
                                          "to keep the site fair and safe."),
        when=try_again_in(seconds), kept=kept_fields(error), shown=SHOWN_FIELDS,
        files_left_out=any(file.filename for file in request.files.values()),
        action=request.full_path.rstrip("?"), back_url=page_came_from())
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response
