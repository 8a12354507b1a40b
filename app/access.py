"""Who may do what: one answer for the pages, the templates and the API.

Views answer 403 with these checks and templates show links and buttons with
the same ones, so a link is never offered that would fail. ``acting_user()``
is whoever makes the request: the page's signed-in user, or the API's
authenticated caller (the API never authenticates by cookie). None of the
checks queries the database (the role is loaded with the user).
"""

from typing import Any

from flask import abort, g, has_request_context, request
from flask_login import current_user

from app.models import AnonymousUser, Comment, Permission, Post


def acting_user() -> Any:
    """The user this request acts for (an ``AnonymousUser`` when nobody)."""
    if has_request_context() and request.blueprint == "api":
        return g.get("api_user") or AnonymousUser()
    return current_user


def _is_author(thing: Post | Comment, user: Any) -> bool:
    return user.is_authenticated and thing.author_id == user.id


def can_read_post(post: Post, user: Any = None) -> bool:
    """A draft is its author's alone (not even administrators read it); a
    published post is everyone's."""
    return not post.draft or _is_author(post, user or acting_user())


def can_edit_post(post: Post, user: Any = None) -> bool:
    """Authors edit their posts; administrators edit anyone's."""
    user = user or acting_user()
    return _is_author(post, user) or user.can(Permission.ADMIN)


def can_delete_post(post: Post, user: Any = None) -> bool:
    """Authors delete their posts; moderators and administrators delete anyone's."""
    user = user or acting_user()
    return _is_author(post, user) or user.can(Permission.MODERATE)


def can_delete_comment(comment: Comment, user: Any = None) -> bool:
    user = user or acting_user()
    return _is_author(comment, user) or user.can(Permission.MODERATE)


def can_read_suspended_posts(user: Any = None) -> bool:
    """While its author is suspended a post is hidden from everyone but
    moderators: pages show a notice in its place, the API answers 404."""
    user = user or acting_user()
    return user.can(Permission.MODERATE)


def can_read_disabled_comments(user: Any = None) -> bool:
    """A disabled comment stays in place, readable by moderators only (its page,
    the API and search alike)."""
    user = user or acting_user()
    return user.can(Permission.MODERATE)


def require(allowed: bool, refusal: str | None = None) -> None:
    """Answer 403 (a page or a JSON error, by the request) unless ``allowed``."""
    if not allowed:
        abort(403, refusal)


def access_helpers() -> dict[str, Any]:
    """The checks, for templates."""
    return {"can_edit_post": can_edit_post, "can_delete_post": can_delete_post,
            "can_delete_comment": can_delete_comment}
