"""The sessions page: where the person is logged in and which API tokens work,
with signing out elsewhere and revoking one session or token (POST + CSRF)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.auth.sessions import sign_out, sign_out_elsewhere
from app.devices import describe_device
from app.extensions import db
from app.forms import EmptyForm
from app.main import bp
from app.models import ApiToken, LoginSession


@bp.route("/settings/sessions")
@login_required
def sessions():
    user = current_user._get_current_object()
    rows = [(row, describe_device(row.user_agent)) for row in LoginSession.live_of(user)]
    return render_template("settings/sessions.html", title=_("Sessions and API tokens"),
                           sessions=rows, this_session=current_user.login_session,
                           tokens=ApiToken.live_of(user))


@bp.route("/settings/sessions/sign-out-others", methods=["POST"])
@login_required
def sign_out_other_sessions():
    if EmptyForm().validate_on_submit():
        sign_out_elsewhere()
        flash(_("You are logged out on every other device and browser."), "info")
    return redirect(url_for(".sessions"))


@bp.route("/settings/sessions/<int:session_id>/revoke", methods=["POST"])
@login_required
def revoke_session(session_id: int):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".sessions"))
    row = db.session.get(LoginSession, session_id)
    if row is None or row.user_id != current_user.id:
        abort(404, description=_("There is no such session of yours."))
    if row.id == current_user.login_session.id:
        sign_out()
        flash(_("You have been logged out."), "info")
        return redirect(url_for(".index"))
    db.session.delete(row)
    db.session.commit()
    flash(_("That session is logged out."), "info")
    return redirect(url_for(".sessions"))


@bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".sessions"))
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404, description=_("There is no such API token of yours."))
    token.revoke()
    db.session.commit()
    flash(_("The API token is revoked; programs using it must get a new one."), "info")
    return redirect(url_for(".sessions"))
