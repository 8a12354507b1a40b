"""Helpers for the social blog tests: rows with known timestamps, role changes,
CSRF tokens, and a check that user input never becomes live markup."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from app import db
from app.models import Comment, Follow, Post, Role, User

START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '"><svg onload=alert(1)>',
    "<iframe src=javascript:alert(1)></iframe>",
    "[x](JaVaScRiPt:alert(1))",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "![y](javascript:alert(1))",
    "<a href='&#106;avascript:alert(1)'>entity</a>",
    "`<script>alert(1)</script>`",
]


def make_post(author: User, body: str = "A post", minutes: int = 0) -> Post:
    post = Post(body=body, author=author, timestamp=START + timedelta(minutes=minutes))
    db.session.add(post)
    db.session.commit()
    return post


def make_posts(author: User, count: int, start_minute: int = 0) -> list[Post]:
    posts = [Post(body=f"Post number {i}", author=author,
                  timestamp=START + timedelta(minutes=start_minute + i)) for i in range(count)]
    db.session.add_all(posts)
    db.session.commit()
    return posts


def make_comment(post: Post, author: User, body: str = "A comment", minutes: int = 0,
                 disabled: bool = False) -> Comment:
    comment = Comment(body=body, post=post, author=author, disabled=disabled,
                      timestamp=START + timedelta(minutes=minutes))
    db.session.add(comment)
    db.session.commit()
    return comment


def make_follow(follower: User, followed: User, minutes: int = 0) -> Follow:
    follow = Follow(follower=follower, followed=followed,
                    timestamp=START + timedelta(minutes=minutes))
    db.session.add(follow)
    db.session.commit()
    return follow


def remove_permission(role_name: str, permission: int) -> None:
    role = db.session.scalar(db.select(Role).filter_by(name=role_name))
    role.remove_permission(permission)
    db.session.commit()


def csrf_token_in(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


class _LiveMarkupFinder(HTMLParser):
    """Collects what a browser would execute: event handlers, javascript: URLs,
    and scripts whose code came from user input."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "svg", "object", "embed"):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            compact = re.sub(r"\s", "", value or "").lower()
            if name in self.URL_ATTRIBUTES and compact.startswith(("javascript:", "data:")):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.problems.append(f"script with {data[:40]!r}")


def live_markup_problems(html: str) -> list[str]:
    finder = _LiveMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
