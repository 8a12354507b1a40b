"""Markdown to safe HTML, the one place user-written text becomes markup.

Raw HTML in the source is not passed through by the Markdown parser, and
the result is cleaned again by nh3 against an allow-list, so neither a
``<script>`` nor a ``javascript:`` link nor an ``onerror=`` attribute can
reach a page. The live preview calls the same functions, so what people
preview is exactly what is saved.
"""

from functools import cache

import nh3
from markdown_it import MarkdownIt

INLINE_TAGS = {"a", "abbr", "acronym", "b", "br", "code", "em", "i", "s", "strong"}
BLOCK_TAGS = {"blockquote", "hr", "li", "ol", "p", "pre", "ul"}
POST_TAGS = INLINE_TAGS | BLOCK_TAGS | {
    "del", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
COMMENT_TAGS = INLINE_TAGS | {"p", "pre", "blockquote", "ul", "ol", "li"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "acronym": {"title"},
              "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser(block: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": False})
    parser.enable(["linkify", "strikethrough"])
    if block:
        parser.enable("table")
    else:
        parser.disable(["heading", "lheading", "hr", "image"])
    return parser


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    ).strip()


def render_post_html(text: str) -> str:
    return _clean(_parser(block=True).render(text or ""), POST_TAGS)


def render_comment_html(text: str) -> str:
    """Comments get a Markdown subset: no headings, rules, tables or images."""
    return _clean(_parser(block=False).render(text or ""), COMMENT_TAGS)


def render_profile_html(text: str) -> str:
    return _clean(_parser(block=False).render(text or ""), COMMENT_TAGS)
