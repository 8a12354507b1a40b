"""Post and comment cards, rendered once per revision of what they show.

``_posts.html`` asks ``post_cards(posts, comment_counts)`` for a list's posts,
``_comments.html`` asks ``comment_cards(comments, hidden_ids)`` for a page's comments
(the list's share of their keys worked out once, each card looked up in one step),
a post's page asks ``post_card(post, comment_count, whole_post=True)``, and
``_person.html`` asks ``person_card(person, follows, ...)`` for each person of a list.
Each worker keeps the cards it rendered in memory (``FLASKY_CARD_MEMO`` of them,
the least recently used going first) under a key holding everything a card
shows, so no write has to reach them: a card whose post changed has another key.
The key holds:

* the rows the card shows as they were loaded: every loaded column of the post
  (comment, person), of its author (but ``last_seen`` and the bell's count) and of the
  rows loaded with them (its images; the author's role where it was loaded:
  lists of posts leave it out, as their cards show none);
* the values it is given (a post's comment count; whether a comment's author is
  hidden from the viewer), and whether a post's author is suspended now (that ends
  with time);
* what the viewer may do with it: signed in or not, its author or not, the role's
  permissions (Edit, Delete, Report, Disable; a moderator sees a suspended author's
  post and a disabled comment);
* the reader's language and time zone, and any plain value the template reads
  from its page (a comment's ``page``, ``moderating`` and ``return_to``).

Whatever markup the card templates have, the key stays complete: the template (and
every template it includes) is read once (``audit``, ``card_audit``) for the names it uses, and a
card is not kept when it uses a name this module cannot vouch for (a per-request
value, the viewer's other attributes, a helper not in ``PURE_NAMES``), nor when
rendering it loaded anything (a lazy load, a cached value) its key cannot hold.
Such a card is rendered every time, never served stale.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import g, session
from flask_login import current_user
from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy import inspect

from app.caching.card_audit import POST_GIVEN, Audit, audit, audit_of
from app.caching.card_memo import CardMemo, card_memo
from app.caching.entries import watching
from app.caching.row_state import row_state
from app.languages import reader_key
from app.models.base import utcnow
from app.social.suspensions import is_suspended

# Each kind of card: its template and the names it is given (its row first).
POST_CARD = ("_post.html", POST_GIVEN)
COMMENT_CARD = ("_comment.html", frozenset({"comment", "hidden"}))
PERSON_CARD = ("_person_card.html", frozenset({"person", "follows", "note", "title",
                                               "subtitle", "classes", "next"}))

__all__ = ["COMMENT_CARD", "PERSON_CARD", "POST_CARD", "audit", "comment_card", "comment_cards",
           "person_card", "post_card", "post_cards"]


@dataclass(frozen=True)
class _Setup:
    """What the cards of one kind in one rendering share, worked out at the first:
    the template, this worker's memo and the template's audit (None: not kept), and
    what the key holds of the viewer (signed in, id, permissions, language and zone,
    year)."""

    template: Template
    memo: CardMemo | None
    audit: Audit | None
    viewer: tuple[bool, int | None, int, str, int]


def _viewer_part(viewer: Any) -> tuple[bool, int | None, int, str, int]:
    """What a card's key holds of ``viewer``, worked out once per request for the
    cards of its page (again if the request's user changes)."""
    found = g.get("flasky_card_viewer")
    if found is not None and found[0] is viewer:
        return found[1]
    signed_in = viewer.is_authenticated
    part = (signed_in, viewer.id if signed_in else None,
            viewer.role.permissions if signed_in and viewer.role else 0,
            reader_key(viewer), utcnow().year)
    g.flasky_card_viewer = (viewer, part)
    return part


def _setup(context: Context, kind: tuple[str, frozenset[str]]) -> _Setup:
    template = context.environment.get_template(kind[0])
    memo = card_memo()
    audit_ = audit_of(template, kind[1]) if memo is not None else None
    return _Setup(template, memo, None if audit_ is None or audit_.refusal else audit_,
                  _viewer_part(current_user._get_current_object()))


def _setup_of(context: Context, kind: tuple[str, frozenset[str]]) -> _Setup:
    """The rendering's setup for ``kind``, kept on its context: a list's cards share it."""
    setups = getattr(context, "flasky_card_setups", None)
    if setups is None:
        setups = {}
        context.flasky_card_setups = setups  # type: ignore[attr-defined]
    setup = setups.get(kind)
    if setup is None:
        setup = setups[kind] = _setup(context, kind)
    return setup


def _shared_key(context: Context, setup: _Setup) -> tuple | None:
    """The part of the keys that the cards of one list share: the viewer's and the
    plain values the template reads from its page (None: its cards cannot be kept)."""
    if setup.memo is None or setup.audit is None:
        return None
    plain = []
    for name in setup.audit.plain:
        value = context.get(name)
        if value is not None and not isinstance(value, bool | int | float | str):
            return None
        plain.append(value)
    signed_in, _viewer_id, permissions, reader, year = setup.viewer
    return (signed_in, permissions, reader, year, *plain)


def _csrf_secret(audit_: Audit) -> str | None:
    """The session's CSRF secret, when the card may show a form made from it."""
    secret = session.get("csrf_token") if audit_.csrf else None
    return secret if isinstance(secret, str) else None


def _render(context: Context, template: Template, given: dict[str, Any]) -> Markup:
    variables = {**context.get_all(), **given}
    rendered = template.root_render_func(template.new_context(variables, shared=True))
    # The output of the autoescaped card template, as {% include %} would insert it.
    return Markup("".join(rendered))  # nosec B704


def _card(context: Context, setup: _Setup, shared: tuple | None, row: Any, owner: Any,
          given: dict[str, Any], shown: tuple, variant: tuple = ()) -> Markup:
    """The card for ``row`` (written by ``owner``), rendered once per revision of
    ``shown`` (``variant``: which of the card's forms it is, kept apart); ``shared``
    is its list's part of the key (``_shared_key``)."""
    memo, audit_ = setup.memo, setup.audit
    if shared is None or memo is None or audit_ is None:
        if memo is not None:
            memo.refusals += 1
        return _render(context, setup.template, given)
    signed_in, viewer_id = setup.viewer[0], setup.viewer[1]
    key = (type(row).__name__, row.id, signed_in and viewer_id == owner.id, *shared, *variant)
    shown = (row_state(row), *shown)
    # A card showing a form holds a token made from its session's secret: it is kept
    # for that session alone. Any other card is kept for every viewer its key names.
    secret = _csrf_secret(audit_) if audit_.csrf else None
    html = memo.get(key, shown)
    if html is None and secret is not None:
        html = memo.get((*key, secret), shown)
    if html is None:
        before = (set(inspect(row).dict), set(inspect(owner).dict))
        with watching() as loaded:
            html = _render(context, setup.template, given)
        after = (set(inspect(row).dict), set(inspect(owner).dict))
        memo.renders += 1
        token, secret = g.get("csrf_token"), _csrf_secret(audit_)
        if audit_.csrf and isinstance(token, str) and token in html:
            key = (*key, secret) if secret is not None else None
        # Kept if it showed nothing the key does not hold (no row loaded while it rendered).
        if key is not None and not loaded and before == after:
            memo.put(key, shown, html)
    return html


def _list_of(context: Context, kind: tuple[str, frozenset[str]]) -> tuple[_Setup, tuple | None]:
    setup = _setup_of(context, kind)
    return setup, _shared_key(context, setup)


def _joined(cards: list[Markup]) -> Markup:
    # Cards, each the output of the autoescaped card template.
    return Markup("".join(cards))  # nosec B704


def _post(context: Context, setup: _Setup, shared: tuple | None, post: Any,
          comment_count: int, whole_post: bool) -> Markup:
    return _card(context, setup, shared, post, post.author,
                 {"post": post, "comment_count": comment_count, "whole_post": whole_post},
                 (comment_count, is_suspended(post.author)), variant=(whole_post,))


@pass_context
def post_card(context: Context, post: Any, comment_count: int,
              whole_post: bool = False) -> Markup:
    """``_post.html`` for ``post``, rendered once per revision of what it shows
    (``whole_post``: on its own page, the title as its heading, the body uncut)."""
    return _post(context, *_list_of(context, POST_CARD), post, comment_count, whole_post)


@pass_context
def post_cards(context: Context, posts: Iterable[Any], comment_counts: dict[int, int]) -> Markup:
    """``post_card`` for each of a list's ``posts`` (their counts in ``comment_counts``),
    the list's share of their keys worked out once."""
    setup, shared = _list_of(context, POST_CARD)
    return _joined([_post(context, setup, shared, post, comment_counts.get(post.id, 0), False)
                    for post in posts])


@pass_context
def comment_card(context: Context, comment: Any, hidden: bool) -> Markup:
    """``_comment.html`` for ``comment`` (``hidden``: its author is blocked or
    suspended, for this viewer), rendered once per revision of what it shows."""
    setup, shared = _list_of(context, COMMENT_CARD)
    return _card(context, setup, shared, comment, comment.author,
                 {"comment": comment, "hidden": hidden}, (hidden,))


@pass_context
def comment_cards(context: Context, comments: Iterable[Any], hidden_ids: frozenset[int]) -> Markup:
    """``comment_card`` for each of a page's ``comments``, hidden when their author is
    one of ``hidden_ids``."""
    setup, shared = _list_of(context, COMMENT_CARD)
    cards = []
    for comment in comments:
        hidden = comment.author_id in hidden_ids
        cards.append(_card(context, setup, shared, comment, comment.author,
                           {"comment": comment, "hidden": hidden}, (hidden,)))
    return _joined(cards)


@pass_context
def person_card(context: Context, person: Any, follows: bool, next: str, note: str | None = None,
                title: str | None = None, subtitle: str | None = None,
                classes: str = "list-group-item") -> Markup:
    """``_person_card.html`` for ``person`` in a list of people (``follows``: the viewer
    follows them; ``next``: where its Follow button comes back to), rendered once per
    revision of what it shows."""
    given = {"person": person, "follows": follows, "next": next, "note": note,
             "title": title, "subtitle": subtitle, "classes": classes}
    setup, shared = _list_of(context, PERSON_CARD)
    return _card(context, setup, shared, person, person, given,
                 (follows, next, note, title, subtitle, classes))
