"""Tags: the posts under a tag, and following a tag (POST, with a CSRF token)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app import queries
from app.database import committed
from app.decorators import permission_required
from app.extensions import db
from app.forms import EmptyForm
from app.loading import get_tag_or_404
from app.main import bp
from app.models import Permission, TagFollow
from app.pagination import page_of
from app.security.rate_limits import following_limit
from app.social import visibility


@bp.route("/tag/<name>")
def tag(name: str):
    tag = get_tag_or_404(name)
    if name != tag.key:  # one address per tag, however it was typed
        return redirect(url_for(".tag", name=tag.key), 301)
    pagination = page_of(visibility.timeline(queries.tag_posts(tag), current_user),
                         "FLASKY_POSTS_PER_PAGE")
    return render_template(
        "tag.html", tag=tag, pagination=pagination, posts=pagination.items,
        comment_counts=queries.comment_counts(post.id for post in pagination.items),
        following=queries.follows_tag(current_user, tag), title=f"#{tag.name}")


@bp.route("/tag/<name>/follow", methods=["POST"])
@login_required
@permission_required(Permission.FOLLOW)
@following_limit
def follow_tag(name: str):
    tag = get_tag_or_404(name)
    if EmptyForm().validate_on_submit():
        if not queries.follows_tag(current_user, tag):
            db.session.add(TagFollow(user_id=current_user.id, tag_id=tag.id))
            committed()  # False: a concurrent request followed it first, the same
        flash(_("Posts tagged #%(tag)s now appear in your Followed timeline.", tag=tag.name),
              "success")
    return redirect(url_for(".tag", name=tag.key))


@bp.route("/tag/<name>/unfollow", methods=["POST"])
@login_required
@permission_required(Permission.FOLLOW)
@following_limit
def unfollow_tag(name: str):
    tag = get_tag_or_404(name)
    if EmptyForm().validate_on_submit():
        follow = db.session.get(TagFollow, (current_user.id, tag.id))
        if follow is not None:
            db.session.delete(follow)
            db.session.commit()
        flash(_("You no longer follow #%(tag)s.", tag=tag.name), "success")
    return redirect(url_for(".tag", name=tag.key))
