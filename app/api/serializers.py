"""JSON shapes of the API (SPEC section 5); URLs are absolute."""

from typing import Any

from flask import url_for


def user_to_json(user: Any, post_count: int | None = None) -> dict[str, Any]:
    return {
        "url": url_for("api.get_user", id=user.id, _external=True),
        "username": user.username,
        "member_since": user.member_since.isoformat(),
        "last_seen": user.last_seen.isoformat(),
        "posts_url": url_for("api.get_user_posts", id=user.id, _external=True),
        "followed_posts_url": url_for("api.get_user_timeline", id=user.id, _external=True),
        "post_count": post_count if post_count is not None else _count_posts(user),
    }


def post_to_json(post: Any, comment_count: int | None = None) -> dict[str, Any]:
    return {
        "url": url_for("api.get_post", id=post.id, _external=True),
        "body": post.body,
        "body_html": post.body_html,
        "timestamp": post.timestamp.isoformat(),
        "author_url": url_for("api.get_user", id=post.author_id, _external=True),
        "comments_url": url_for("api.get_post_comments", id=post.id, _external=True),
        "comment_count": comment_count if comment_count is not None else _count_comments(post),
    }


def comment_to_json(comment: Any, show_disabled: bool = False) -> dict[str, Any]:
    hidden = comment.disabled and not show_disabled
    return {
        "url": url_for("api.get_comment", id=comment.id, _external=True),
        "post_url": url_for("api.get_post", id=comment.post_id, _external=True),
        "body": None if hidden else comment.body,
        "body_html": None if hidden else comment.body_html,
        "timestamp": comment.timestamp.isoformat(),
        "author_url": url_for("api.get_user", id=comment.author_id, _external=True),
        "disabled": comment.disabled,
    }


def users_to_json(users: list[Any]) -> list[dict[str, Any]]:
    """A page of users, with every post count from one grouped query."""
    from app.queries import post_counts

    counts = post_counts(user.id for user in users)
    return [user_to_json(user, counts[user.id]) for user in users]


def posts_to_json(posts: list[Any]) -> list[dict[str, Any]]:
    """A page of posts, with every comment count from one grouped query."""
    from app.queries import comment_counts

    counts = comment_counts(post.id for post in posts)
    return [post_to_json(post, counts[post.id]) for post in posts]


def comments_to_json(comments: list[Any], show_disabled: bool = False) -> list[dict[str, Any]]:
    return [comment_to_json(comment, show_disabled) for comment in comments]


def _count_posts(user: Any) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Post

    return db.session.scalar(select(func.count()).where(Post.author_id == user.id)) or 0


def _count_comments(post: Any) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Comment

    return db.session.scalar(select(func.count()).where(Comment.post_id == post.id)) or 0
