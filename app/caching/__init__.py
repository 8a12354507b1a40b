"""Pages rendered once and served from the cache until what they show changes.

The home page, profiles, post pages and follower lists are stored (``stores``:
a SQLite file shared by the workers of one machine, or Redis) under the page's
key from ``page_keys``: the endpoint, its view arguments and page number, and
whom the page is for. Every anonymous visitor shares one entry per page; a
signed-in user's pages are cached per session, since their forms carry the
session's CSRF tokens. A request whose address carries anything else is
answered without the cache, so no client can add entries.

Invalidation is as narrow as the change, and no view has to remember it. Each
entry records the *tags* of what it shows (``post:7``, ``user:3``,
``table:posts``; recorded as rows load, ``entries``) and the clock before it
read them; a commit moves the tags of the rows it wrote (SQLAlchemy session
events, ``changes``, where ``MODELS`` says which model moves which tags); an
entry is served while none of its tags moved (``versions``). A comment changes
its post's page and that post's card, not every profile; a new post changes
the timelines and its author's profile; a profile edit changes that user's
pages and cards. A model ``MODELS`` does not list moves everything: new
models are safe before they are described, and precise once they are (see
``changes`` for the one line a model needs). Only ``last_seen`` (moved at
most every few minutes by ``User.ping``) does not count as a change.

One mechanism per module: ``stores`` (where entries live, and an outage as an
empty cache), ``disk_store`` (the default store), ``versions`` (the tags'
versions and the clock), ``entries`` (fresh entries, recording, ``cached()``),
``changes`` (what each model's rows move and show), ``events`` (the
session events), ``page_keys`` and ``pages``
(whole pages), ``cards`` and ``card_audit`` (each post's and comment's card,
rendered once per revision of what it shows, kept in each worker's memory),
``forms`` (a form nobody typed into, rendered once per language and session).
The page hooks are installed by ``create_app`` with the other request hooks.
"""

from flask import Flask

from app.caching.card_memo import init_card_memo
from app.caching.cards import comment_card, comment_cards, person_card, post_card, post_cards
from app.caching.entries import cached, content_changed, enabled
from app.caching.events import listen_for_changes
from app.caching.forms import init_form_memo, kept_while_pristine
from app.caching.pages import serve_cached_page, serve_page_to_known_reader, store_page
from app.caching.stores import init_stores

__all__ = ["cached", "content_changed", "enabled", "init_caching", "comment_card",
           "comment_cards", "person_card", "post_card", "post_cards",
           "serve_cached_page", "serve_page_to_known_reader", "store_page"]


def init_caching(app: Flask) -> None:
    init_stores(app)
    init_card_memo(app)
    init_form_memo(app)
    app.add_template_global(post_card)
    app.add_template_global(post_cards)
    app.add_template_global(comment_card)
    app.add_template_global(comment_cards)
    app.add_template_global(person_card)
    app.add_template_global(kept_while_pristine)
    listen_for_changes()
