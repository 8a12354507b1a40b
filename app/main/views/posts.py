"""A post's own page: permalink, comments, editing and deleting."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app import audit, queries
from app.access import can_delete_comment, can_delete_post, can_edit_post, require
from app.extensions import db
from app.forms import EmptyForm
from app.images.posts import attach_images, remove_images
from app.loading import get_comment_or_404, get_post_or_404
from app.main import bp
from app.main.forms import CommentForm, DraftForm, EditPostForm
from app.models import Comment, Permission, Post, PostImage
from app.pagination import last_page, page_of
from app.security.rate_limits import editing_limit, posting_limit
from app.social.blocking import refuse_if_blocked


def _comments_page_url(post_id: int, page: int | None = None, anchor: str = "comments") -> str:
    """The post page that shows comment ``page`` (the last one when None)."""
    if page is None:
        total = queries.comment_counts([post_id])[post_id]
        page = last_page(total, "FLASKY_COMMENTS_PER_PAGE")
    return url_for(".post", id=post_id, page=page, _anchor=anchor)


@bp.route("/post/<int:id>", methods=["GET", "POST"])
@bp.route("/post/<int:id>/<path:slug>", methods=["GET", "POST"])
@posting_limit
def post(id: int, slug: str | None = None):
    post = get_post_or_404(id)
    if slug is not None and slug != post.slug and request.method == "GET":
        return redirect(url_for(".post", id=post.id, slug=post.slug or None,
                                **request.args), 301)
    if request.method == "POST" and current_user.is_anonymous:
        return current_app.login_manager.unauthorized()
    # A visitor is shown no composer: its form is not built.
    form = CommentForm() if current_user.is_authenticated else None
    if request.method == "POST":
        require(current_user.can(Permission.COMMENT))
        require(not post.draft, _("A draft takes no comments until it is published."))
        refuse_if_blocked(post.author, current_user)
        if form.validate_on_submit():
            comment = Comment(body=form.body.data, post=post,
                              author=current_user._get_current_object())
            db.session.add(comment)
            db.session.commit()
            flash(_("Your comment has been published."), "success")
            return redirect(_comments_page_url(post.id, anchor=f"comment-{comment.id}"))
    pagination = page_of(queries.post_comments(post), "FLASKY_COMMENTS_PER_PAGE")
    return render_template("post.html", post=post, form=form, pagination=pagination,
                           comments=pagination.items,
                           title=post.title or _("Post by %(username)s",
                                                 username=post.author.username))


@bp.route("/edit/<int:id>", methods=["GET", "POST"])
@login_required
@editing_limit
def edit(id: int):
    post = get_post_or_404(id)
    require(can_edit_post(post))
    form = (DraftForm if post.draft else EditPostForm)(obj=post, draft_id=str(post.id))
    if form.validate_on_submit() and _room_for_images(post, form):
        _save_edit(post, form)
        db.session.commit()
        if post.draft:
            return redirect(url_for(".edit", id=post.id))
        return redirect(url_for(".post", id=post.id, slug=post.slug or None))
    return render_template("edit_post.html", form=form, post=post,
                           title=_("Edit draft") if post.draft else _("Edit post"))


def _removed_image_ids() -> set[int]:
    return {int(value) for value in request.form.getlist("remove_image")
            if value.isdecimal() and len(value) < 19}


def _room_for_images(post: Post, form: EditPostForm) -> bool:
    """The images kept and added fit the post's allowance; else a form error."""
    kept = [image for image in post.images if image.id not in _removed_image_ids()]
    if len(kept) + len(form.images.data) <= PostImage.MAX_PER_POST:
        return True
    form.images.errors = [_("A post may have at most %(num)s images: remove one to add "
                            "another.", num=PostImage.MAX_PER_POST)]
    return False


def _save_edit(post: Post, form: EditPostForm) -> None:
    post.title, post.body = form.title.data, form.body.data
    remove_images(post, _removed_image_ids())
    attach_images(post, form.images.data)
    if post.draft and not form.save_draft.data:
        post.publish()
        flash(_("Your post has been published."), "success")
    else:
        flash(_("The draft has been saved.") if post.draft else _("The post has been updated."),
              "success")


@bp.route("/post/<int:id>/delete", methods=["GET", "POST"])
@login_required
def delete_post(id: int):
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    post = get_post_or_404(id)
    require(can_delete_post(post))
    form = EmptyForm()
    if form.validate_on_submit():
        audit.record_removal(current_user, "post", post)
        db.session.delete(post)
        db.session.commit()
        flash(_("The post has been deleted."), "success")
        return redirect(url_for(".index"))
    return render_template("delete_post.html", form=form, post=post, title=_("Delete post"))


@bp.route("/comment/<int:id>/delete", methods=["POST"])
@login_required
def delete_comment(id: int):
    comment = get_comment_or_404(id)
    require(can_delete_comment(comment))
    post_id = comment.post_id
    if EmptyForm().validate_on_submit():
        audit.record_removal(current_user, "comment", comment)
        db.session.delete(comment)
        db.session.commit()
        flash(_("The comment has been deleted."), "success")
    # Stay on the page the comment was on, unless deleting it emptied that page.
    total = queries.comment_counts([post_id])[post_id]
    page = min(request.args.get("page", 1, type=int), last_page(total, "FLASKY_COMMENTS_PER_PAGE"))
    return redirect(_comments_page_url(post_id, page=max(page, 1)))

