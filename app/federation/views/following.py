"""Following an account on another server by its handle."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.database import committed
from app.decorators import permission_required
from app.federation import bp
from app.federation.addresses import site_host
from app.federation.forms import RemoteFollowForm
from app.federation.handles import find_account
from app.federation.remote import RemoteError
from app.models import Permission
from app.security.rate_limits import following_limit
from app.social.blocking import follow_refusal


@bp.route("/federation/follow", methods=["GET", "POST"])
@login_required
@permission_required(Permission.FOLLOW)
@following_limit
def follow_remote():
    form = RemoteFollowForm()
    if form.validate_on_submit():
        handle = form.handle.data.strip().lstrip("@")
        if handle.rpartition("@")[2].lower() == site_host():
            form.handle.errors.append(_("That account is on this site: follow it on its page."))
        else:
            try:
                account = find_account(handle)
            except RemoteError as error:
                form.handle.errors.append(_("%(handle)s cannot be followed: %(reason)s.",
                                            handle=handle, reason=error))
            else:
                return _follow(account.user)
    return render_template("federation/follow_remote.html", form=form)


def _follow(user):
    refusal = follow_refusal(current_user, user)
    if refusal is not None:
        flash(refusal, "warning")
    elif current_user.follow(user) and committed():
        flash(_("You asked to follow %(name)s; their posts will appear in your Followed "
                "timeline.", name=user.username), "success")
    else:
        flash(_("You are already following %(name)s.", name=user.username), "info")
    return redirect(url_for("main.user", username=user.username))
