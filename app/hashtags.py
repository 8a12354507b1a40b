"""``#hashtags`` in a post's Markdown: found in its text only (never in code, in a
link, or in a link's address), linked to ``/tag/<name>``, and collected so the
post can be filed under them (app/models/tag.py).

A tag is letters, digits and underscores in any script, with at least one
letter (``#1`` is a number, not a tag), up to TAG_MAX_LENGTH characters; a
longer one is refused, with the reason, like any text rendering refuses.
Tags are the same whatever their case (``tag_key``); the spelling used first is
the one shown.
"""

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

TAG_MAX_LENGTH = 64
HASHTAGS = "flasky_hashtags"  # the names found, kept in the parser's env
# Not after a word, a "#" or "&" (so "C#", "##" and "&#1;" stay text).
HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")


def tag_key(name: str) -> str:
    """The one form of a tag whatever its case or Unicode spelling."""
    return unicodedata.normalize("NFKC", name).casefold()


def is_tag_name(name: str) -> bool:
    """Whether ``name`` (without its "#") is a tag."""
    return (0 < len(name) <= TAG_MAX_LENGTH and re.fullmatch(r"\w+", name) is not None
            and any(char.isalpha() for char in name))


def tag_path(name: str) -> str:
    return f"/tag/{quote(tag_key(name))}"


def _linked(name: str) -> list[Token]:
    link = Token("link_open", "a", 1)
    link.attrSet("href", tag_path(name))
    text = Token("text", "", 0)
    text.content = f"#{name}"
    return [link, text, Token("link_close", "a", -1)]


def _split(token: Token, found: list[str], refuse: Callable[[str], Exception]) -> list[Token]:
    pieces, start = [], 0
    for match in HASHTAG.finditer(token.content):
        name = match.group(1)
        if not any(char.isalpha() for char in name):
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise refuse(f"tags may be at most {TAG_MAX_LENGTH} characters long")
        if match.start() > start:
            pieces.append(_text(token.content[start:match.start()]))
        pieces.extend(_linked(name))
        found.append(name)
        start = match.end()
    if not pieces:
        return [token]
    if start < len(token.content):
        pieces.append(_text(token.content[start:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def install(parser: MarkdownIt, refuse: Callable[[str], Exception]) -> None:
    """Link hashtags in what ``parser`` renders; ``refuse(reason)`` is raised for
    a tag that is too long."""

    def link_hashtags(state: StateCore) -> None:
        found = state.env.setdefault(HASHTAGS, [])
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            children, in_link = [], 0
            for token in block.children:
                in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
                if token.type == "text" and not in_link:
                    children.extend(_split(token, found, refuse))
                else:
                    children.append(token)
            block.children = children

    parser.core.ruler.push("flasky_hashtags", link_hashtags)
