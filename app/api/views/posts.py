"""Posts: read by every caller, written by those with WRITE."""

from flask import abort, url_for

from app import audit
from app.access import acting_user, can_delete_post, can_edit_post, require
from app.api import bp
from app.api.forms import (
    json_body,
    post_body_from_json,
    post_draft_from_json,
    post_title_from_json,
)
from app.api.serializers import page_to_json, post_to_json, posts_to_json
from app.decorators import permission_required
from app.extensions import db
from app.loading import get_shown_post_or_404
from app.models import Permission, Post
from app.queries import all_posts, drafts_of
from app.security.rate_limits import editing_limit, posting_limit
from app.social.visibility import without_hidden


@bp.get("/posts/")
def get_posts():
    # Only suspensions hide posts from everyone alike, so the page stays shared.
    return page_to_json(without_hidden(all_posts(), Post.author_id, None), "posts",
                        posts_to_json, same_for_every_caller=True)


@bp.post("/posts/")
@permission_required(Permission.WRITE)
@posting_limit
def new_post():
    post = Post.from_json(json_body())
    post.author = acting_user()
    db.session.add(post)
    db.session.commit()
    return post_to_json(post), 201, {"Location": url_for("api.get_post", id=post.id,
                                                         _external=True)}


@bp.get("/drafts/")
@permission_required(Permission.WRITE)
def get_drafts():
    """The caller's drafts (nobody else's are ever listed)."""
    return page_to_json(drafts_of(acting_user()), "posts", posts_to_json)


@bp.get("/posts/<int:id>")
def get_post(id: int):
    return post_to_json(get_shown_post_or_404(id))


@bp.put("/posts/<int:id>")
@editing_limit
def edit_post(id: int):
    post = get_shown_post_or_404(id)
    require(can_edit_post(post), "only the author or an administrator may edit this post")
    data = json_body()
    post.body = post_body_from_json(data)
    post.title = post_title_from_json(data, default=post.title)
    if not post_draft_from_json(data, default=post.draft):
        post.publish()
    elif not post.draft:
        abort(400, "a published post cannot become a draft again")
    db.session.commit()
    return post_to_json(post)


@bp.delete("/posts/<int:id>")
def delete_post(id: int):
    post = get_shown_post_or_404(id)
    require(can_delete_post(post), "only the author or a moderator may delete this post")
    audit.record_removal(acting_user(), "post", post)
    db.session.delete(post)
    db.session.commit()
    return "", 204
