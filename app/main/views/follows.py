"""Following and unfollowing people (POST, with a CSRF token), from a profile or
from any list of people, which the button's ``next`` leads back to."""

from flask import flash, redirect, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.auth.redirects import safe_next_url
from app.database import committed
from app.decorators import permission_required
from app.extensions import db
from app.forms import EmptyForm
from app.loading import get_user_or_404
from app.main import bp
from app.models import Permission
from app.security.rate_limits import following_limit
from app.social.blocking import follow_refusal


@bp.route("/follow/<username>", methods=["POST"])
@login_required
@permission_required(Permission.FOLLOW)
@following_limit
def follow(username: str):
    user = get_user_or_404(username)
    if EmptyForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot follow yourself."), "warning")
        elif (refusal := follow_refusal(current_user, user)) is not None:
            flash(refusal, "warning")
        elif _follow(user):
            flash(_("You are now following %(username)s.", username=user.username), "success")
        else:
            flash(_("You are already following %(username)s.", username=user.username), "info")
    return _back(user)


def _back(user):
    """To the list the button was on (a local ``next``), else to the profile."""
    return redirect(safe_next_url(request.form.get("next"))
                    or url_for(".user", username=user.username))


def _follow(user) -> bool:
    """Follow ``user``; False when already followed (even by a concurrent request)."""
    return current_user.follow(user) and committed()


@bp.route("/unfollow/<username>", methods=["POST"])
@login_required
@permission_required(Permission.FOLLOW)
@following_limit
def unfollow(username: str):
    user = get_user_or_404(username)
    if EmptyForm().validate_on_submit():
        if current_user.unfollow(user):
            db.session.commit()
            flash(_("You are not following %(username)s anymore.", username=user.username),
                  "success")
        else:
            flash(_("You were not following %(username)s.", username=user.username), "info")
    return _back(user)
