"""Post cards: one post's rendered HTML, shared by every viewer with the same
permissions and authorship, until the post (its text, its comments) or its
author changes. Templates ask for a page of them at once (``post_cards``) and
render only the missing ones."""

from dataclasses import dataclass
from typing import Any

from flask import g
from flask_login import current_user
from markupsafe import Markup

from app.caching.changes import EVERYTHING
from app.caching.entries import Entry, enabled, fresh, keep, key_for, record
from app.caching.stores import get_many
from app.caching.versions import Stamp
from app.languages import reader_key


@dataclass
class Card:
    """One post's rendered card: ``html`` when cached, else ``keep`` it once rendered."""

    key: str | None
    tags: tuple[str, ...] = ()
    stamp: Stamp | None = None
    html: Markup | None = None

    def keep(self, html: str) -> Markup:
        if self.key is not None:
            keep(self.key, str(html), self.tags, self.stamp)
        # The card is the output of the autoescaped _post.html template.
        return Markup(html)  # nosec B704


def post_cards(posts: list[Any], comment_counts: dict[int, int]) -> dict[int, Card]:
    """The cached cards of ``posts``, fetched and checked together.

    A card differs between viewers only by its Edit and Delete links, which
    depend on whether the viewer wrote the post and on the viewer's
    permissions, and by the reader's language and time zone; the key holds them.
    A card shows its post (and comment count) and its author. Cards are stored
    only when the request read the clock before it loaded the posts (cached pages do).
    """
    if not enabled():
        return {post.id: Card(None) for post in posts}
    viewer = current_user._get_current_object()
    viewer_id = viewer.id if viewer.is_authenticated else None
    permissions = viewer.role.permissions if viewer_id and viewer.role else 0
    stamp = g.get("cache_stamp")
    reader = reader_key()  # its words, dates and numbers are in the reader's language and zone
    keys = {post.id: key_for("card", f"{post.id}:{permissions}:{post.author_id == viewer_id:d}:"
                                     f"{reader}") for post in posts}
    entries = get_many(list(keys.values()))
    valid = fresh(entries)
    cards = {}
    for post, entry, ok in zip(posts, entries, valid, strict=True):
        tags = (EVERYTHING, f"post:{post.id}", f"user:{post.author_id}")
        record(tags)
        # Cached cards are written only by Card.keep, from the autoescaped template.
        html = Markup(entry.value) if ok and isinstance(entry, Entry) else None  # nosec B704
        cards[post.id] = Card(keys[post.id], tags, stamp, html)
    return cards
