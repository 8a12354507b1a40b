"""Blocking and muting people (POST, with a CSRF token), from their profile or
the settings page; the rules are in app/social/blocking.py."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.auth.redirects import safe_next_url
from app.database import committed
from app.extensions import db
from app.forms import EmptyForm
from app.loading import get_user_or_404
from app.main import bp
from app.security.rate_limits import following_limit
from app.social import blocking
from app.social.suspensions import is_suspended
from app.social.visibility import hidden_authors


@bp.app_context_processor
def social_helpers() -> dict:
    """For templates: whose comments a post page collapses for the viewer, and
    whose posts are hidden while they are suspended."""
    return {"hidden_authors": lambda: hidden_authors(current_user),
            "is_suspended": is_suspended}


def _change(username: str, change: Callable, done: Callable[[str], str]):
    user = get_user_or_404(username)
    if EmptyForm().validate_on_submit():
        refusal = change(current_user._get_current_object(), user)
        if refusal is not None:
            flash(refusal, "warning")
        elif committed():
            flash(done(user.username), "success")
        else:  # a concurrent request made the same change
            flash(done(user.username), "info")
    back = safe_next_url(request.args.get("next")) or url_for(".user", username=user.username)
    return redirect(back)


@bp.route("/block/<username>", methods=["POST"])
@login_required
@following_limit
def block(username: str):
    return _change(username, blocking.block,
                   lambda name: _("You have blocked %(username)s. They can no longer follow "
                                  "you, comment on your posts, mention you or message you.",
                                  username=name))


@bp.route("/unblock/<username>", methods=["POST"])
@login_required
@following_limit
def unblock(username: str):
    return _change(username, blocking.unblock,
                   lambda name: _("You have unblocked %(username)s.", username=name))


@bp.route("/mute/<username>", methods=["POST"])
@login_required
@following_limit
def mute(username: str):
    return _change(username, blocking.mute,
                   lambda name: _("You have muted %(username)s. Their posts and notifications "
                                  "no longer reach you; they are not told.", username=name))


@bp.route("/unmute/<username>", methods=["POST"])
@login_required
@following_limit
def unmute(username: str):
    return _change(username, blocking.unmute,
                   lambda name: _("You have unmuted %(username)s.", username=name))


@bp.route("/settings/blocks")
@login_required
def blocks_and_mutes():
    user = current_user._get_current_object()
    return render_template("settings/blocks.html", title=_("Blocked and muted people"),
                           blocks=db.session.execute(blocking.blocks_of(user)).all(),
                           mutes=db.session.execute(blocking.mutes_of(user)).all())
