"""Pages rendered once and served from the cache until content changes.

The home page, profiles, post pages and follower lists are stored (Flask-Caching;
where, and why the version is kept apart, see ``stores``) under a key
made of a *content version* and the page's key from ``page_keys``: the
endpoint, its view arguments and page number, and whom the page is for. Every
anonymous visitor shares one entry per page; a signed-in user's pages are cached
per session, since their forms carry the session's CSRF tokens. A request whose
address carries anything else is answered without the cache, so no client can
add entries.

All workers share the version, and it changes after every commit that wrote any
row a page may show (posts, comments, follows, users, roles; anything but API
tokens, login sessions, jobs and the mail outbox): SQLAlchemy session events notice the
change (``changes``), so no view has to remember to invalidate anything. A new post, an edit, a
deletion, a comment, a moderation or a profile change is visible on the next
request. Old entries are never read again and simply expire. Only ``last_seen``
(moved at most every few minutes by ``User.ping``) does not count as a change.

One mechanism per module: ``stores`` (where entries live, and an outage as an
empty cache), ``versions`` (the content version, ``cached()``), ``changes``
(session events), ``page_keys`` and ``pages`` (whole pages), ``post_cards``.
The page hooks are installed by ``create_app`` with the other request hooks.
"""

from flask import Flask

from app.caching.changes import listen_for_changes
from app.caching.pages import serve_cached_page, store_page
from app.caching.post_cards import post_cards
from app.caching.stores import init_stores
from app.caching.versions import cached, content_changed, content_version, enabled

__all__ = ["cached", "content_changed", "content_version", "enabled", "init_caching",
           "post_cards", "serve_cached_page", "store_page"]


def init_caching(app: Flask) -> None:
    init_stores(app)
    app.add_template_global(post_cards)
    listen_for_changes()
