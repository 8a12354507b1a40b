"""Logging in and out (here, or on every device at once)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.auth import bp, two_factor, two_factor_login
from app.auth.forms import LoginForm
from app.auth.redirects import safe_next_url
from app.auth.sessions import sign_in, sign_out, sign_out_everywhere
from app.forms import EmptyForm
from app.models import User
from app.security.rate_limits import login_limit
from app.social.suspensions import is_suspended, suspended_until_text


@bp.route("/login", methods=["GET", "POST"])
@login_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.authenticate(form.email.data, form.password.data)
        if user is not None and is_suspended(user):
            flash(suspended_until_text(user), "danger")
        elif user is not None and two_factor.is_enabled(user):
            two_factor_login.begin(user, form.remember_me.data, request.args.get("next"))
            return redirect(url_for("auth.two_factor_login_step"))
        elif user is not None:
            sign_in(user, remember=form.remember_me.data)
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.index"))
        flash(_("Invalid email or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        sign_out()
        flash(_("You have been logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if EmptyForm().validate_on_submit():
        sign_out_everywhere()
        flash(_("You have been logged out on every device."), "info")
    return redirect(url_for("main.index"))
