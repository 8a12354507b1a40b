"""Which language and time zone each request is answered in (Flask-Babel's selectors).

The language: a ``?lang=`` the page's own hreflang alternates link to, then the
signed-in user's setting, then the footer switcher's cookie, then the browser's
``Accept-Language``, then English. The time zone: the signed-in user's setting,
then the cookie the browser's script sets (static/js/timezone.js), then UTC.
Anything unknown or malformed at any step is skipped, so a request always gets a
language Flasky has and a zone the tz database knows; never a 500.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from typing import Any
from urllib.parse import urlencode
from zoneinfo import available_timezones

from babel.dates import get_timezone as get_babel_timezone
from flask import Flask, Response, g, has_request_context, request
from flask_babel import (
    force_locale,
    format_datetime,
    format_number,
    format_percent,
    format_timedelta,
    get_locale,
)
from flask_babel import (
    lazy_gettext as _l,
)
from flask_babel.speaklater import LazyString
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
    """``name``'s canonical spelling when the tz database Flask-Babel formats
    with knows it (Babel's ``get_timezone``: pytz's), else None."""
    if not isinstance(name, str) or not 0 < len(name) <= 64 or not name.isascii():
        return None
    try:
        return str(get_babel_timezone(name))
    except (LookupError, ValueError):
        return None


@cache
def timezone_names() -> list[str]:
    """The zones people choose from in the settings: every IANA name both the
    system's tz database and Babel's know, sorted."""
    return sorted(name for name in available_timezones() if known_timezone(name) == name)


def _asked_by(user: object) -> bool:
    """Whether this request comes from ``user`` themselves (or from a visitor,
    who is about to become them: registering), so its choices are theirs."""
    if not has_request_context():
        return False
    return current_user.is_anonymous or current_user.id == getattr(user, "id", None)


def reader_language(user: object) -> str:
    """The language to write to ``user`` in: their setting, else what their own
    request chose (the footer's cookie, their browser), else English."""
    own = known_language(getattr(user, "language", None))
    return own or (select_language() if _asked_by(user) else DEFAULT_LANGUAGE)


def reader_timezone(user: object) -> str:
    own = known_timezone(getattr(user, "timezone", None))
    return own or (select_timezone() if _asked_by(user) else DEFAULT_TIMEZONE)


@contextmanager
def for_reader(user: object) -> Iterator[None]:
    """Render text and dates in ``user``'s language and time zone, whoever the
    request is for: a mail is read by its recipient (``send_email`` under it)."""
    zone = reader_timezone(user)
    context = g._flask_babel if "_flask_babel" in g else None
    saved = getattr(context, "babel_tzinfo", None)
    with force_locale(reader_language(user)):
        context = g._flask_babel  # force_locale made it
        context.babel_tzinfo = get_babel_timezone(zone)
        try:
            yield
        finally:
            context.babel_tzinfo = saved


def _accepted_language() -> str | None:
    try:
        return request.accept_languages.best_match(LANGUAGES)
    except (ValueError, TypeError):  # a header werkzeug could not make sense of
        return None


def _user_setting(name: str) -> str | None:
    if current_user and current_user.is_authenticated:
        return getattr(current_user, name, None)
    return None


def language_for(setting: str | None) -> str:
    """The request's language for a reader whose own setting is ``setting``."""
    for candidate in (request.args.get("lang"), setting, request.cookies.get(LANGUAGE_COOKIE)):
        code = known_language(candidate)
        if code is not None:
            return code
    return _accepted_language() or DEFAULT_LANGUAGE


def timezone_for(setting: str | None) -> str:
    """The request's time zone for a reader whose own setting is ``setting``."""
    for candidate in (setting, request.cookies.get(TIMEZONE_COOKIE)):
        name = known_timezone(candidate)
        if name is not None:
            return name
    return DEFAULT_TIMEZONE


def select_language() -> str:
    if not has_request_context():  # a job's mail sets its reader's language (force_locale)
        return DEFAULT_LANGUAGE
    return language_for(_user_setting("language"))


def select_timezone() -> str:
    if not has_request_context():
        return DEFAULT_TIMEZONE
    return timezone_for(_user_setting("timezone"))


def init_languages(app: Flask) -> None:
    """Bind the selectors (Flask-Babel 4 takes them at ``init_app``), after
    compiling any catalog a fresh checkout or an edit left stale (app/catalogs.py)."""
    from app.catalogs import compile_stale_catalogs
    from app.dates import init_dates
    from app.extensions import babel, login_manager
    from app.template_gettext import install_template_gettext

    try:
        compile_stale_catalogs()
    except OSError as error:  # a read-only install: its .mo files were built with it
        app.logger.warning("Could not compile the message catalogs: %s", error)
    babel.init_app(app, locale_selector=select_language, timezone_selector=select_timezone,
                   default_translation_directories="translations")
    init_dates(app)  # after Flask-Moment's own init_app: times in the reader's words
    install_template_gettext(app)  # after babel.init_app, which installs its own
    # Flask-Login's "log in first" flash, in the reader's language (a str in the session).
    login_manager.login_message = _l("Please log in to access this page.")
    login_manager.localize_callback = str


def lazy_number(number: int) -> LazyString:
    """``number`` written as the reader's language writes it ("2,000", "2.000"),
    when a lazy message (a form's, defined at import) is shown."""
    return LazyString(format_number, number)


def reader_key(reader: Any) -> str:
    """The language and time zone a request renders in for ``reader`` (the
    signed-in user or their ``Viewer``; a visitor or None: nobody's settings),
    for cache keys, chosen
    by the selectors' own rules: one of three languages and a known zone, so no
    request can mint more."""
    language = getattr(reader, "language", None)
    zone = getattr(reader, "timezone", None)
    return f"{language_for(language)}:{timezone_for(zone)}"


LANGUAGE_VARY = "Accept-Language, Cookie"


def vary_on_language(response: Response) -> Response:
    """Shared caches must keep one copy per language asked for (and per cookie:
    the language cookie, and a signed-in reader's own pages)."""
    if "Vary" in response.headers:  # the view varies on more (merging parses the header)
        response.vary.update(("Accept-Language", "Cookie"))
    else:
        response.headers["Vary"] = LANGUAGE_VARY
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
            "format_datetime": format_datetime, "format_number": format_number,
            "format_percent": format_percent, "format_timedelta": format_timedelta,
            "language_alternates": language_alternates,
            "switcher_return_path": switcher_return_path}
