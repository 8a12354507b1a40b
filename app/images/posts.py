"""A post's images: stored through the image store, described by PostImage rows.
The caller owns the transaction (app/images/files.py removes the files again
if it rolls back). ``load_images`` is how a list of posts gets them."""

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm.attributes import instance_dict, set_committed_value

from app.extensions import db
from app.images.files import store
from app.images.processing import Processed
from app.listed_in import ListedIn
from app.models import Post, PostImage

# Which of a page's posts have images at all: most have none, and for those one
# plain query answers, with no ORM load (a selectin load costs a whole ORM query).
_POSTS_WITH_IMAGES = ListedIn(PostImage.post_id,
                              lambda listed: select(PostImage.post_id).distinct().where(listed))


def load_images(posts: Sequence[Post]) -> None:
    """Load the images of ``posts`` (those whose images are not loaded yet), in
    their order: one plain query, and one more when any of them has images."""
    wanting = {post.id: post for post in posts if "images" not in instance_dict(post)}
    if not wanting:
        return
    with_images = list(_POSTS_WITH_IMAGES.rows(list(wanting)).scalars())
    found: dict[int, list[PostImage]] = {post_id: [] for post_id in wanting}
    if with_images:
        for image in db.session.scalars(
                select(PostImage).where(PostImage.post_id.in_(with_images))
                .order_by(PostImage.post_id, PostImage.position)):
            found[image.post_id].append(image)
    for post_id, images in found.items():
        set_committed_value(wanting[post_id], "images", images)


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
