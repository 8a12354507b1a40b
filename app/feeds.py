"""Atom 1.0 feeds of published posts, built with feedgen, answered with an ETag
and Last-Modified so feed readers that poll get a 304 while nothing changed.

A feed's links are absolute (readers show entries away from the site): the
post's HTML is the sanitised HTML the pages show, with its site-relative links
and images made absolute against the request's (trusted) host.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, request, url_for
from markupsafe import Markup, escape
from sqlalchemy import Select
from werkzeug.http import is_resource_modified

from app.extensions import db
from app.images.posts import load_images
from app.models import Post

FEED_LENGTH = 20
ATOM = "application/atom+xml"
UNTITLED_LENGTH = 60
# Before the first post: any fixed time will do, as long as it does not move.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


@dataclass(frozen=True)
class Feed:
    """What a feed is about: its title, the page it mirrors and its own address."""

    title: str
    page_url: str
    feed_url: str


def _absolute(html: str) -> str:
    root = request.host_url
    return _SITE_RELATIVE.sub(lambda match: f"{match.group(1)}{root}", html)


def _images_html(post: Post) -> str:
    """The post's images as the permalink shows them, with their alt text."""
    return "".join(
        f'<p><img src="{url_for("main.image", name=image.name, _external=True)}" '
        f'alt="{escape(image.alt_text)}" width="{image.width}" height="{image.height}"></p>'
        for image in post.images)


def _entry_title(post: Post) -> str:
    if post.title:
        return post.title
    # The stored sanitised HTML, only to strip its tags into plain text (never output as markup).
    text = " ".join(Markup(post.body_html).striptags().split())  # nosec B704
    return text if len(text) <= UNTITLED_LENGTH else f"{text[:UNTITLED_LENGTH].rstrip()}…"


def _etag(feed: Feed, posts: list[Post]) -> str:
    """Changes when any entry, its author's name or the set of entries does."""
    state = repr([feed.title] + [(post.id, post.last_changed.isoformat(),
                                  post.author.username) for post in posts])
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _atom(feed: Feed, posts: list[Post], updated: datetime) -> bytes:
    generator = FeedGenerator()
    generator.id(feed.feed_url)
    generator.title(feed.title)
    generator.link(href=feed.page_url, rel="alternate", type="text/html")
    generator.link(href=feed.feed_url, rel="self", type=ATOM)
    generator.updated(updated)
    generator.generator("Flasky")
    for post in posts:
        permalink = url_for("main.post", id=post.id, slug=post.slug or None, _external=True)
        entry = generator.add_entry(order="append")
        entry.id(url_for("main.post", id=post.id, _external=True))  # lasts through renames
        entry.title(_entry_title(post))
        entry.link(href=permalink, rel="alternate", type="text/html")
        entry.author(name=post.author.username,
                     uri=url_for("main.user", username=post.author.username, _external=True))
        entry.published(post.timestamp)
        entry.updated(post.last_changed)
        entry.content(_absolute(post.body_html + _images_html(post)), type="html")
    return generator.atom_str(pretty=True)


def feed_response(feed: Feed, posts: Select) -> Response:
    """The newest FEED_LENGTH posts of ``posts`` as Atom, or 304 Not Modified
    when the reader's If-None-Match or If-Modified-Since says it has them."""
    entries = list(db.session.scalars(posts.limit(FEED_LENGTH)).unique())
    load_images(entries)
    updated = max((post.last_changed for post in entries), default=EPOCH)
    etag = _etag(feed, entries)
    if not is_resource_modified(request.environ, etag=etag, last_modified=updated):
        response = Response(status=304)
    else:
        response = Response(_atom(feed, entries, updated), mimetype=ATOM)
    response.set_etag(etag)
    response.last_modified = updated
    response.cache_control.public = True
    response.cache_control.no_cache = True  # may be stored, but asked again each time
    return response
