"""Searching from the navbar, on a desktop and on a phone (where the navbar collapses)."""

from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase, expect


class SearchTestCase(BrowserTestCase):
    def search_and_read(self) -> None:
        self.create_community()
        self.page.goto("/")
        flows.search_from_navbar(self.page, "first code")
        expect(self.page).to_have_url(self.url("/search?q=first+code"))
        hit = self.page.locator(".search-hit")
        expect(hit).to_have_count(1)
        expect(hit.locator("mark")).to_have_text(["first", "code"])
        expect(self.page.get_by_role("link", name="Comments 0")).to_be_visible()
        self.page.get_by_role("link", name="People 0").click()
        expect(self.page.get_by_text("Nobody matches.")).to_be_visible()
        flows.search_from_navbar(self.page, "grace")
        self.page.get_by_role("link", name="People 1").click()
        self.page.locator(".search-hit").get_by_role("link", name="grace").click()
        expect(self.page.get_by_role("heading", name="grace", exact=True)).to_be_visible()
        self.assertEqual(self.problems.items, [])

    def test_search_from_the_navbar(self):
        self.search_and_read()

    def test_a_disabled_comment_is_found_by_moderators_only(self):
        self.create_community()
        self.page.goto("/search?q=watches&kind=comments")
        expect(self.page.get_by_text("0 comments found.")).to_be_visible()
        flows.log_in(self.page, "mo@example.com")
        flows.search_from_navbar(self.page, "watches")
        self.page.get_by_role("link", name="Comments 1").click()
        expect(self.page.locator(".search-hit mark")).to_have_text("watches")


class SearchOnAPhoneTestCase(SearchTestCase):
    viewport = PHONE

    def test_search_from_the_navbar(self):
        self.search_and_read()
        expect(self.page.locator(".navbar-toggler")).to_be_visible()
