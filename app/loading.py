"""Load-or-404: the one way views (pages and API) fetch the row a URL names."""

from typing import TypeVar

from flask import abort
from flask_babel import _
from sqlalchemy.orm import joinedload

from app.access import can_read_post, can_read_suspended_posts
from app.extensions import db
from app.hashtags import is_tag_name
from app.models import Comment, Post, Tag, User
from app.social.suspensions import is_suspended

Model = TypeVar("Model")


# Whole sentences per model, so each language words them its own way.
NOT_FOUND = {
    "User": lambda: _("There is no such user. It may have been deleted."),
    "Post": lambda: _("There is no such post. It may have been deleted."),
    "Comment": lambda: _("There is no such comment. It may have been deleted."),
    "Message": lambda: _("There is no such message. It may have been deleted."),
    "Report": lambda: _("There is no such report. It may have been deleted."),
}


def _not_found() -> str:
    return _("There is nothing here. It may have been deleted.")


def get_or_404(model: type[Model], id: int, options: tuple = ()) -> Model:
    """The row with primary key ``id`` (ids beyond the column never reach here:
    the URL converter refuses them); 404 when there is none."""
    sentence = NOT_FOUND.get(model.__name__, _not_found)
    return db.get_or_404(model, id, options=list(options), description=sentence())


def get_post_or_404(id: int) -> Post:
    """The post with its author and its images loaded in one query (its images
    loaded, as lists load them, so its card can be kept: app/caching/cards.py; the
    author without their role, which the card does not show); 404 for someone
    else's draft, exactly as if it did not exist."""
    post = get_or_404(Post, id, options=(joinedload(Post.author).lazyload(User.role),
                                         joinedload(Post.images)))
    if not can_read_post(post):
        abort(404, description=_("There is no such post. It may have been deleted."))
    return post


def get_shown_post_or_404(id: int) -> Post:
    """``get_post_or_404``, and 404 as well for a suspended author's post unless
    the caller moderates (the API's reading; pages show a notice instead)."""
    post = get_post_or_404(id)
    if is_suspended(post.author) and not can_read_suspended_posts():
        abort(404, description=_("There is no such post. It may have been deleted."))
    return post


def get_comment_or_404(id: int) -> Comment:
    return get_or_404(Comment, id)


def get_user_or_404(username: str) -> User:
    """The user whatever the case of ``username``."""
    user = User.by_username(username)
    if user is None:
        abort(404, description=_("There is no user called %(username)s.", username=repr(username)))
    return user


def get_tag_or_404(name: str) -> Tag:
    """The tag whatever the case of ``name``; 404, saying why, for a name that
    is no tag (punctuation, too long) or one no post has used."""
    tag = Tag.by_name(name) if is_tag_name(name) else None
    if tag is None:
        abort(404, description=_("There is no tag #%(tag)s.", tag=name[:80]))
    return tag
