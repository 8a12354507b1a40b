"""Flasky in real Chromium: a live server, a real SMTP server and a browser.

Each test gets a fresh app on a temporary SQLite file, served over HTTP on a
free loopback port by a werkzeug server thread, with CSRF on and mail going to
a real SMTP server. The browser is launched once per TestCase class; every test
gets a new browser context, so no cookie or page state leaks between tests.
"""

import functools
import os
import re
import sys
import tempfile
import threading
import time
import unittest
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app, db
from app.models import Role
from tests.base import FlaskyTestCase
from tests.smtp import SMTPServer, body_of

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
except ImportError:  # the dev requirements pin it; without it the tests skip
    sync_playwright = expect = None

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Playwright waits this long (ms) for an element or a navigation before failing.
TIMEOUT_MS = 10_000

# .ci/run runs them once, in the SQLite pass: the pages are the same on PostgreSQL.
BROWSER_TESTS_OFF = os.environ.get("FLASKY_BROWSER_TESTS") == "off"

requires_chromium = unittest.skipUnless(
    sync_playwright is not None and os.path.exists(CHROMIUM) and not BROWSER_TESTS_OFF,
    "browser tests are turned off (FLASKY_BROWSER_TESTS=off: they ran in another pass)"
    if BROWSER_TESTS_OFF else
    f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium) "
    "and the playwright package (pip install -r requirements-dev.txt)",
)


class _QuietRequestHandler(WSGIRequestHandler):
    """Leaves the test output readable: errors are still logged, requests are not."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class LiveServer:
    """The app served over real HTTP on 127.0.0.1 from a background thread."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True,
                                  request_handler=_QuietRequestHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class PageProblems:
    """Everything that went wrong while a page ran: script errors, dialogs,
    failed requests and error responses. Tests assert the list stays empty."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.dialogs: list[str] = []

    def watch(self, page: "Page") -> "Page":
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.items.append(f"page error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("dialog", self._on_dialog)
        return page

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.items.append(f"console error: {message.text} at {message.location}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED: the browser cancelled it because the page moved on (a click
        # navigated while an image still loaded); that is not a missing asset.
        if request.failure != "net::ERR_ABORTED":
            self.items.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.items.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def clear(self) -> None:
        self.items.clear()
        self.dialogs.clear()


def _screenshots_on_failure(test: Callable) -> Callable:
    @functools.wraps(test)
    def run_test(self: "BrowserTestCase", *args: Any, **kwargs: Any) -> Any:
        try:
            return test(self, *args, **kwargs)
        except Exception:
            self.save_failure_screenshots()
            raise

    return run_test


def _remove_when_quiet(workdir: tempfile.TemporaryDirectory) -> None:
    """Remove the test's folder. A page closing sends its last requests (the
    autosave on leaving) that the stopping server may still answer, so the database
    can gain a journal file while the folder is removed: try again briefly."""
    for _ in range(20):
        try:
            workdir.cleanup()
            return
        except OSError:
            time.sleep(0.1)
    workdir.cleanup()


@requires_chromium
class BrowserTestCase(FlaskyTestCase):
    """Base class for browser tests: ``self.page`` in Chromium, ``self.url(path)``
    on the live server, ``self.smtp`` catching mail, ``self.problems`` collecting
    script errors and failed requests."""

    playwright: Any = None
    browser: "Browser"
    viewport = DESKTOP
    java_script_enabled = True
    color_scheme = "light"

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        expect.set_options(timeout=TIMEOUT_MS)
        cls.playwright = sync_playwright().start()
        try:
            cls.browser = cls.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Exception:
            cls.playwright.stop()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        self.workdir = tempfile.TemporaryDirectory(prefix="flasky-browser-")
        self.addCleanup(_remove_when_quiet, self.workdir)
        self.smtp = SMTPServer().start()
        self.addCleanup(self.smtp.stop)
        database = Path(self.workdir.name) / "flasky.sqlite"
        self.app = create_app("testing", {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "WTF_CSRF_ENABLED": True,
            **self.smtp.app_config(),
            **self.config,
        })
        self.app_context = self.app.app_context()
        self.app_context.push()
        db.create_all()
        Role.insert_roles()
        db.session.remove()
        self.server = LiveServer(self.app).start()
        self.problems = PageProblems()
        self.context = self.new_context()
        self.page = self.problems.watch(self.context.new_page())
        self.current_username: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap every test so a failure photographs the main pages first."""
        super().__init_subclass__(**kwargs)
        for name, method in list(vars(cls).items()):
            if name.startswith("test") and callable(method):
                setattr(cls, name, _screenshots_on_failure(method))

    def tearDown(self) -> None:
        self.context.close()
        self.server.stop()
        db.session.remove()
        db.engine.dispose()
        self.app_context.pop()

    def new_context(self, **options: Any) -> "BrowserContext":
        settings = {"base_url": self.server.url, "viewport": self.viewport,
                    "java_script_enabled": self.java_script_enabled,
                    "color_scheme": self.color_scheme, **options}
        context = self.browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    def url(self, path: str) -> str:
        return self.server.url + path

    # -- data ---------------------------------------------------------------

    def fresh_session(self):
        """The test thread's session, emptied so it reads what the server wrote."""
        db.session.remove()
        return db.session

    def create_community(self) -> dict[str, Any]:
        """A small lived-in site: grace posts, ada comments on it (once so
        badly that it was disabled), ada follows grace, mo moderates and root
        administers. Everyone's password is
        ``self.password``."""
        from app.models import Comment, Post

        grace = self.create_user("grace", email="grace@example.com", name="Grace Hopper",
                                 location="Arlington", about_me="I write *compilers*.")
        ada = self.create_user("ada", email="ada@example.com")
        mo = self.create_user("mo", email="mo@example.com", role="Moderator")
        root = self.create_user("root", email="root@example.com", role="Administrator")
        post = Post(body="Grace's *first* post, with `code` and a [link](https://example.com).",
                    author=grace)
        db.session.add(post)
        db.session.add(Comment(body="Lovely, **really**.", author=ada, post=post))
        db.session.add(Comment(body="Buy cheap watches!", author=ada, post=post, disabled=True))
        # Unbroken text must wrap rather than widen a phone's page.
        db.session.add(Post(body="x" * 120 + " https://example.com/" + "long-path/" * 12,
                            author=ada))
        ada.follow(grace)
        db.session.commit()
        ids = {"post": post.id, "grace": grace.id, "ada": ada.id, "mo": mo.id, "root": root.id}
        db.session.remove()
        return ids

    # -- mail ---------------------------------------------------------------

    def mail_link(self, number: int, path_pattern: str) -> str:
        """The link matching ``path_pattern`` in the ``number``-th mail (1-based)."""
        messages = self.smtp.wait_for(number)
        self.assertGreaterEqual(len(messages), number, "the mail never arrived")
        text = body_of(messages[number - 1])
        match = re.search(r"https?://\S*" + path_pattern + r"\S*", text)
        self.assertIsNotNone(match, f"no link to {path_pattern} in the mail:\n{text}")
        return match.group(0)

    # -- screenshots --------------------------------------------------------

    def screenshot(self, name: str, page: "Page | None" = None, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        (page or self.page).screenshot(path=str(path), full_page=full_page)
        return path

    def failure_pages(self) -> dict[str, str]:
        """The main pages to photograph when a test fails."""
        from sqlalchemy import select

        from app.models import Post

        pages = {"current": "", "home": "/", "moderation": "/moderate", "admin": "/admin/users"}
        if self.current_username:
            pages["profile"] = f"/user/{self.current_username}"
        post_id = self.fresh_session().scalar(select(Post.id).order_by(Post.id.desc()).limit(1))
        if post_id:
            pages["post"] = f"/post/{post_id}"
        return pages

    def save_failure_screenshots(self) -> None:
        prefix = self.id().rsplit(".", 2)[-2] + "." + self._testMethodName
        try:
            for name, path in self.failure_pages().items():
                if path:
                    self.page.goto(path)
                saved = self.screenshot(f"{prefix}-{name}")
                print(f"screenshot: {saved}", file=sys.stderr)
        except Exception as error:  # a screenshot must not hide the real failure
            print(f"screenshots stopped: {error}", file=sys.stderr)
