"""Registering, and confirming the address by the link sent to it."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import onboarding
from app.auth import bp
from app.auth.forms import RegistrationForm, ResendConfirmationForm
from app.auth.sessions import sign_in
from app.database import flushed
from app.email import send_email
from app.extensions import db
from app.models import User
from app.security.rate_limits import account_mail_limit


def _send_confirmation(user: User) -> None:
    token = user.generate_confirmation_token()
    send_email(user.email, _l("Confirm Your Account"), "auth/email/confirm", user=user,
               token=token)


@bp.route("/unconfirmed")
def unconfirmed():
    if current_user.is_anonymous or current_user.confirmed:
        return redirect(url_for("main.index"))
    return render_template("auth/unconfirmed.html", form=ResendConfirmationForm())


@bp.route("/register", methods=["GET", "POST"])
@account_mail_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = User(email=form.email.data, username=form.username.data, password=form.password.data)
        db.session.add(user)
        if not flushed():  # taken by a concurrent registration since validation
            form.email.errors.append(_("Email or username already registered."))
            return render_template("auth/register.html", form=form)
        _send_confirmation(user)
        sign_in(user, remember=False)  # commits the account, its mail and its session
        flash(_("A confirmation email has been sent to you. Please check your inbox."), "success")
        return redirect(url_for("auth.unconfirmed"))
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>")
@login_required
def confirm(token: str):
    if current_user.confirmed:
        return redirect(url_for("main.index"))
    if current_user.confirm(token):
        onboarding.start(current_user)
        db.session.commit()
        flash(_("You have confirmed your account. Thanks!"), "success")
    else:
        flash(_("The confirmation link is invalid or has expired."), "danger")
    return redirect(url_for("main.index"))


@bp.route("/confirm", methods=["POST"])
@login_required
@account_mail_limit
def resend_confirmation():
    if current_user.confirmed:
        return redirect(url_for("main.index"))
    if ResendConfirmationForm().validate_on_submit():
        _send_confirmation(current_user)
        db.session.commit()
        flash(_("A new confirmation email has been sent to you."), "success")
    return redirect(url_for("auth.unconfirmed"))
