"""What a card template reads (``app/caching/cards.py``): every name it looks up, so
a card's key can hold each one, or the reason its cards cannot be kept.

A template (and every template it includes) is read once for the names it uses.
Plain names (a comment's ``page``, ``moderating``) go into the key; the viewer may
be asked only what the key holds of it (``VIEWER_ATTRIBUTES``); helpers must be
pure (``PURE_NAMES``); ``csrf_token`` keys the card on its session.
"""

import weakref
from dataclasses import dataclass
from typing import Any

from jinja2 import Template, meta, nodes
from jinja2.compiler import CodeGenerator

from app.caching.row_state import UNSHOWN_RELATIONSHIPS

# What a post card is given (app/caching/cards.py, POST_CARD): audit's default.
POST_GIVEN = frozenset({"post", "comment_count", "whole_post"})

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


def _unshown_uses(ast: nodes.Template) -> str | None:
    """Why the template reads a relationship that keys do not hold (row_state)."""
    read = sorted({node.attr for node in ast.find_all(nodes.Getattr)} & UNSHOWN_RELATIONSHIPS)
    return f"it reads .{read[0]}, which a card's key does not hold" if read else None


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


def audit(env: Any, name: str, given: frozenset[str] = POST_GIVEN) -> Audit:
    """Read ``name`` and the templates it includes for the names they use, but the
    ``given`` ones."""
    plain, csrf, seen, waiting = set(), False, set(), [name]
    while waiting:
        current = waiting.pop()
        seen.add(current)
        ast = env.parse(env.loader.get_source(env, current)[0])
        refusal = _viewer_uses(ast) or _unshown_uses(ast)
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


def audit_of(template: Template, given: frozenset[str]) -> Audit:
    """``audit`` of ``template``, read once."""
    found = _AUDITS.get(template)
    if found is None:
        found = _AUDITS[template] = audit(template.environment, template.name, given)
    return found
