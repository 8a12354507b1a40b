"""Post cards: one post's rendered HTML, shared by every viewer with the same
permissions and authorship, until content changes. Templates ask for a page of
them at once (``post_cards``) and render only the missing ones."""

from dataclasses import dataclass
from typing import Any

from flask_login import current_user
from markupsafe import Markup

from app.caching.stores import get_many, put
from app.caching.versions import content_version, enabled


@dataclass
class Card:
    """One post's rendered card: ``html`` when cached, else ``keep`` it once rendered."""

    key: str | None
    html: Markup | None = None

    def keep(self, html: str) -> Markup:
        if self.key is not None:
            put(self.key, str(html))
        # The card is the output of the autoescaped _post.html template.
        return Markup(html)  # nosec B704


def post_cards(posts: list[Any], comment_counts: dict[int, int]) -> dict[int, Card]:
    """The cached cards of ``posts``, fetched together.

    A card differs between viewers only by its Edit and Delete links, which
    depend on whether the viewer wrote the post and on the viewer's
    permissions; the key holds both, and the content version. The rest of the
    card is the same for everyone until content changes.
    """
    if not enabled():
        return {post.id: Card(None) for post in posts}
    viewer = current_user._get_current_object()
    viewer_id = viewer.id if viewer.is_authenticated else None
    permissions = viewer.role.permissions if viewer_id and viewer.role else 0
    version = content_version()
    keys = {post.id: f"post-card:{version}:{post.id}:{permissions}:"
                     f"{post.author_id == viewer_id:d}" for post in posts}
    values = get_many(list(keys.values()))
    # Cached cards are written only by Card.keep, from the autoescaped template.
    return {post_id: Card(key, Markup(value) if value is not None else None)  # nosec B704
            for (post_id, key), value in zip(keys.items(), values, strict=True)}
