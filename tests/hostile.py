"""Shared pieces of the hostile-input tests: payloads, an HTML inspector,
and a way to reach every page of the URL map, including pages added later."""

import unittest
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.routing import Rule

from app import create_app, db
from app.models import Comment, Post
from tests.base import FlaskyTestCase

XSS = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=//evil.example>",
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "![x](x\" onerror=\"alert(1))",
    "</textarea><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">s</div>',
    "<base href=//evil.example/><object data=x></object>",
    "{{ config }}{% raw %}",
    "'';!--\"<XSS>=&{()}",
]
# Endpoints for programs, not browsers, beside the API: the federation inboxes take
# requests signed by other servers, which carry no session and so no CSRF token.
MACHINE_ENDPOINTS = frozenset({"federation.inbox", "federation.shared_inbox"})
SQL = ["' OR 1=1 --", '" OR ""="', "%", "_", "%%", "\\", "'; DROP TABLE users; --"]
BIG_INT = "99999999999999999999"

# What people (and attackers) type into a search box: the syntaxes of SQLite FTS5
# and PostgreSQL's tsquery, broken quotes, SQL, markup, huge and odd text. Each must
# answer a page of results or an empty one (app/search/query.py). No NUL: the
# request checks refuse it first, with a 400.
SEARCH_QUERIES = [
    # FTS5 syntax
    'NEAR(a b, 2)', "NEAR(", "a OR b", "a AND NOT b", '"a" NOT "b"', "body:cats", "^start",
    "{body}: x", "- {body} : x", "a + b", "(", ")", "((a)", "a)", '"', '""', '"""', '"a" "',
    "*", "**", "*a", "a*b*", "a**", '"a b"*', "-", "--", "-*", '-"', '- "', "NOT", "OR",
    "AND", "NEAR", "rank:bm25", "'",
    # tsquery syntax
    "a & b", "a | b", "!a", "!!a", "a <-> b", "a <2> b", "a <-", "'a':*", "a:*B", "a:A",
    "''", "'\\''", "\\", "\\'", "&", "|", "!", "<->", ":*", "a:", ":",
    # SQL and LIKE patterns
    *SQL, "%", "_%_", "100%", "'; SELECT * FROM users; --", "1; DROP TABLE posts_fts",
    "UNION SELECT password_hash FROM users", "$1", "?", ":q", "%s",
    # markup
    *XSS, "<mark>x</mark>", "</mark><script>alert(1)</script>",
    # big
    "a" * 10_000, "word " * 2_000, '"' * 10_000, "-" * 10_000, "(" * 10_000,
    "a* " * 3_000, "from:" + "x" * 5_000, "北" * 10_000, "é" * 10_000,
    # other scripts, emoji, odd characters
    "北京", "東京タワー", "서울", "مرحبا بالعالم", "שלום עולם", "नमस्ते", "Ελληνικά", "Привет",
    "😀", "👩‍👩‍👧‍👦 family", "🏳️‍🌈", "e\u0301\u0301\u0301", "\u200b", "a\u200bb",
    "\u202eevil", "\ufeff", "\u00ad", "ﷺ", "\U0001d54f\U0001d550", "\u2028\u2029",
    "\t\n\r", "  ",
    # from:
    "from:", "from:*", "FROM:ada", "from:ada from:", "from:'; DROP TABLE users; --",
    "from:<script>", "-from:ada", "from:a b", "from:mallory",
]

# Tags an attacker must never get into a page, and URL schemes that run code.
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "style", "frame", "svg", "math"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def _repeated(head: str, unit: str, length: int) -> str:
    """``head``, then ``unit`` as many whole times as fit in ``length`` characters."""
    return head + unit * ((length - len(head)) // len(unit))


def markdown_bombs(length: int) -> dict[str, str]:
    """The costliest Markdown found for a length limit. Rendered unchecked, each
    either multiplies its length many times over, takes long, or loses text."""
    columns = min(1250, length // 8)
    wide = "|a" * columns + "|\n" + "|-" * columns + "|\n"
    url = "https://example.com/" + "x" * (length // 2)
    definitions = "".join(f"[r{number}]: /u{number}\n" for number in range(length // 20))
    return {
        "wide table, empty rows": _repeated(wide, "a\n", length),
        "narrow table, empty rows": _repeated("|a|a|\n|-|-|\n", "a\n", length),
        "full table": _repeated("|a|a|a|a|a|\n|-|-|-|-|-|\n", "|a|a|a|a|a|\n", length),
        "nested lists": ("- " * 1000 + "a")[:length],
        "nested ordered lists": ("1. " * 1000 + "a")[:length],
        "nested quotes": ("> " * 1000 + "a")[:length],
        "quote markers": (">" * 5000 + "a")[:length],
        "emphasis run": _repeated("", "*a**a*", length),
        "open emphasis": _repeated("", "*a", length),
        "nested strong": "**" * (length // 4) + "a" + "**" * (length // 4 - 1),
        "brackets": "[" * (length // 2) + "a" + "]" * (length // 2 - 1),
        "one reference, many uses": _repeated(f"[a]: {url}\n\n", "[a] ", length),
        "long reference title": _repeated(f'[a]: /u "{"t" * (length // 2)}"\n\n', "[a] ",
                                          length),
        "many references": _repeated(definitions, "[r1]", length),
        "linkified names": _repeated("", "a.co ", length),
        "list items": _repeated("", "- a\n", length),
    }


class PageInspector(HTMLParser):
    """Records everything in a page that could run an attacker's code."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("nonce"):
            self.problems.append("script without nonce")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style" and value != "display: none":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action", "formaction", "data") and value.startswith(
                    SCRIPT_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
        self._collect_form_fields(tag, values)

    def _collect_form_fields(self, tag: str, values: dict) -> None:
        if tag == "form":
            self.forms.append({"action": values.get("action") or "",
                               "method": (values.get("method") or "get").lower(),
                               "text": [], "fixed": {}})
        elif self.forms and values.get("name"):
            form, name, kind = self.forms[-1], values["name"], values.get("type", "text")
            if tag == "textarea" or (tag == "input" and kind in (
                    "text", "email", "password", "search", "url")):
                form["text"].append(name)
            elif tag == "input" and kind in ("hidden", "checkbox", "submit"):
                form["fixed"].setdefault(name, values.get("value") or "y")
            elif tag == "select":
                form["fixed"].setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"</{tag}>")


def inspect(html: str) -> PageInspector:
    inspector = PageInspector()
    inspector.feed(html)
    return inspector


def is_local(location: str) -> bool:
    """Whether a browser following ``location`` from this site stays on it."""
    if "\\" in location or any(ord(char) < 33 for char in location):
        return False
    parts = urlsplit(urljoin("http://localhost/", location))
    return parts.scheme == "http" and parts.netloc == "localhost"


def disposable_app(test: unittest.TestCase, config_name: str, overrides: dict):
    """Another app for one test; its database connections close when the test
    ends (an unclosed PostgreSQL connection warns, and warnings fail tests)."""
    app = create_app(config_name, overrides)

    def dispose() -> None:
        with app.app_context():
            db.engine.dispose()

    test.addCleanup(dispose)
    return app


class HostileTestCase(FlaskyTestCase):
    """Mallory, an Administrator, owns user 1, post 1 and comment 1, so every
    ``<int:id>`` in the URL map can be filled with 1."""

    def setUp(self) -> None:
        super().setUp()
        self.mallory = self.create_user("mallory", role="Administrator")
        self.post = Post(body="A first post.", author=self.mallory)
        db.session.add(self.post)
        db.session.flush()
        db.session.add(Comment(body="A first comment.", post=self.post, author=self.mallory))
        db.session.commit()
        self.victim = self.create_user("victim")

    def login_mallory(self) -> None:
        self.login("mallory@example.com")

    def fill(self, rule: Rule) -> str | None:
        """A path for ``rule`` about Mallory's things, or None when an argument
        cannot be guessed (tokens, file names)."""
        known = {"id": 1, "username": "mallory", **(rule.defaults or {})}  # /all, /people
        if not set(rule.arguments) <= set(known):
            return None
        return rule.build({name: known[name] for name in rule.arguments}, append_unknown=False)[1]

    def rules(self, method: str, api: bool = False) -> Iterator[Rule]:
        for rule in self.app.url_map.iter_rules():
            if method not in rule.methods or rule.endpoint in ("static", "bootstrap.static"):
                continue
            if (rule.rule.startswith("/api/") or rule.endpoint in MACHINE_ENDPOINTS) == api:
                yield rule

    def page_paths(self, api: bool = False) -> list[str]:
        paths = {self.fill(rule) for rule in self.rules("GET", api=api)}
        return sorted(path for path in paths if path and not path.startswith("/avatar/"))

    def post_paths(self) -> list[str]:
        paths = {self.fill(rule) for rule in self.rules("POST")}
        # Logging out would end the session the other POSTs need.
        return sorted(path for path in paths if path and path != "/auth/logout")
