"""Who may change which post or comment: one answer for the views and the templates.

The views answer 403 with these checks and the templates show links and
buttons with the same ones, so a link is never offered that would fail.
None of them queries the database (the role is loaded with the user).
"""

from flask import abort
from flask_login import current_user

from app.main import bp
from app.models import Comment, Permission, Post


def can_edit_post(post: Post) -> bool:
    """Authors edit their posts; administrators edit anyone's."""
    if not current_user.is_authenticated:
        return False
    return post.author_id == current_user.id or current_user.can(Permission.ADMIN)


def can_delete_post(post: Post) -> bool:
    """Authors delete their posts; moderators and administrators delete anyone's."""
    if not current_user.is_authenticated:
        return False
    return post.author_id == current_user.id or current_user.can(Permission.MODERATE)


def can_delete_comment(comment: Comment) -> bool:
    if not current_user.is_authenticated:
        return False
    return comment.author_id == current_user.id or current_user.can(Permission.MODERATE)


def require(allowed: bool) -> None:
    """Answer 403 unless ``allowed``."""
    if not allowed:
        abort(403)


@bp.app_context_processor
def access_helpers() -> dict:
    return {"can_edit_post": can_edit_post, "can_delete_post": can_delete_post,
            "can_delete_comment": can_delete_comment}
