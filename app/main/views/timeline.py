"""The home page: the post form and the All / Followed timelines."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app import queries
from app.caching import cached
from app.drafts import save_post
from app.extensions import db
from app.main import bp
from app.main.forms import PostForm
from app.models import Permission
from app.pagination import page_of
from app.security.rate_limits import posting_limit
from app.social import visibility

SHOW_FOLLOWED_COOKIE = "show_followed"
SHOW_FOLLOWED_MAX_AGE = 30 * 24 * 3600
# The week's tags follow new posts at once, and an edit's new tags within this.
TRENDING_SECONDS = 300


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
            publish = not form.save_draft.data
            post = save_post(current_user._get_current_object(), form.title.data,
                             form.body.data, publish=publish, draft_id=form.draft_id.data,
                             images=form.images.data)
            db.session.commit()
            if not publish:
                flash(_("Your draft has been saved. Only you can see it."), "success")
                return redirect(url_for(".edit", id=post.id))
            flash(_("Your post has been published."), "success")
            return redirect(url_for(".index"))
    show_followed = showing_followed()
    query = queries.followed_posts(current_user) if show_followed else queries.all_posts()
    pagination = page_of(visibility.timeline(query, current_user), "FLASKY_POSTS_PER_PAGE",
                         total=False)
    return render_template(
        "index.html", form=form, pagination=pagination, posts=pagination.items,
        comment_counts=queries.comment_counts(post.id for post in pagination.items),
        show_followed=show_followed, trending=_trending_tags(),
    )


def _trending_tags() -> list[tuple[str, str, int]]:
    """``(name, key, posts)`` of the week's most used tags, kept until content changes."""
    return cached("trending-tags", lambda: [
        (tag.name, tag.key, uses) for tag, uses in db.session.execute(queries.trending_tags())],
        lists=("table:posts",), timeout=TRENDING_SECONDS)


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
