"""Every main page loads cleanly in Chromium: no script errors, no failed or
third-party requests, a real title, and dark mode that follows the system."""

import re

from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase, expect

# "Something · Flasky": every page names itself, then the site.
_titled_page = re.compile(r"^\S.* · Flasky$")
ANONYMOUS_PAGES = ["/", "/auth/login", "/auth/register", "/auth/reset", "/user/grace"]


def signed_in_pages(ids: dict) -> list[str]:
    return [
        "/", "/followed", "/user/grace", f"/post/{ids['post']}", "/moderate", "/admin/users",
        "/admin/role-changes", "/admin/jobs", "/edit-profile", f"/edit-profile/{ids['ada']}",
        f"/edit/{ids['post']}", "/followers/grace", "/followed_by/ada",
        "/auth/change-password", "/auth/change_email",
    ]


class MainPagesTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        self.requested: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))

    def check_page(self, path: str) -> None:
        with self.subTest(path=path):
            self.problems.clear()
            self.page.goto(path, wait_until="load")
            expect(self.page).to_have_title(_titled_page)
            expect(self.page.locator("h1")).to_have_count(1)
            self.assertEqual(self.problems.items, [])
            self.assertLessEqual(  # nothing sticks out sideways, even on a phone
                self.page.evaluate("document.documentElement.scrollWidth"),
                self.page.evaluate("document.documentElement.clientWidth"))

    def test_pages_for_visitors(self):
        for path in ANONYMOUS_PAGES:
            self.check_page(path)
        self.assertServedLocally()

    def test_pages_for_an_administrator(self):
        flows.log_in(self.page, "root@example.com")
        self.current_username = "root"
        for path in signed_in_pages(self.ids):
            self.check_page(path)
        self.assertServedLocally()

    def test_error_pages_have_titles_too(self):
        response = self.page.goto("/no-such-page")
        self.assertEqual(response.status, 404)
        expect(self.page).to_have_title(_titled_page)
        expect(self.page.get_by_role("link", name="Back to the home page")).to_be_visible()

    def assertServedLocally(self) -> None:
        """Fonts, scripts, styles and avatars all come from Flasky itself."""
        foreign = [url for url in self.requested
                   if not url.startswith((self.server.url, "data:"))]
        self.assertEqual(foreign, [])
        self.assertIn(self.url("/static/favicon.svg"), self.requested)


class MainPagesOnAPhoneTestCase(MainPagesTestCase):
    viewport = PHONE


class DarkModeTestCase(BrowserTestCase):
    color_scheme = "dark"

    def body_background(self, page) -> str:
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    def test_follows_the_system_setting(self):
        self.page.goto("/auth/login")
        expect(self.page.locator("html")).to_have_attribute("data-bs-theme", "dark")
        self.assertEqual(self.body_background(self.page), "rgb(33, 37, 41)")
        self.page.emulate_media(color_scheme="light")
        expect(self.page.locator("html")).to_have_attribute("data-bs-theme", "light")
        self.assertEqual(self.body_background(self.page), "rgb(255, 255, 255)")
        self.assertEqual(self.problems.items, [])

    def test_dark_without_javascript_too(self):
        context = self.new_context(java_script_enabled=False)
        self.addCleanup(context.close)
        page = context.new_page()
        page.goto("/auth/login")
        self.assertIsNone(page.locator("html").get_attribute("data-bs-theme"))
        self.assertEqual(self.body_background(page), "rgb(33, 37, 41)")


class NavbarTestCase(BrowserTestCase):
    def test_links_follow_the_role_and_mark_the_current_page(self):
        self.create_community()
        expected = {"ada": ["Home", "People", "Profile"],
                    "mo": ["Home", "People", "Profile", "Moderate"],
                    "root": ["Home", "People", "Profile", "Moderate", "Admin"]}
        for username, links in expected.items():
            with self.subTest(username=username):
                flows.log_in(self.page, f"{username}@example.com")
                menu = self.page.locator("#navbar-menu .navbar-nav.me-auto .nav-link")
                expect(menu).to_have_text(links)
                menu.get_by_text(links[-1]).click()
                expect(self.page.locator("#navbar-menu [aria-current=page]")).to_have_text(
                    links[-1])
                expect(flows.navbar(self.page).locator("#user-menu img")).to_have_attribute(
                    "src", re.compile(r"^/avatar/2/[0-9a-f]{32}\.svg$"))
                flows.log_out(self.page)


class KeyboardTestCase(BrowserTestCase):
    def test_skip_link_and_visible_focus(self):
        page = self.page
        page.goto("/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        page.keyboard.press("Enter")
        expect(page.locator("main#content")).to_be_focused()
        page.keyboard.press("Tab")
        focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' "
                                "+ getComputedStyle(document.activeElement).boxShadow")
        self.assertNotEqual(focused.strip(), "none none", "focus must be visible")
