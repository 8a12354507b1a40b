"""Post and comment cards, rendered once per revision of what they show.

``_posts.html`` asks ``post_card(post, comment_count)`` for each post of a list,
``_comments.html`` asks ``comment_card(comment, hidden)`` for each comment, and
``_person.html`` asks ``person_card(person, follows, ...)`` for each person of a list.
Each worker keeps the cards it rendered in memory (``FLASKY_CARD_MEMO`` of them,
the least recently used going first) under a key holding everything a card
shows, so no write has to reach them: a card whose post changed has another key.
The key holds:

* the rows the card shows as they were loaded: every loaded column of the post
  (comment, person), of its author (but ``last_seen`` and the bell's count) and of the
  rows loaded with them (its images, the author's role);
* the values it is given (a post's comment count; whether a comment's author is
  hidden from the viewer), and whether a post's author is suspended now (that ends
  with time);
* what the viewer may do with it: signed in or not, its author or not, the role's
  permissions (Edit, Delete, Report, Disable; a moderator sees a suspended author's
  post and a disabled comment);
* the reader's language and time zone, and any plain value the template reads
  from its page (a comment's ``page``, ``moderating`` and ``return_to``).

Whatever markup the card templates have, the key stays complete: the template (and
every template it includes) is read once (``audit``) for the names it uses, and a
card is not kept when it uses a name this module cannot vouch for (a per-request
value, the viewer's other attributes, a helper not in ``PURE_NAMES``), nor when
rendering it loaded anything (a lazy load, a cached value) its key cannot hold.
Such a card is rendered every time, never served stale.
"""

import weakref
from dataclasses import dataclass
from typing import Any

from flask import g, session
from flask_login import current_user
from jinja2 import Template, meta, nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy import inspect

from app.caching.card_memo import CardMemo, card_memo
from app.caching.entries import watching
from app.caching.row_state import row_state
from app.languages import reader_key
from app.models.base import utcnow
from app.social.suspensions import is_suspended

# Each kind of card: its template and the names it is given (its row first).
POST_CARD = ("_post.html", frozenset({"post", "comment_count", "whole_post"}))
COMMENT_CARD = ("_comment.html", frozenset({"comment", "hidden"}))
PERSON_CARD = ("_person_card.html", frozenset({"person", "follows", "note", "title",
                                               "subtitle", "classes", "next"}))
# Names whose answers depend only on what the key holds.
PURE_NAMES = frozenset({
    "Permission", "avatar_url", "can_delete_comment", "can_delete_post", "can_edit_post",
    "format_datetime",
    "format_number", "format_percent", "format_timedelta", "gettext", "is_suspended",
    "moment", "ngettext", "npgettext", "pgettext", "url_for", "_",
    # app/dates.py's timestamp helpers: the reader's language and zone are in the key,
    # and so is the year, which decides whether a date shows its year.
    "exact_time", "iso_utc", "reader_zone", "short_date", "was_edited",
    "cycler", "dict", "joiner", "lipsum", "namespace", "range",
})
# What a card may ask of its viewer: the key holds these answers.
VIEWER_ATTRIBUTES = frozenset({"can", "id", "is_administrator", "is_anonymous",
                               "is_authenticated"})


@dataclass(frozen=True)
class Audit:
    """What a card template reads: ``plain`` names go into the key; ``refusal``
    says why its cards cannot be kept (None: they can)."""

    plain: tuple[str, ...] = ()
    csrf: bool = False
    refusal: str | None = None


def _viewer_uses(ast: nodes.Template) -> str | None:
    """Why the template's use of ``current_user`` is more than the key holds."""
    names = [node for node in ast.find_all(nodes.Name) if node.name == "current_user"]
    asked = [node for node in ast.find_all(nodes.Getattr)
             if isinstance(node.node, nodes.Name) and node.node.name == "current_user"]
    if len(asked) != len(names):
        return "current_user is passed on whole"
    other = {node.attr for node in asked} - VIEWER_ATTRIBUTES
    return f"current_user.{sorted(other)[0]}" if other else None


class _NamesUsed(CodeGenerator):
    """Every name a template looks up in its context, the environment's globals
    included (``meta.find_undeclared_variables`` leaves those out)."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment, "<audit>", "<audit>")
        self.names: set[str] = set()

    def write(self, x: str) -> None:  # nothing is generated, only read
        pass

    def enter_frame(self, frame: Any) -> None:
        super().enter_frame(frame)
        for action, name in frame.symbols.loads.values():
            if action == "resolve":
                self.names.add(name)


def names_used(env: Any, ast: nodes.Template) -> set[str]:
    found = _NamesUsed(env)
    found.visit(ast)
    return found.names


def audit(env: Any, name: str, given: frozenset[str] = POST_CARD[1]) -> Audit:
    """Read ``name`` and the templates it includes for the names they use, but the
    ``given`` ones."""
    plain, csrf, seen, waiting = set(), False, set(), [name]
    while waiting:
        current = waiting.pop()
        seen.add(current)
        ast = env.parse(env.loader.get_source(env, current)[0])
        refusal = _viewer_uses(ast)
        if refusal:
            return Audit(refusal=refusal)
        for included in meta.find_referenced_templates(ast):
            if included is None:
                return Audit(refusal=f"{current} includes a template named at run time")
            if included not in seen:
                waiting.append(included)
        for used in names_used(env, ast) - given - PURE_NAMES:
            if used == "csrf_token":
                csrf = True
            elif used != "current_user":
                plain.add(used)
    return Audit(tuple(sorted(plain)), csrf)


_AUDITS: "weakref.WeakKeyDictionary[Template, Audit]" = weakref.WeakKeyDictionary()


def _audit_of(template: Template, given: frozenset[str]) -> Audit:
    found = _AUDITS.get(template)
    if found is None:
        found = _AUDITS[template] = audit(template.environment, template.name, given)
    return found


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
    audit_ = _audit_of(template, kind[1]) if memo is not None else None
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


def _key(context: Context, row: Any, owner_id: int, setup: _Setup) -> tuple | None:
    """The viewer's part of a card's key (None: this card cannot be kept)."""
    plain = []
    for name in setup.audit.plain if setup.audit is not None else ():
        value = context.get(name)
        if value is not None and not isinstance(value, bool | int | float | str):
            return None
        plain.append(value)
    signed_in, viewer_id, permissions, reader, year = setup.viewer
    return (type(row).__name__, row.id, signed_in, signed_in and viewer_id == owner_id,
            permissions, reader, year, *plain)


def _csrf_secret(audit_: Audit) -> str | None:
    """The session's CSRF secret, when the card may show a form made from it."""
    secret = session.get("csrf_token") if audit_.csrf else None
    return secret if isinstance(secret, str) else None


def _render(context: Context, template: Template, given: dict[str, Any]) -> Markup:
    variables = {**context.get_all(), **given}
    rendered = template.root_render_func(template.new_context(variables, shared=True))
    # The output of the autoescaped card template, as {% include %} would insert it.
    return Markup("".join(rendered))  # nosec B704


def _card(context: Context, kind: tuple[str, frozenset[str]], row: Any, owner: Any,
          given: dict[str, Any], shown: tuple, variant: tuple = ()) -> Markup:
    """The card of ``kind`` for ``row`` (written by ``owner``), rendered once per
    revision of ``shown`` (``variant``: which of the card's forms it is, kept apart)."""
    setup = _setup_of(context, kind)
    memo, audit_, template = setup.memo, setup.audit, setup.template
    key = _key(context, row, owner.id, setup) if audit_ is not None else None
    if key is None or memo is None or audit_ is None:
        if memo is not None:
            memo.refusals += 1
        return _render(context, template, given)
    key = (*key, *variant)
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
            html = _render(context, template, given)
        after = (set(inspect(row).dict), set(inspect(owner).dict))
        memo.renders += 1
        token, secret = g.get("csrf_token"), _csrf_secret(audit_)
        if audit_.csrf and isinstance(token, str) and token in html:
            key = (*key, secret) if secret is not None else None
        # Kept if it showed nothing the key does not hold (no row loaded while it rendered).
        if key is not None and not loaded and before == after:
            memo.put(key, shown, html)
    return html


@pass_context
def post_card(context: Context, post: Any, comment_count: int,
              whole_post: bool = False) -> Markup:
    """``_post.html`` for ``post``, rendered once per revision of what it shows
    (``whole_post``: on its own page, the title as its heading, the body uncut)."""
    return _card(context, POST_CARD, post, post.author,
                 {"post": post, "comment_count": comment_count, "whole_post": whole_post},
                 (comment_count, is_suspended(post.author)), variant=(whole_post,))


@pass_context
def comment_card(context: Context, comment: Any, hidden: bool) -> Markup:
    """``_comment.html`` for ``comment`` (``hidden``: its author is blocked or
    suspended, for this viewer), rendered once per revision of what it shows."""
    return _card(context, COMMENT_CARD, comment, comment.author,
                 {"comment": comment, "hidden": hidden}, (hidden,))


@pass_context
def person_card(context: Context, person: Any, follows: bool, next: str, note: str | None = None,
                title: str | None = None, subtitle: str | None = None,
                classes: str = "list-group-item") -> Markup:
    """``_person_card.html`` for ``person`` in a list of people (``follows``: the viewer
    follows them; ``next``: where its Follow button comes back to), rendered once per
    revision of what it shows."""
    given = {"person": person, "follows": follows, "next": next, "note": note,
             "title": title, "subtitle": subtitle, "classes": classes}
    return _card(context, PERSON_CARD, person, person, given,
                 (follows, next, note, title, subtitle, classes))
