"""Choosing a language and a time zone (app/languages.py reads the choices).

The footer's switcher is a GET link that only sets a cookie and sends the
visitor back: a preference of this browser, like the theme, not a change of
anyone's data, and one anonymous pages can carry without a per-visitor CSRF
token (which would keep them out of the page cache). A signed-in user's
setting is data, so it changes by POST with CSRF, on the settings page; so does
the time zone the browser's script reports on a first visit.
"""

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import _, force_locale, gettext, refresh
from flask_login import current_user, login_required

from app.auth.redirects import safe_next_url
from app.extensions import db
from app.forms import EmptyForm
from app.languages import (
    COOKIE_LIFETIME,
    LANGUAGE_COOKIE,
    known_language,
    known_timezone,
)
from app.main import bp
from app.main.forms.languages import LanguageForm
from app.main.views.settings import settings_page

# What the static scripts say (autosave.js, preview.js), each a whole sentence: the
# English text is the key, and `flask translate` extracts it from the scripts'
# gettext() calls (i18n.js shows it as is when a catalog lacks it).
SCRIPT_MESSAGES = [
    "Draft saved at %(time)s.",
    "Not saved as a draft: %(reason)s",
    "Not saved as a draft: please try again.",
    "Not saved yet: the connection seems to be down.",
    "The preview is not available.",
    "Please keep it under %(num)s characters.",
    "Please write something first.",
    "Characters left: %(num)s",
    "Characters over the limit: %(num)s",
]


@bp.route("/language/<code>")
def choose_language(code: str):
    """Remember ``code`` for this browser and go back where the switcher was."""
    response = redirect(safe_next_url(request.args.get("next")) or url_for(".index"))
    language = known_language(code)
    if language is not None:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=COOKIE_LIFETIME, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    return response


@bp.route("/i18n/<code>.json")
def js_catalog(code: str):
    """The scripts' messages (app/static/js/i18n.js) in language ``code``."""
    language = known_language(code)
    if language is None or language != code:
        abort(404)
    with force_locale(language):
        messages = {message: gettext(message) for message in SCRIPT_MESSAGES}
    response = jsonify(messages)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.route("/settings/language", methods=["POST"])
@login_required
def save_language():
    user = current_user._get_current_object()
    form = LanguageForm()
    if not form.validate_on_submit():
        return settings_page(language_form=form)
    user.language = form.language.data or None
    user.timezone = form.timezone.data or None
    db.session.commit()
    refresh()  # the message below, in the language just chosen
    flash(_("Your language and time zone are saved."), "success")
    return redirect(url_for(".settings"))


@bp.route("/settings/timezone/detected", methods=["POST"])
@login_required
def detected_timezone():
    """The browser's own time zone, kept only while the user has not chosen one."""
    user = current_user._get_current_object()
    name = known_timezone(request.form.get("timezone"))
    if not EmptyForm().validate_on_submit() or name is None:
        return {"error": "bad_request", "message": _("That is not a time zone.")}, 400
    if user.timezone is None:
        user.timezone = name
        db.session.commit()
    return {"timezone": user.timezone}
