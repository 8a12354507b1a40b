"""@mentions: ``@username`` in a post or a comment becomes a link to that
person's profile, in the sanitised HTML the text is stored as.

The transform runs on HTML that nh3 has already cleaned (app/rendering.py calls
it last), so it only ever adds links of its own making. Text inside links,
code spans and code blocks is left alone, as are names nobody has (they stay
plain text) and e-mail addresses. Notifying the people mentioned happens when
the post or comment is first saved (app/social/notifying.py), from the links
found here, so an edit never notifies again.

A text naming hundreds of people (a "mention storm") links at most
MAX_LINKED names and notifies at most MAX_NOTIFIED people; the writer is told.
"""

import re
from collections.abc import Callable

from flask import has_app_context, has_request_context, url_for
from markupsafe import escape

MAX_LINKED = 100
MAX_NOTIFIED = 20

_TAG = re.compile(r"(<[^>]*>)")
_SKIPPED = re.compile(r"<(/?)(a|code|pre)\b", re.IGNORECASE)
# Usernames start with a letter; a final dot ends the sentence, not the name.
_MENTION = re.compile(r"(?<![\w@/.&#-])@([A-Za-z](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")
_LINK = re.compile(r'<a class="mention" href="[^"]*/user/([A-Za-z][A-Za-z0-9_.]*)"')


def _names_in(parts: list[str]) -> list[str]:
    names: dict[str, None] = {}
    for index, part in enumerate(parts):
        if index % 2 == 0:
            for match in _MENTION.finditer(part):
                names.setdefault(match.group(1).lower(), None)
    return list(names)[:MAX_LINKED]


# Which names are in use: lowered name -> the username as its owner spells it.
# Installed by create_app (app/social/notifying.py), so rendering needs no models.
_lookup: Callable[[list[str]], dict[str, str]] | None = None


def use_username_lookup(lookup: Callable[[list[str]], dict[str, str]]) -> None:
    global _lookup
    _lookup = lookup


def _profile_path(username: str) -> str:
    if has_request_context():
        return url_for("main.user", username=username)
    return f"/user/{username}"


def _link_text(text: str, known: dict[str, str]) -> str:
    def link(match: re.Match) -> str:
        username = known.get(match.group(1).lower())
        if username is None:
            return match.group(0)
        return (f'<a class="mention" href="{escape(_profile_path(username))}">'
                f"@{match.group(1)}</a>")

    return _MENTION.sub(link, text)


def link_mentions(html: str) -> str:
    """``html`` (already sanitised) with each @name of a user linked to them."""
    if "@" not in html or _lookup is None or not has_app_context():
        return html
    parts = _TAG.split(html)
    names = _names_in(parts)
    known = _lookup(names) if names else {}
    if not known:
        return html
    skipping = 0
    for index, part in enumerate(parts):
        if index % 2 == 1:
            tag = _SKIPPED.match(part)
            if tag is not None:
                skipping = max(skipping + (-1 if tag.group(1) else 1), 0)
        elif not skipping and "@" in part:
            parts[index] = _link_text(part, known)
    return "".join(parts)


def mentioned_usernames(html: str) -> list[str]:
    """The people ``html`` (as ``link_mentions`` made it) mentions, in order."""
    return list(dict.fromkeys(match.group(1) for match in _LINK.finditer(html or "")))
