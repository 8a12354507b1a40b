from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.admin_address import move_would_leave_no_administrator
from app.auth import bp
from app.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegistrationForm,
    ResendConfirmationForm,
)
from app.auth.safety import safe_next_url
from app.auth.sessions import keep_this_session, sign_in, sign_out, sign_out_everywhere
from app.email import after_response, send_email
from app.extensions import db
from app.links import link_base, links_based_at
from app.main.forms import EmptyForm
from app.models import User
from app.security import account_mail_limit, login_limit

# Pages an unconfirmed user may still reach: confirming, a new link, leaving.
# Everything else, changing the address or the password included, waits for
# the address to be proven (a wrong address is fixed by registering again).
OPEN_TO_UNCONFIRMED = {
    "static", "bootstrap.static", "main.identicon",
    "auth.unconfirmed", "auth.confirm", "auth.resend_confirmation", "auth.logout",
}


@bp.before_app_request
def gate_unconfirmed_and_track_activity():
    if not current_user.is_authenticated:
        return None
    if current_user.ping():
        current_user.login_session.last_seen_at = current_user.last_seen
        db.session.commit()
    if (
        not current_user.confirmed
        and request.endpoint
        and request.blueprint != "api"  # the API answers 403 to unconfirmed accounts
        and request.endpoint not in OPEN_TO_UNCONFIRMED
    ):
        return redirect(url_for("auth.unconfirmed"))
    return None


def _send_confirmation(user: User) -> None:
    token = user.generate_confirmation_token()
    send_email(user.email, "Confirm Your Account", "auth/email/confirm", user=user, token=token)


@bp.route("/unconfirmed")
def unconfirmed():
    if current_user.is_anonymous or current_user.confirmed:
        return redirect(url_for("main.index"))
    return render_template("auth/unconfirmed.html", form=ResendConfirmationForm())


@bp.route("/login", methods=["GET", "POST"])
@login_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user, remember=form.remember_me.data)
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.index"))
        flash("Invalid email or password.", "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        sign_out()
        flash("You have been logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if EmptyForm().validate_on_submit():
        sign_out_everywhere()
        flash("You have been logged out on every device.", "info")
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
@account_mail_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = User(email=form.email.data, username=form.username.data, password=form.password.data)
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # taken by a concurrent registration since validation
            db.session.rollback()
            form.email.errors.append("Email or username already registered.")
            return render_template("auth/register.html", form=form)
        _send_confirmation(user)
        sign_in(user, remember=False)
        flash("A confirmation email has been sent to you. Please check your inbox.", "success")
        return redirect(url_for("auth.unconfirmed"))
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>")
@login_required
def confirm(token: str):
    if current_user.confirmed:
        return redirect(url_for("main.index"))
    if current_user.confirm(token):
        db.session.commit()
        flash("You have confirmed your account. Thanks!", "success")
    else:
        flash("The confirmation link is invalid or has expired.", "danger")
    return redirect(url_for("main.index"))


@bp.route("/confirm", methods=["POST"])
@login_required
@account_mail_limit
def resend_confirmation():
    if current_user.confirmed:
        return redirect(url_for("main.index"))
    if ResendConfirmationForm().validate_on_submit():
        _send_confirmation(current_user)
        flash("A new confirmation email has been sent to you.", "success")
    return redirect(url_for("auth.unconfirmed"))


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
            flash("Your password has been updated.", "success")
            return redirect(url_for("main.index"))
        form.old_password.errors.append("Invalid password.")
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@account_mail_limit
def password_reset_request():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        # The same answer, at the same cost, whether or not the address has an
        # account: the lookup and the mail happen once it is sent (_mail_reset_link).
        after_response(_mail_reset_link, form.email.data, link_base())
        flash("If that address has an account, an email with instructions to reset "
              "the password has been sent to it.", "info")
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
            flash("Your password has been updated. You can now log in.", "success")
            return redirect(url_for("auth.login"))
        flash("The password reset link is invalid or has expired.", "danger")
        return redirect(url_for("auth.password_reset_request"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/change_email", methods=["GET", "POST"])
@login_required
@account_mail_limit
def change_email_request():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not current_user.verify_password(form.password.data):
            form.password.errors.append("Invalid password.")
        elif move_would_leave_no_administrator(current_user, form.email.data):
            form.email.errors.append(
                "You are the only Administrator, and the role comes from this address "
                "(FLASKY_ADMIN). Make someone else an Administrator first.")
        else:
            new_email = form.email.data  # canonical: the form's validator made it so
            token = current_user.generate_email_change_token(new_email)
            send_email(new_email, "Confirm your email address", "auth/email/change_email",
                       user=current_user, token=token)
            flash("An email with instructions to confirm your new address has been sent to it.",
                  "info")
            return redirect(url_for("main.index"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/change_email/<token>")
@login_required
def change_email(token: str):
    if current_user.change_email(token):
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash("That email address is already registered.", "danger")
            return redirect(url_for("main.index"))
        keep_this_session()
        flash("Your email address has been updated.", "success")
    else:
        flash("The email change link is invalid or has expired.", "danger")
    return redirect(url_for("main.index"))


def _mail_reset_link(email: str, base_url: str) -> None:
    """Once the reset request is answered: mail a reset link if the address has an
    account, with links to the host the request named (or FLASKY_BASE_URL)."""
    user = User.by_email(email)
    if user is None:
        return
    with links_based_at(base_url):
        send_email(user.email, "Reset Your Password", "auth/email/reset_password",
                   user=user, token=user.generate_reset_token())
