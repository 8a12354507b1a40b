"""The home page with its timelines, the Markdown preview, and avatars."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import queries
from app.api.errors import error_response
from app.extensions import db
from app.identicon import identicon_svg, is_avatar_hash
from app.main import bp
from app.main.forms import ABOUT_ME_MAX_LENGTH, PostForm
from app.main.helpers import paginate
from app.models import Comment, Permission, Post
from app.rendering import (
    RenderingRefused,
    render_comment_html,
    render_post_html,
    render_profile_html,
)
from app.security import posting_limit, preview_limit

SHOW_FOLLOWED_COOKIE = "show_followed"
SHOW_FOLLOWED_MAX_AGE = 30 * 24 * 3600

# What the preview can render: the same function and limit that saving uses.
PREVIEW_RENDERERS = {
    "post": (render_post_html, Post.BODY_MAX_LENGTH),
    "comment": (render_comment_html, Comment.BODY_MAX_LENGTH),
    "profile": (render_profile_html, ABOUT_ME_MAX_LENGTH),
}


def showing_followed() -> bool:
    return current_user.is_authenticated and bool(request.cookies.get(SHOW_FOLLOWED_COOKIE))


@bp.route("/", methods=["GET", "POST"])
@posting_limit
def index():
    form = PostForm()
    if request.method == "POST":
        if not current_user.can(Permission.WRITE):
            abort(403)
        if form.validate_on_submit():
            db.session.add(Post(body=form.body.data, author=current_user._get_current_object()))
            db.session.commit()
            flash("Your post has been published.", "success")
            return redirect(url_for(".index"))
    show_followed = showing_followed()
    query = queries.followed_posts(current_user) if show_followed else queries.all_posts()
    pagination = paginate(query, "FLASKY_POSTS_PER_PAGE")
    return render_template(
        "index.html", form=form, pagination=pagination, posts=pagination.items,
        comment_counts=queries.comment_counts(post.id for post in pagination.items),
        show_followed=show_followed,
    )


def _switch_timeline(show_followed: bool):
    """The tab is a display preference kept in a cookie, not data: a GET may set it."""
    response = make_response(redirect(url_for(".index")))
    response.set_cookie(SHOW_FOLLOWED_COOKIE, "1" if show_followed else "",
                        max_age=SHOW_FOLLOWED_MAX_AGE, httponly=True, samesite="Lax")
    return response


@bp.route("/all")
@login_required
def show_all():
    return _switch_timeline(False)


@bp.route("/followed")
@login_required
def show_followed():
    return _switch_timeline(True)


@bp.route("/preview", methods=["POST"])
@login_required
@preview_limit
def preview():
    """Render Markdown exactly as saving would, for the live preview beside a form."""
    kind = request.form.get("kind", "post")
    if kind not in PREVIEW_RENDERERS:
        return error_response(400, f"Unknown preview kind {kind!r}.")
    render, max_length = PREVIEW_RENDERERS[kind]
    body = request.form.get("body", "")
    if len(body) > max_length:
        return error_response(400, f"Please keep it under {max_length:,} characters.")
    try:
        return {"html": render(body)}
    except RenderingRefused as refused:
        return error_response(400, refused.sentence)


@bp.route("/avatar/<avatar_hash>.svg")
def identicon(avatar_hash: str):
    """A local identicon; its URL names its content, so it may be cached for a year."""
    if not is_avatar_hash(avatar_hash):
        abort(404)
    response = make_response(identicon_svg(avatar_hash))
    response.mimetype = "image/svg+xml"
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    response.cache_control.immutable = True
    return response
