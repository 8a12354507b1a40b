"""The home page: the post form and the All / Followed timelines, each at its own URL.

``/all`` and ``/followed`` show their timeline (and its pages, ``/followed?page=2``);
``/`` shows the one the signed-in reader last chose, remembered in a cookie. The
cookie only picks what ``/`` itself shows: a page number on ``/`` (``/?page=15``,
the address visitors and shared links use) is always the All timeline's, so a
remembered Followed tab never turns it into a 404.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from app import queries
from app.caching import cached
from app.drafts import save_post
from app.extensions import db
from app.main import bp
from app.main.forms import PostForm
from app.models import Permission
from app.onboarding import checklist
from app.pagination import page_number, page_of
from app.security.rate_limits import posting_limit
from app.social import visibility
from app.social.suggestions import suggestions_for

SHOW_FOLLOWED_COOKIE = "show_followed"
SHOW_FOLLOWED_MAX_AGE = 30 * 24 * 3600
ALL, FOLLOWED = "all", "followed"
# The week's tags follow new posts at once, and an edit's new tags within this.
TRENDING_SECONDS = 300


def remembered_tab() -> str:
    """The tab ``/`` shows: the signed-in reader's last choice, else All."""
    if current_user.is_authenticated and request.cookies.get(SHOW_FOLLOWED_COOKIE):
        return FOLLOWED
    return ALL


def _shown_tab(tab: str | None) -> str:
    if tab is not None:
        return tab
    return remembered_tab() if page_number() == 1 else ALL


# Registered bottom up, so ``url_for(".index")`` builds the first: ``/``.
@bp.route("/followed", defaults={"tab": FOLLOWED})
@bp.route("/all", defaults={"tab": ALL})
@bp.route("/", methods=["GET", "POST"], defaults={"tab": None})
@posting_limit
def index(tab: str | None):
    if tab == FOLLOWED and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    # A visitor is shown no composer: its form (WTForms fields, their messages) is not built.
    form = PostForm() if current_user.is_authenticated else None
    if request.method == "POST":
        published = _publish(form)
        if published is not None:
            return published
    shown = _shown_tab(tab)
    query = queries.followed_posts(current_user) if shown == FOLLOWED else queries.all_posts()
    pagination = page_of(visibility.timeline(query, current_user), "FLASKY_POSTS_PER_PAGE",
                         total=False)
    signed_in = current_user.is_authenticated
    response = current_app.make_response(render_template(
        "index.html", form=form, pagination=pagination, posts=pagination.items,
        comment_counts=queries.comment_counts(post.id for post in pagination.items),
        show_followed=shown == FOLLOWED, trending=_trending_tags(),
        # Pages keep their tab in the URL; a visitor's ``/`` is always All.
        page_arguments={"tab": shown} if signed_in else {},
        suggestions=suggestions_for(current_user) if signed_in else [],
        checklist=checklist(current_user) if signed_in else None,
    ))
    if signed_in and tab is not None and tab != remembered_tab():
        _remember(response, tab)
    return response


def _publish(form: PostForm | None):
    """A redirect once the post (or draft) is saved; None to show the form's errors.
    (A visitor, who has no form, may not write.)"""
    if form is None or not current_user.can(Permission.WRITE):
        abort(403)
    if not form.validate_on_submit():
        return None
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


def _trending_tags() -> list[tuple[str, str, int]]:
    """``(name, key, posts)`` of the week's most used tags, kept until content changes."""
    return cached("trending-tags", queries.trending_tags, lists=("table:posts",),
                  timeout=TRENDING_SECONDS)


def _remember(response, tab: str) -> None:
    """The tab is a display preference kept in a cookie, not data: a GET may set it.
    It is sent only when it changes, so the page stays cacheable."""
    response.set_cookie(SHOW_FOLLOWED_COOKIE, "1" if tab == FOLLOWED else "",
                        max_age=SHOW_FOLLOWED_MAX_AGE, httponly=True, samesite="Lax")
