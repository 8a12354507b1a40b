"""Notification preferences under settings, and the one-click unsubscribe link
of mail digests (signed, per kind, no login needed)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.forms import EmptyForm
from app.links import link_base
from app.main import bp
from app.social import preferences


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def notification_settings():
    user = current_user._get_current_object()
    form = EmptyForm()
    if form.validate_on_submit():
        for kind in preferences.kinds_for(user):
            preferences.choose(user, kind, f"in_app-{kind}" in request.form,
                               f"mail-{kind}" in request.form, link_base())
        db.session.commit()
        flash(_("Your notification preferences have been saved."), "success")
        return redirect(url_for(".notification_settings"))
    return render_template("settings/notifications.html", title=_("Notifications"), form=form,
                           choices=preferences.current(user), labels=preferences.LABELS)


def _unsubscribing(token: str):
    found = preferences.from_unsubscribe_token(token)
    if found is None:
        abort(404, description=_("This unsubscribe link is not valid (it may be old or cut "
                                 "short). You can change which mails you get in your "
                                 "settings."))
    return found


@bp.route("/unsubscribe/<token>", methods=["GET"])
def unsubscribe(token: str):
    user, kind = _unsubscribing(token)
    return render_template("settings/unsubscribe.html", title=_("Unsubscribe"), user=user,
                           label=preferences.LABELS[kind], token=token)


# The signed token is the proof, and mail programs post here with no session
# (RFC 8058 one-click), so a CSRF token cannot be asked for.
@bp.route("/unsubscribe/<token>", methods=["POST"])
@csrf.exempt
def confirm_unsubscribe(token: str):
    user, kind = _unsubscribing(token)
    preferences.unsubscribe(user, kind)
    db.session.commit()
    return render_template("settings/unsubscribe.html", title=_("Unsubscribed"), user=user,
                           label=preferences.LABELS[kind], token=token, done=True)
