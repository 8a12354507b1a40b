"""Hostile Markdown in posts, comments and profiles never runs a script."""


from tests.browser import flows
from tests.browser.harness import BrowserTestCase, expect

# Each payload tries another way in; any that ran would set window.xssRan,
# open a dialog, or (blocked by the Content Security Policy) log a console error.
PAYLOADS = "\n\n".join([
    "<script>window.xssRan = 'script'; alert('script')</script>",
    "<img src=\"/static/favicon.svg\" onload=\"window.xssRan = 'img'; alert('img')\">",
    "<svg onload=\"alert('svg')\"></svg>",
    "[click me](javascript:alert('link'))",
    "<a href=\"javascript:alert('anchor')\">anchor</a>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<details open ontoggle=\"alert('details')\"><summary>x</summary></details>",
    "<p style=\"background:url(javascript:alert('style'))\" onmouseover=\"alert('p')\">hover</p>",
])


class XSSTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        flows.log_in(self.page, "ada@example.com")

    def assertNothingRan(self) -> None:
        page = self.page
        page.locator(".post-body:visible").first.hover()
        self.assertIsNone(page.evaluate("window.xssRan"))
        for selector in ("script", "iframe", "svg", "[onload]", "[onerror]", "[ontoggle]",
                         "[onmouseover]", "[style]", "a[href^='javascript']"):
            self.assertEqual(page.locator(f".post-body {selector}").count(), 0, selector)
        self.assertEqual(self.problems.dialogs, [])
        self.assertEqual(self.problems.items, [])

    def test_a_hostile_post_and_its_preview(self):
        page = self.page
        page.get_by_label("What's on your mind?").fill(PAYLOADS)
        expect(page.locator("[data-preview-output]")).to_contain_text("click me")
        self.assertNothingRan()
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text("Your post has been published.")).to_be_visible()
        expect(page.locator("article.post").first).to_contain_text("click me")
        self.assertNothingRan()
        page.locator("article.post").first.get_by_role("link", name="0 comments").click()
        expect(page.locator("article.post")).to_contain_text("click me")
        self.assertNothingRan()

    def test_a_hostile_comment(self):
        page = self.page
        page.goto(f"/post/{self.ids['post']}")
        page.get_by_label("Your comment").fill(PAYLOADS)
        expect(page.locator("[data-preview-output]")).to_contain_text("click me")
        self.assertNothingRan()
        page.get_by_role("button", name="Comment", exact=True).click()
        expect(page.locator(".comment").last).to_contain_text("click me")
        self.assertNothingRan()

    def test_a_hostile_profile(self):
        page = self.page
        page.goto("/edit-profile")
        flows.fill_form(page, {"Real name": "<script>alert('name')</script>",
                               "Location": "<img src=x onerror=alert('location')>",
                               "About me": PAYLOADS})
        page.get_by_role("button", name="Save").click()
        page.goto("/user/ada")
        expect(page.get_by_text("<script>alert('name')</script>")).to_be_visible()
        expect(page.get_by_text("<img src=x onerror=alert('location')>")).to_be_visible()
        self.assertNothingRan()
