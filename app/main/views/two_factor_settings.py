"""Setting up, using and turning off two-factor authentication (the service is
app/auth/two_factor.py). Every change is a POST with a CSRF token; turning it
off takes the password and a code, new recovery codes take a code."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.auth import two_factor
from app.auth.two_factor_forms import ConfirmSetupForm, DisableTwoFactorForm, RecoveryCodesForm
from app.extensions import db
from app.forms import EmptyForm
from app.main import bp
from app.security.rate_limits import code_entry_limit, login_limit

code_limit = code_entry_limit(lambda: current_user.id if current_user.is_authenticated else None)


def _page(confirm_form=None, recovery_form=None, disable_form=None):
    user = current_user._get_current_object()
    settings = two_factor.settings_of(user)
    secret = two_factor.pending_secret(user) if settings and not settings.enabled else None
    uri = two_factor.provisioning_uri(user, secret) if secret else None
    return render_template(
        "settings/two_factor.html", title=_("Two-factor authentication"),
        enabled=settings is not None and settings.enabled, secret=secret,
        qr_code=two_factor.qr_code_svg(uri) if uri else None,
        remaining=two_factor.remaining_recovery_codes(user),
        required=two_factor.required_for(user),
        confirm_form=confirm_form or ConfirmSetupForm(formdata=None),
        recovery_form=recovery_form or RecoveryCodesForm(formdata=None, prefix="recovery"),
        disable_form=disable_form or DisableTwoFactorForm(formdata=None, prefix="disable"))


def _recovery_codes_page(codes: list[str]):
    """Shown once, straight from the POST that made them: never stored readable."""
    response = make_response(render_template("settings/recovery_codes.html", codes=codes,
                                             title=_("Your recovery codes")))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/settings/two-factor")
@login_required
def two_factor_settings():
    return _page()


@bp.route("/settings/two-factor/setup", methods=["POST"])
@login_required
def start_two_factor_setup():
    if EmptyForm().validate_on_submit():
        if two_factor.is_enabled(current_user):
            flash(_("Two-factor authentication is already on."), "info")
        else:
            two_factor.begin_setup(current_user._get_current_object())
            db.session.commit()
    return redirect(url_for(".two_factor_settings"))


@bp.route("/settings/two-factor/confirm", methods=["POST"])
@login_required
@code_limit
def confirm_two_factor():
    form = ConfirmSetupForm()
    if not form.validate_on_submit():
        return _page(confirm_form=form)
    try:
        codes = two_factor.confirm_setup(current_user._get_current_object(), form.code.data)
    except two_factor.CodeRefused as refused:
        db.session.rollback()
        if two_factor.pending_secret(current_user) is None:  # not being set up: no form
            flash(str(refused), "warning")
            return redirect(url_for(".two_factor_settings"))
        form.code.errors.append(str(refused))
        return _page(confirm_form=form)
    db.session.commit()
    flash(_("Two-factor authentication is on. From now on, logging in asks for a code."),
          "success")
    return _recovery_codes_page(codes)


@bp.route("/settings/two-factor/recovery-codes", methods=["POST"])
@login_required
@code_limit
def regenerate_recovery_codes():
    form = RecoveryCodesForm(prefix="recovery")
    if not form.validate_on_submit():
        return _page(recovery_form=form)
    try:
        codes = two_factor.regenerate_recovery_codes(current_user._get_current_object(),
                                                     form.code.data)
    except two_factor.CodeRefused as refused:
        db.session.rollback()
        form.code.errors.append(str(refused))
        return _page(recovery_form=form)
    db.session.commit()
    flash(_("You have new recovery codes; the old ones no longer work."), "success")
    return _recovery_codes_page(codes)


@bp.route("/settings/two-factor/disable", methods=["POST"])
@login_required
@login_limit
@code_limit
def disable_two_factor():
    user = current_user._get_current_object()
    form = DisableTwoFactorForm(prefix="disable")
    if not form.validate_on_submit():
        return _page(disable_form=form)
    if two_factor.required_for(user):
        flash(_("Your role needs two-factor authentication, so it stays on."), "danger")
        return redirect(url_for(".two_factor_settings"))
    if not user.verify_password(form.password.data):
        form.password.errors.append(_("Invalid password."))
        return _page(disable_form=form)
    try:
        two_factor.check_code(user, form.code.data)
    except two_factor.CodeRefused as refused:
        db.session.rollback()
        form.code.errors.append(str(refused))
        return _page(disable_form=form)
    two_factor.disable(user)
    db.session.commit()
    flash(_("Two-factor authentication is off. Logging in asks only for your password."),
          "info")
    return redirect(url_for(".two_factor_settings"))
