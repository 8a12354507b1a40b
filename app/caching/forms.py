"""A form nobody has typed into, rendered once per language and session.

The composer (``_composer.html``) of a signed-in home page is a third of that
page's template time when nothing is cached: WTForms builds each field's
markup, its label, its help text. Shown on a GET, before anyone typed, the
form's markup depends only on its class and the macro's arguments, the
reader's language, the page's script root, and the CSRF token it carries. That
token is made from the session's CSRF secret; while tokens never expire
(``WTF_CSRF_TIME_LIMIT = None``, Flasky's setting) any token of the secret is
as good as a new one, so the markup is kept per secret. With a time limit set,
tokens age and nothing is kept.

``kept_while_pristine`` wraps a macro's body (``{% call %}``) and keeps what it
rendered in each worker's memory (``FLASKY_CARD_MEMO`` forms, least recently
used going first). A form that holds any data or error, a POST, or a session
with no secret yet is rendered as always.
"""

from collections.abc import Callable
from typing import Any

from flask import current_app, request, session
from flask_babel import get_locale
from markupsafe import Markup

from app.caching.card_memo import CardMemo


def init_form_memo(app: Any) -> None:
    app.extensions["flasky_forms"] = CardMemo(app.config["FLASKY_CARD_MEMO"])


def form_memo() -> CardMemo | None:
    """This worker's forms; None when off (``FLASKY_CARD_MEMO=0``, templates
    reloading as they change, or CSRF tokens that expire)."""
    memo = current_app.extensions.get("flasky_forms")
    if (memo is None or not memo.size or current_app.jinja_env.auto_reload
            or current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None):
        return None
    return memo


def _empty(value: Any) -> bool:
    return value is None or value is False or (
        isinstance(value, str | list | tuple | dict) and not value)


def _pristine(form: Any) -> bool:
    """Nothing typed, uploaded or refused: every field holds an empty value."""
    csrf_field = getattr(form.meta, "csrf_field_name", "csrf_token")
    return not form.errors and all(
        _empty(field.data) for field in form if field.name != csrf_field)


def _key(form: Any, parts: tuple) -> tuple | None:
    secret = session.get("csrf_token")
    if request.method != "GET" or not isinstance(secret, str) or not _pristine(form):
        return None
    if not all(part is None or isinstance(part, bool | int | str) for part in parts):
        return None
    kind = type(form)
    return (kind.__module__, kind.__qualname__, *parts, str(get_locale()),
            request.script_root, secret)


def kept_while_pristine(form: Any, *parts: Any, caller: Callable[[], Markup]) -> Markup:
    """``caller()`` (the macro's body showing ``form`` with ``parts``), rendered once
    per language and session while the form is pristine (see above)."""
    memo = form_memo()
    key = _key(form, parts) if memo is not None else None
    html = memo.get(key, ()) if key is not None else None
    if html is not None:
        return html
    html = caller()
    if memo is not None:
        key = key or _key(form, parts)  # the first render may have made the secret
        if key is not None:
            memo.renders += 1
            memo.put(key, (), html)
    return html
