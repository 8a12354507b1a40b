"""Templates' ``_``, ``gettext`` and the rest: Jinja's newstyle gettext, with the
translations found once per request and each plain message translated once per
language.

Flask-Babel would find its context, domain, locale and cache entry again for every
message, and Jinja's newstyle ``_`` goes through three calls and a format before it
reaches the catalog; a page asks for dozens of messages. ``current_translations``
reads the locale Flask-Babel chose where it keeps it (``g._flask_babel``): a
``force_locale`` (mail in the recipient's language) or a ``refresh`` sets another
locale object there, so the translations are looked up again. A message given no
variables is the same text every time for a language, so its translated (and, in
an HTML template, escaped) form is kept with that language's catalog, up to
``KEPT_MESSAGES`` of them; a message with variables is formatted each time, as
Jinja's own newstyle gettext does it (``%%`` is a percent sign either way).
"""

import weakref
from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

KEPT_MESSAGES = 4096  # per language and kind (HTML or text); a page's messages are far fewer

# Each catalog's translated plain messages: (message, autoescaped) -> its text.
_KEPT: "weakref.WeakKeyDictionary[Any, dict[tuple[str, bool], str]]" = (
    weakref.WeakKeyDictionary())


def _current() -> tuple[Any, Translations | NullTranslations, dict[tuple[str, bool], str]]:
    """(locale, its translations, their kept messages), found once per locale a request uses."""
    context = _cv_app.get(None)
    if context is None:
        translations = get_translations()
        return None, translations, _kept_of(translations)
    store = context.g
    locale = getattr(getattr(store, "_flask_babel", None), "babel_locale", None)
    found = getattr(store, "flasky_translations", None)
    if locale is None or found is None or found[0] is not locale:
        translations = get_translations()
        found = store.flasky_translations = (get_locale(), translations, _kept_of(translations))
    return found


def _kept_of(translations: Any) -> dict[tuple[str, bool], str]:
    kept = _KEPT.get(translations)
    if kept is None:
        kept = _KEPT[translations] = {}
    return kept


def current_translations() -> Translations | NullTranslations:
    """Flask-Babel's translations for the locale of this request (or of a ``force_locale``)."""
    return _current()[1]


def _formatted(text: str, autoescape: bool, variables: dict[str, Any]) -> str:
    # Always a format string, as in Jinja's newstyle gettext: "%%" is "%" with or
    # without variables, and an HTML template's variables are escaped.
    # Markup is safe here: the text is the catalogue's and Markup escapes the variables.
    return (Markup(text) if autoescape else text) % variables  # nosec B704


@pass_context
def template_gettext(context: Context, message: str, /, **variables: Any) -> str:
    """``_('...')`` and ``gettext('...')`` in a template."""
    autoescape = context.eval_ctx.autoescape
    _locale, translations, kept = _current()
    if variables or not isinstance(message, str):
        return _formatted(translations.ugettext(message), autoescape, variables)
    key = (message, autoescape)
    text = kept.get(key)
    if text is None:
        text = _formatted(translations.ugettext(message), autoescape, {})
        if len(kept) < KEPT_MESSAGES:
            kept[key] = text
    return text


@pass_context
def template_ngettext(context: Context, singular: str, plural: str, num: int, /,
                      **variables: Any) -> str:
    variables.setdefault("num", num)
    return _formatted(current_translations().ungettext(singular, plural, num),
                      context.eval_ctx.autoescape, variables)


@pass_context
def template_pgettext(context: Context, message_context: str, message: str, /,
                      **variables: Any) -> str:
    variables.setdefault("context", message_context)
    return _formatted(current_translations().upgettext(message_context, message),
                      context.eval_ctx.autoescape, variables)


@pass_context
def template_npgettext(context: Context, message_context: str, singular: str, plural: str,
                       num: int, /, **variables: Any) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", num)
    return _formatted(
        current_translations().unpgettext(message_context, singular, plural, num),
        context.eval_ctx.autoescape, variables)


def install_template_gettext(app: Flask) -> None:
    """Give the app's templates these callables, in place of Flask-Babel's (which
    ``babel.init_app`` installs) and of Jinja's ``_`` (an alias looking ``gettext``
    up again on every call)."""
    env = app.jinja_env
    env.newstyle_gettext = True  # ``{% trans %}`` passes its variables to them
    env.globals.update(gettext=template_gettext, _=template_gettext,
                       ngettext=template_ngettext, pgettext=template_pgettext,
                       npgettext=template_npgettext)
