"""With JavaScript off, Flasky still works: only the live preview needs it."""


from tests.browser import flows
from tests.browser.harness import DESKTOP, PHONE, BrowserTestCase, expect


class WithoutJavaScriptTestCase(BrowserTestCase):
    java_script_enabled = False
    viewport = PHONE

    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()

    def test_log_in_post_follow_comment_and_log_out(self):
        page = self.page
        flows.log_in(page, "mo@example.com")
        self.current_username = "mo"
        menu = flows.navbar(page)
        # Phones list the account menu under the user's name; wider screens
        # open it on hover or keyboard focus.
        page.locator("#user-menu").focus()
        for link in ("Home", "Profile", "Moderate", "Edit profile", "Change password"):
            expect(menu.get_by_role("link", name=link, exact=True)).to_be_visible()
        expect(page.locator(".navbar-toggler")).to_be_hidden()

        page.get_by_label("What's on your mind?").fill("Written *without* scripts.")
        expect(page.locator("[data-preview-output]")).to_be_hidden()
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.locator("article.post em", has_text="without")).to_be_visible()
        expect(page.locator("article.post time.timestamp").first).to_be_visible()

        page.goto("/user/grace")
        page.get_by_role("button", name="Follow", exact=True).click()
        expect(page.get_by_role("button", name="Unfollow")).to_be_visible()

        page.goto(f"/post/{self.ids['post']}")
        page.get_by_label("Your comment").fill("No scripts needed.")
        page.get_by_role("button", name="Comment", exact=True).click()
        expect(page.locator(".comment").filter(has_text="No scripts needed.")).to_be_visible()

        page.locator("#user-menu").focus()
        flows.navbar(page).get_by_role("button", name="Log out", exact=True).click()
        expect(flows.navbar(page).get_by_role("link", name="Log in")).to_be_visible()
        self.assertEqual(self.problems.items, [])


class WithoutJavaScriptOnADesktopTestCase(WithoutJavaScriptTestCase):
    viewport = DESKTOP
