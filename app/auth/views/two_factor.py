"""The second step of logging in: the code from the app, or a recovery code."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _, ngettext
from flask_login import current_user

from app.auth import bp, two_factor, two_factor_login
from app.auth.two_factor_forms import TwoFactorLoginForm
from app.extensions import db
from app.security.rate_limits import code_entry_limit

code_limit = code_entry_limit(lambda: two_factor_login.pending_user_id())


@bp.route("/two-factor", methods=["GET", "POST"])
@code_limit
def two_factor_login_step():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user = two_factor_login.pending_user()
    if user is None:
        flash(_("Your login has expired or was not started. Log in again."), "warning")
        return redirect(url_for("auth.login"))
    form = TwoFactorLoginForm()
    if form.validate_on_submit():
        try:
            two_factor.check_code(user, form.code.data)
        except two_factor.CodeRefused as refused:
            db.session.rollback()
            form.code.errors.append(str(refused))
        else:
            next_url = two_factor_login.finish(user)  # commits the code's use with the login
            _warn_when_recovery_codes_run_low(user)
            return redirect(next_url or url_for("main.index"))
    return render_template("auth/two_factor.html", form=form, title=_("Two-factor authentication"))


def _warn_when_recovery_codes_run_low(user) -> None:
    left = two_factor.remaining_recovery_codes(user)
    if left <= 3:
        flash(ngettext("You have %(num)d recovery code left. Make new ones in your settings.",
                       "You have %(num)d recovery codes left. Make new ones in your settings.",
                       left), "warning")
