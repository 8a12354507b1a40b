"""The JSON the API answers: one shape per model (README "API"), with absolute
URLs, and one shape for a page of a list. Registered as the models'
``to_json()``, so the models themselves know nothing of URLs."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.caching import cached
from app.models import Comment, Message, Notification, Post, PostImage, User
from app.models.base import represent_as_json
from app.pagination import list_tags, number_argument, paginate
from app.queries import comment_counts, post_counts, tag_names

if TYPE_CHECKING:
    from app.exports import ExportStatus

MAX_PER_PAGE = 100


def user_to_json(user: User, post_count: int | None = None) -> dict[str, Any]:
    if post_count is None:
        post_count = post_counts([user.id])[user.id]
    return {
        "url": url_for("api.get_user", id=user.id, _external=True),
        "username": user.username,
        "member_since": user.member_since.isoformat(),
        "last_seen": user.last_seen.isoformat(),
        "posts_url": url_for("api.get_user_posts", id=user.id, _external=True),
        "followed_posts_url": url_for("api.get_user_timeline", id=user.id, _external=True),
        "post_count": post_count,
    }


def post_to_json(post: Post, comment_count: int | None = None,
                 tags: list[str] | None = None) -> dict[str, Any]:
    if comment_count is None:
        comment_count = comment_counts([post.id])[post.id]
    if tags is None:
        tags = tag_names([post.id])[post.id]
    return {
        "url": url_for("api.get_post", id=post.id, _external=True),
        "html_url": url_for("main.post", id=post.id, slug=post.slug or None, _external=True),
        "title": post.title,
        "draft": post.draft,
        "body": post.body,
        "body_html": post.body_html,
        "timestamp": post.timestamp.isoformat(),
        "author_url": url_for("api.get_user", id=post.author_id, _external=True),
        "comments_url": url_for("api.get_post_comments", id=post.id, _external=True),
        "comment_count": comment_count,
        "tags": tags,
        "images": [image_to_json(image) for image in post.images],
    }


def image_to_json(image: PostImage) -> dict[str, Any]:
    return {
        "id": image.id,
        "url": url_for("main.image", name=image.name, _external=True),
        "thumbnail_url": url_for("main.image", name=image.thumbnail_name, _external=True),
        "alt_text": image.alt_text,
        "width": image.width,
        "height": image.height,
    }


def comment_to_json(comment: Comment, show_disabled: bool = False) -> dict[str, Any]:
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


def export_to_json(job_id: int, status: "ExportStatus") -> dict[str, Any]:
    """An export by the id of its job: how far it is, and its zip once done."""
    download_url = (url_for("api.download_export", id=job_id, _external=True)
                    if status.export is not None else None)
    return {
        "url": url_for("api.get_export", id=job_id, _external=True),
        "state": status.state,
        "progress": status.progress,
        "message": status.message,
        "download_url": download_url,
    }


def users_to_json(users: list[User]) -> list[dict[str, Any]]:
    """A page of users, with every post count from one grouped query."""
    counts = post_counts(user.id for user in users)
    return [user_to_json(user, counts[user.id]) for user in users]


def posts_to_json(posts: list[Post]) -> list[dict[str, Any]]:
    """A page of posts, with every comment count and tag from one query each."""
    counts = comment_counts(post.id for post in posts)
    tags = tag_names(post.id for post in posts)
    return [post_to_json(post, counts[post.id], tags[post.id]) for post in posts]


def comments_to_json(comments: list[Comment], show_disabled: bool = False) -> list[dict]:
    return [comment_to_json(comment, show_disabled) for comment in comments]


def page_to_json(query: Select, key: str, to_json: Callable[[list], list[dict[str, Any]]],
                 per_page_setting: str = "FLASKY_POSTS_PER_PAGE",
                 same_for_every_caller: bool = False) -> dict[str, Any]:
    """The page of ``query`` that ``?page=`` and ``?per_page=`` ask for, as
    ``{key: [...], "prev", "next", "count"}``.

    ``to_json`` serializes the whole page at once, so per-item counts can be
    fetched in one grouped query. ``per_page`` above MAX_PER_PAGE is capped.
    A page that is ``same_for_every_caller`` is cached until content changes.
    """
    if same_for_every_caller:
        return cached(f"api-page:{request.url}", lambda: page_to_json(
            query, key, to_json, per_page_setting), lists=list_tags(query))
    page, per_page = page_arguments(per_page_setting)
    pagination = paginate(query, page=page, per_page=per_page, error_out=False)
    return pagination_to_json(pagination, key, to_json)


def page_arguments(per_page_setting: str) -> tuple[int, int]:
    """``?page=`` and ``?per_page=`` (capped at MAX_PER_PAGE), read strictly (400)."""
    page = number_argument("page", 1)
    default = min(current_app.config[per_page_setting], MAX_PER_PAGE)
    return page, min(number_argument("per_page", default), MAX_PER_PAGE)


def pagination_to_json(pagination: Pagination, key: str,
                       to_json: Callable[[list], list[dict[str, Any]]],
                       **arguments: Any) -> dict[str, Any]:
    """A page as ``{key: [...], "prev", "next", "count"}``; the links keep the
    view's arguments and ``arguments`` (a search's query, say)."""

    def page_url(number: int) -> str:
        return url_for(request.endpoint, page=number, per_page=pagination.per_page,
                       _external=True, **request.view_args, **arguments)

    return {
        key: to_json(pagination.items),
        "prev": page_url(pagination.prev_num) if pagination.has_prev else None,
        "next": page_url(pagination.next_num) if pagination.has_next else None,
        "count": pagination.total,
    }


def _api_url(endpoint: str, id: int | None) -> str | None:
    return url_for(endpoint, id=id, _external=True) if id is not None else None


def notification_to_json(notification: Notification) -> dict[str, Any]:
    from app.social.grouping import text_of

    return {
        "id": notification.id,
        "kind": notification.kind,
        "text": text_of(notification),
        "gone": notification.gone,
        "read": notification.read,
        "timestamp": notification.timestamp.isoformat(),
        "actor_url": _api_url("api.get_user", notification.actor_id),
        "post_url": _api_url("api.get_post", notification.post_id),
        "comment_url": _api_url("api.get_comment", notification.comment_id),
        "message_url": _api_url("api.get_message", notification.message_id),
    }


def notifications_to_json(notifications: list[Notification]) -> list[dict[str, Any]]:
    return [notification_to_json(notification) for notification in notifications]


def message_to_json(message: Message) -> dict[str, Any]:
    return {
        "url": url_for("api.get_message", id=message.id, _external=True),
        "sender_url": url_for("api.get_user", id=message.sender_id, _external=True),
        "recipient_url": url_for("api.get_user", id=message.recipient_id, _external=True),
        "body": message.body,
        "body_html": message.body_html,
        "timestamp": message.timestamp.isoformat(),
        "read": message.read_at is not None,
    }


def messages_to_json(messages: list[Message]) -> list[dict[str, Any]]:
    return [message_to_json(message) for message in messages]


represent_as_json(User, to_json=user_to_json)
represent_as_json(Post, to_json=post_to_json)
represent_as_json(Comment, to_json=comment_to_json)
