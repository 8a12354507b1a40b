"""A post's images: stored through the image store, described by PostImage rows.
The caller owns the transaction (app/images/files.py removes the files again
if it rolls back)."""

from collections.abc import Iterable

from app.images.files import store
from app.images.processing import Processed
from app.models import Post, PostImage


def attach_images(post: Post, uploads: Iterable[tuple[Processed, str]]) -> None:
    """Add each ``(processed, alt_text)`` after the post's images."""
    for processed, alt_text in uploads:
        post.images.append(PostImage(
            alt_text=alt_text, name=store(processed.image),
            thumbnail_name=store(processed.thumbnail),
            width=processed.image.width, height=processed.image.height,
            position=len(post.images)))


def remove_images(post: Post, image_ids: set[int]) -> None:
    """Take these images off the post; their files go once the change commits."""
    for image in [image for image in post.images if image.id in image_ids]:
        post.images.remove(image)
    for position, image in enumerate(post.images):
        image.position = position
