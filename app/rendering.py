"""Markdown to safe HTML, the one place user-written text becomes markup.

Raw HTML in the source is not passed through by the Markdown parser, and
the result is cleaned again by nh3 against an allow-list, so neither a
``<script>`` nor a ``javascript:`` link nor an ``onerror=`` attribute can
reach a page. The live preview calls the same functions, so what people
preview is exactly what is saved.

Rendering is also where its cost is bounded. A few constructs let short
text cost much: tables whose missing cells Markdown fills in (a 10,000
character table could become 0.7 MB of HTML and a second of CPU), one link
reference used over and over (each use repeats its URL), and lists or quotes
nested deeper than Markdown keeps (it drops the rest of the text). Such text
raises ``RenderingRefused`` with a reason to show the writer, before the
costly part of the work; forms, the API and the preview all show it. Text
saved before these limits keeps its stored HTML, so it still displays.
"""

import re
from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table as markdown_table
from markdown_it.token import Token

from app import hashtags
from app.mentions import link_mentions

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

# The bounds. Markdown itself stops nesting at 20 levels (a list takes two),
# so MAX_DEPTH stays below the depth at which it would drop text.
TABLE_MAX_COLUMNS = 32
TABLE_MAX_CELLS = 2_500  # in all the tables of one text, header cells included
MAX_DEPTH = 8  # lists and quotes inside one another
HTML_FLOOR = 32 * 1024  # any text may become this many characters of HTML,
HTML_RATIO = 20  # or this many times its own length when that is more

# What a paragraph that held only a Markdown image leaves once cleaning removes it.
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\s*")

CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open"}
CONTAINERS_CLOSED = {"blockquote_close", "bullet_list_close", "ordered_list_close"}
TABLE_CELLS = "flasky_table_cells"  # the count kept in the parser's env


class RenderingRefused(ValueError):
    """Text whose rendering would cost too much. ``str()`` is the reason as a
    phrase (for API messages), ``sentence`` the same for people."""

    @property
    def sentence(self) -> str:
        reason = str(self)
        return f"{reason[0].upper()}{reason[1:]}."


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _bounded_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Markdown's table rule, refusing a table past the limits before building it.

    The rule fills every row up to the header's column count, so the cost is
    rows x columns whatever the rows hold. It is only let read one row more
    than the cells left allow: enough to know the allowance is exceeded.
    """
    is_table = markdown_table(state, start_line, end_line, True)
    if silent or not is_table:
        return is_table
    columns = sum(1 for cell in _line(state, start_line + 1).split("|") if cell.strip())
    if columns > TABLE_MAX_COLUMNS:
        raise RenderingRefused(f"tables may have at most {TABLE_MAX_COLUMNS} columns")
    cells_left = TABLE_MAX_CELLS - state.env.get(TABLE_CELLS, 0)
    body_rows_left = max(cells_left // columns - 1, 0)
    markdown_table(state, start_line, min(end_line, start_line + 3 + body_rows_left), False)
    cells = (state.line - start_line - 1) * columns  # the header and body rows
    if cells > cells_left:
        raise RenderingRefused(f"tables may have at most {TABLE_MAX_CELLS:,} cells in all")
    state.env[TABLE_CELLS] = state.env.get(TABLE_CELLS, 0) + cells
    return True


@cache
def _parser(block: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": False})
    parser.enable(["linkify", "strikethrough"])
    if block:
        parser.enable("table")
        parser.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
        hashtags.install(parser, RenderingRefused)
    else:
        parser.disable(["heading", "lheading", "hr", "image"])
    return parser


def _check_depth(tokens: list[Token]) -> None:
    depth = 0
    for token in tokens:
        if token.type in CONTAINERS:
            depth += 1
            if depth > MAX_DEPTH:
                raise RenderingRefused(
                    f"lists and quotes may be nested at most {MAX_DEPTH} deep")
        elif token.type in CONTAINERS_CLOSED:
            depth -= 1


def _check_size(html: str, text: str, slack: int = 1) -> None:
    if len(html) > slack * max(HTML_FLOOR, HTML_RATIO * len(text)):
        raise RenderingRefused("the formatted result would be too large: each use of "
                               "a link reference repeats its whole address")


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    ).strip()


# Forms check that text renders, then the model renders it to save it: the
# second time comes from here. Results are bounded, so the cache is too.
@lru_cache(maxsize=16)
def _render(text: str, block: bool) -> str:
    parser = _parser(block)
    env: dict = {}
    tokens = parser.parse(text, env)
    _check_depth(tokens)
    html = parser.renderer.render(tokens, parser.options, env)
    # Before cleaning too, so nh3 never gets the huge ones. The slack is for
    # what cleaning removes: a table cell's alignment style is most of its HTML.
    _check_size(html, text, slack=4)
    html = _clean(html, POST_TAGS if block else COMMENT_TAGS)
    _check_size(html, text)
    return EMPTY_PARAGRAPH.sub("", html).strip()


def _finished(html: str) -> str:
    """The transforms that add Flasky's own links to cleaned HTML."""
    return link_mentions(html)


def render_post_html(text: str) -> str:
    """Posts: all of Markdown the allow-list keeps, tables included.
    Raises RenderingRefused for text beyond the bounds above."""
    return _finished(_render(text or "", True))


def post_hashtags(text: str) -> list[str]:
    """The #tags of a post's text, as written, in order (app/hashtags.py)."""
    env: dict = {}
    _parser(True).parse(text or "", env)
    return env.get(hashtags.HASHTAGS, [])


def markdown_images(text: str) -> int:
    """How many Markdown images (``![alt](url)``) a post's text has: cleaning leaves
    them out (a post's pictures are uploaded, app/images), so the preview says so."""
    tokens = _parser(True).parse(text or "", {})
    return sum(1 for token in tokens for child in token.children or () if child.type == "image")


def render_comment_html(text: str) -> str:
    """Comments get a Markdown subset: no headings, rules, tables or images."""
    return _finished(_render(text or "", False))


def render_profile_html(text: str) -> str:
    return _render(text or "", False)


def clean_remote_html(html: str, block: bool = True) -> str:
    """HTML from another server (federation): kept to the allow-list that local
    Markdown output is cleaned with, posts' or comments'."""
    return _clean(html or "", POST_TAGS if block else COMMENT_TAGS)


def remote_html_text(html: str) -> str:
    """The plain text of remote HTML (what search and the edit form read)."""
    import html as entities

    spaced = (html or "").replace("</p>", "</p>\n\n").replace("<br>", "\n")
    return entities.unescape(nh3.clean(spaced, tags=set())).strip()
