"""Changing the password, and resetting a forgotten one by mail."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import ChangePasswordForm, PasswordResetForm, PasswordResetRequestForm
from app.auth.mails import mail_reset_link
from app.auth.sessions import keep_this_session
from app.extensions import db
from app.jobs import enqueue
from app.links import link_base
from app.models import User
from app.security.rate_limits import account_mail_limit, login_limit


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
@login_limit
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.verify_password(form.old_password.data):
            current_user.password = form.password.data
            db.session.commit()
            keep_this_session()
            flash(_("Your password has been updated."), "success")
            return redirect(url_for("main.index"))
        form.old_password.errors.append(_("Invalid password."))
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@account_mail_limit
def password_reset_request():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        # The same answer, at the same cost, whether or not the address has an
        # account: the lookup and the mail are a job (app/auth/mails.py).
        enqueue(mail_reset_link, form.email.data, link_base())
        db.session.commit()
        flash(_("If that address has an account, an email with instructions to reset "
                "the password has been sent to it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def password_reset(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        if User.reset_password(token, form.password.data):
            db.session.commit()
            flash(_("Your password has been updated. You can now log in."), "success")
            return redirect(url_for("auth.login"))
        flash(_("The password reset link is invalid or has expired."), "danger")
        return redirect(url_for("auth.password_reset_request"))
    return render_template("auth/reset_password.html", form=form)
