"""Uploaded avatars: one square image per person, instead of the identicon."""

from typing import Any

from app.images.files import release, store
from app.images.processing import Encoded


def change_avatar(user: Any, avatar: Encoded | None, remove: bool = False) -> None:
    """Use ``avatar`` (or, with ``remove``, the identicon again); the old file goes
    once the change commits. The caller commits."""
    if avatar is None and not remove:
        return
    release(user.avatar_image)
    user.avatar_image = store(avatar) if avatar is not None else None
