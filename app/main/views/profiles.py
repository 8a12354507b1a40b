"""Profiles, editing one's own, and the lists of followers and followed."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required
from sqlalchemy import false

from app import queries
from app.extensions import db
from app.images.avatars import change_avatar
from app.loading import get_user_or_404
from app.main import bp
from app.main.forms import EditProfileForm
from app.pagination import page_of
from app.social.people import followed_among
from app.social.suspensions import is_suspended


@bp.route("/user/<username>")
def user(username: str):
    user = get_user_or_404(username)
    viewer = current_user if current_user.is_authenticated else None
    counts = queries.user_counts(user, viewer)
    posts = queries.user_posts(user)
    if counts["viewer_blocks"] or is_suspended(user):  # what they wrote is hidden
        posts = posts.where(false())
    pagination = page_of(posts, "FLASKY_POSTS_PER_PAGE", total=False)
    return render_template(
        "user.html", user=user, counts=counts, pagination=pagination, posts=pagination.items,
        comment_counts=queries.comment_counts(post.id for post in pagination.items),
        title=user.username,
    )


@bp.route("/edit-profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = current_user._get_current_object()
    form = EditProfileForm(obj=user)
    if form.validate_on_submit():
        form.populate_obj(user)
        change_avatar(user, form.avatar.avatar, remove=form.remove_avatar.data)
        db.session.commit()
        flash(_("Your profile has been updated."), "success")
        return redirect(url_for(".user", username=user.username))
    return render_template("edit_profile.html", form=form, title=_("Edit your profile"))


@bp.route("/followers/<username>")
def followers(username: str):
    user = get_user_or_404(username)
    pagination = page_of(queries.followers_of(user), "FLASKY_FOLLOWERS_PER_PAGE")
    people = [(follow.follower, follow.timestamp) for follow in pagination.items]
    return _people_page(user, pagination, people, ".followers",
                        _("Followers of %(username)s", username=user.username),
                        _("Nobody follows %(username)s yet.", username=user.username))


@bp.route("/followed_by/<username>")
def followed_by(username: str):
    user = get_user_or_404(username)
    pagination = page_of(queries.followed_by(user), "FLASKY_FOLLOWERS_PER_PAGE")
    people = [(follow.followed, follow.timestamp) for follow in pagination.items]
    return _people_page(user, pagination, people, ".followed_by",
                        _("Followed by %(username)s", username=user.username),
                        _("%(username)s does not follow anyone yet.", username=user.username))


def _people_page(user, pagination, people, endpoint: str, title: str, empty: str) -> str:
    """A page of ``(person, since)``, with the viewer's Follow buttons (one query)."""
    return render_template("followers.html", user=user, pagination=pagination, people=people,
                           followed_ids=followed_among(current_user, (p for p, _ in people)),
                           endpoint=endpoint, title=title, empty=empty)
