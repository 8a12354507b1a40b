"""Writing a post in steps: a draft saved by hand or by the form's autosave,
continued later, and published once. The caller owns the transaction."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.images.posts import attach_images
from app.images.processing import Processed
from app.models import Post

DRAFT_ID_DIGITS = 18


def draft_to_continue(author: Any, draft_id: str | None) -> Post | None:
    """The author's draft whose id the form carries, or None (no id, someone
    else's post, or one published meanwhile: the form then starts a new post)."""
    if not draft_id or not draft_id.isdecimal() or len(draft_id) > DRAFT_ID_DIGITS:
        return None
    return db.session.scalar(select(Post).where(
        Post.id == int(draft_id), Post.author_id == author.id, Post.draft.is_(True)))


def save_post(author: Any, title: str | None, body: str, *, publish: bool,
              draft_id: str | None = None,
              images: Iterable[tuple[Processed, str]] = ()) -> Post:
    """Save the form as the draft it continues (or a new one), with ``images``
    added, and publish it when asked; added to the session, not committed."""
    post = draft_to_continue(author, draft_id)
    if post is None:
        post = Post(author=author, draft=True)
        db.session.add(post)
    post.title, post.body = title, body
    attach_images(post, images)
    if publish:
        post.publish()
    return post
