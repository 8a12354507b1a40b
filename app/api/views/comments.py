"""Comments: written by those with COMMENT, moderated by those with MODERATE.

A disabled comment's text is shown only to moderators.
"""

from flask import abort, url_for

from app import audit
from app.access import acting_user, can_delete_comment, require
from app.api import bp
from app.api.forms import disabled_from_json, json_body
from app.api.serializers import comment_to_json, comments_to_json, page_to_json
from app.decorators import permission_required
from app.extensions import db
from app.loading import get_or_404, get_shown_post_or_404
from app.models import Comment, Permission
from app.queries import post_comments, recent_comments
from app.security.rate_limits import posting_limit
from app.social.blocking import refuse_if_blocked
from app.social.visibility import without_hidden


def _shown(comment: Comment) -> dict:
    return comment_to_json(comment, show_disabled=acting_user().can(Permission.MODERATE))


def _comments_to_json(comments: list[Comment]) -> list[dict]:
    return comments_to_json(comments, show_disabled=acting_user().can(Permission.MODERATE))


@bp.get("/comments/")
def get_comments():
    comments = without_hidden(recent_comments(), Comment.author_id, acting_user(),
                              muted_too=False)
    return page_to_json(comments, "comments", _comments_to_json, "FLASKY_COMMENTS_PER_PAGE")


@bp.get("/posts/<int:id>/comments/")
def get_post_comments(id: int):
    newest_first = post_comments(get_shown_post_or_404(id)).order_by(None).order_by(
        Comment.timestamp.desc(), Comment.id.desc())
    newest_first = without_hidden(newest_first, Comment.author_id, acting_user(),
                                  muted_too=False)
    return page_to_json(newest_first, "comments", _comments_to_json, "FLASKY_COMMENTS_PER_PAGE")


@bp.post("/posts/<int:id>/comments/")
@permission_required(Permission.COMMENT)
@posting_limit
def new_post_comment(id: int):
    post = get_shown_post_or_404(id)
    if post.draft:
        abort(400, "a draft takes no comments until it is published")
    refuse_if_blocked(post.author, acting_user())
    comment = Comment.from_json(json_body())
    comment.post, comment.author = post, acting_user()
    db.session.add(comment)
    db.session.commit()
    location = url_for("api.get_comment", id=comment.id, _external=True)
    return _shown(comment), 201, {"Location": location}


@bp.get("/comments/<int:id>")
def get_comment(id: int):
    return _shown(get_or_404(Comment, id))


@bp.delete("/comments/<int:id>")
def delete_comment(id: int):
    comment = get_or_404(Comment, id)
    require(can_delete_comment(comment),
            "only the author or a moderator may delete this comment")
    audit.record_removal(acting_user(), "comment", comment)
    db.session.delete(comment)
    db.session.commit()
    return "", 204


@bp.put("/comments/<int:id>/moderation")
@permission_required(Permission.MODERATE)
def moderate_comment(id: int):
    comment = get_or_404(Comment, id)
    disabled = disabled_from_json(json_body())
    if comment.disabled != disabled:
        audit.record(acting_user(), audit.DISABLE_COMMENT if disabled else audit.ENABLE_COMMENT,
                     user=comment.author, target=f"comment:{comment.id}")
    comment.disabled = disabled
    db.session.commit()
    return _shown(comment)
