"""Moving an account to another address, confirmed at the new address."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.admin_address import move_would_leave_no_administrator
from app.auth import bp
from app.auth.forms import ChangeEmailForm
from app.auth.sessions import keep_this_session
from app.database import committed
from app.email import send_email
from app.extensions import db
from app.security.rate_limits import account_mail_limit


@bp.route("/change_email", methods=["GET", "POST"])
@login_required
@account_mail_limit
def change_email_request():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not current_user.verify_password(form.password.data):
            form.password.errors.append(_("Invalid password."))
        elif move_would_leave_no_administrator(current_user, form.email.data):
            form.email.errors.append(_(
                "You are the only Administrator, and the role comes from this address "
                "(FLASKY_ADMIN). Make someone else an Administrator first."))
        else:
            new_email = form.email.data  # canonical: the form's validator made it so
            token = current_user.generate_email_change_token(new_email)
            send_email(new_email, _l("Confirm your email address"), "auth/email/change_email",
                       user=current_user, token=token)
            db.session.commit()
            flash(_("An email with instructions to confirm your new address has been sent to it."),
                  "info")
            return redirect(url_for("main.index"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/change_email/<token>")
@login_required
def change_email(token: str):
    if current_user.change_email(token):
        if not committed():  # taken by someone else since the link was sent
            flash(_("That email address is already registered."), "danger")
            return redirect(url_for("main.index"))
        keep_this_session()
        flash(_("Your email address has been updated."), "success")
    else:
        flash(_("The email change link is invalid or has expired."), "danger")
    return redirect(url_for("main.index"))
