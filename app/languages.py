"""Which language and time zone each request is answered in (Flask-Babel's selectors).

The language: a ``?lang=`` the page's own hreflang alternates link to, then the
signed-in user's setting, then the footer switcher's cookie, then the browser's
``Accept-Language``, then English. The time zone: the signed-in user's setting,
then the cookie the browser's script sets (static/js/timezone.js), then UTC.
Anything unknown or malformed at any step is skipped, so a request always gets a
language Flasky has and a zone the tz database knows; never a 500.
"""

from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import Flask, Response, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

# The languages Flasky has catalogs for, each named in its own language.
LANGUAGES = {"en": "English", "es": "Español", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"
DEFAULT_TIMEZONE = "UTC"
LANGUAGE_COOKIE = "lang"
TIMEZONE_COOKIE = "tz"
COOKIE_LIFETIME = timedelta(days=365)


def known_language(code: object) -> str | None:
    """``code`` when Flasky has that language, else None (any case; ``es-MX`` is ``es``)."""
    if not isinstance(code, str):
        return None
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in LANGUAGES else None


def known_timezone(name: object) -> str | None:
    """``name`` when the tz database knows it, else None. Paths and odd bytes are
    refused before ``ZoneInfo`` sees them (it reads files by that name)."""
    if not isinstance(name, str) or not 0 < len(name) <= 64 or name.startswith(("/", ".")):
        return None
    if ".." in name or "\\" in name or not name.isascii() or not name.isprintable():
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def timezone_names() -> list[str]:
    """Every IANA zone, sorted, for the settings form's choices."""
    return sorted(available_timezones())


def _accepted_language() -> str | None:
    try:
        return request.accept_languages.best_match(LANGUAGES)
    except (ValueError, TypeError):  # a header werkzeug could not make sense of
        return None


def _user_setting(name: str) -> str | None:
    if current_user and current_user.is_authenticated:
        return getattr(current_user, name, None)
    return None


def select_language() -> str:
    if not has_request_context():  # a job's mail sets its reader's language (force_locale)
        return DEFAULT_LANGUAGE
    for candidate in (request.args.get("lang"), _user_setting("language"),
                      request.cookies.get(LANGUAGE_COOKIE)):
        code = known_language(candidate)
        if code is not None:
            return code
    return _accepted_language() or DEFAULT_LANGUAGE


def select_timezone() -> str:
    if not has_request_context():
        return DEFAULT_TIMEZONE
    for candidate in (_user_setting("timezone"), request.cookies.get(TIMEZONE_COOKIE)):
        name = known_timezone(candidate)
        if name is not None:
            return name
    return DEFAULT_TIMEZONE


def init_languages(app: Flask) -> None:
    """Bind the selectors (Flask-Babel 4 takes them at ``init_app``)."""
    from app.extensions import babel

    babel.init_app(app, locale_selector=select_language, timezone_selector=select_timezone,
                   default_translation_directories="translations")


def vary_on_language(response: Response) -> Response:
    """Shared caches must keep one copy per language asked for."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def language_alternates() -> list[tuple[str, str]]:
    """This page in each language (``hreflang``), and ``x-default``: the page as it
    chooses for itself. Absolute URLs, the other query parameters kept."""
    arguments = [(name, value) for name, value in request.args.items(multi=True)
                 if name != "lang"]
    base = request.host_url.rstrip("/") + request.script_root + request.path
    links = [(code, f"{base}?{urlencode([*arguments, ('lang', code)])}") for code in LANGUAGES]
    return [*links, ("x-default", f"{base}?{urlencode(arguments)}" if arguments else base)]


def switcher_return_path() -> str:
    """Where the footer's switcher sends the reader back to: this page, without a
    ``?lang=`` that would outrank the cookie just set."""
    arguments = [(name, value) for name, value in request.args.items(multi=True)
                 if name != "lang"]
    path = request.script_root + request.path
    return f"{path}?{urlencode(arguments)}" if arguments else path


def language_globals() -> dict[str, object]:
    return {"LANGUAGES": LANGUAGES, "current_language": str(get_locale()),
            "language_alternates": language_alternates,
            "switcher_return_path": switcher_return_path}
