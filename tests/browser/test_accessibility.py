"""axe-core finds no serious or critical accessibility problem on the main
pages, in light and in dark mode, on a desktop and on a phone."""

import json
import unittest

from tests.browser import flows
from tests.browser.harness import PHONE, ROOT, BrowserTestCase

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

VISITOR_PAGES = ["/", "/auth/login", "/auth/register", "/auth/reset", "/search",
                 "/search?q=first+post", "/no-such-page"]
VISITOR_PAGES += ["/people", "/people/active"]  # finding people


def member_pages(ids: dict) -> list[str]:
    return ["/", "/user/grace", f"/post/{ids['post']}", "/moderate", "/admin/users",
            "/edit-profile", f"/edit-profile/{ids['ada']}", "/followers/grace",
            f"/edit/{ids['post']}", "/settings", f"/edit-profile/{ids['ada']}/delete",
            "/search?q=cheap+watches&kind=comments", "/search?q=grace&kind=people&sort=newest",
            "/people", "/followed"]


@unittest.skipUnless(AXE.exists(), f"the accessibility check needs axe-core at {AXE}: "
                     "run `make test` (or `npm ci`) to install it")
class AccessibilityTestCase(BrowserTestCase):
    color_schemes = ("light", "dark")

    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        # axe is injected as an inline script, which Flasky's own policy forbids.
        self.context.close()
        self.context = self.new_context(bypass_csp=True)
        self.page = self.problems.watch(self.context.new_page())

    def violations(self, path: str | None = None) -> list[str]:
        """Serious and critical axe findings on ``path`` (or the page as it is)."""
        if path is not None:
            self.page.goto(path)
        self.page.add_script_tag(path=str(AXE))
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{path or self.page.url}: [{item['impact']}] {item['id']}: {item['help']} -> "
            + json.dumps([node["target"] for node in item["nodes"]][:5])
            for item in results["violations"] if item["impact"] in BLOCKING_IMPACTS
        ]

    def check(self, paths: list[str]) -> None:
        found = []
        for scheme in self.color_schemes:
            self.page.emulate_media(color_scheme=scheme)
            for path in paths:
                found += [f"({scheme}) {line}" for line in self.violations(path)]
        self.assertEqual(found, [], "\n".join(found))

    def test_pages_for_visitors(self):
        self.check(VISITOR_PAGES)

    def test_pages_for_an_administrator(self):
        flows.log_in(self.page, "root@example.com")
        self.current_username = "root"
        self.check(member_pages(self.ids))

    def test_form_errors(self):
        for scheme in self.color_schemes:
            self.page.emulate_media(color_scheme=scheme)
            self.page.goto("/auth/register")
            self.page.get_by_role("button", name="Register").click()
            self.page.get_by_text("This field is required.").first.wait_for()
            found = self.violations()
            self.assertEqual(found, [], "\n".join(found))

class AccessibilityOnAPhoneTestCase(AccessibilityTestCase):
    """The phone layout (collapsed navbar, stacked columns); colours are the
    same as on the desktop, so one scheme is enough here."""

    viewport = PHONE
    color_schemes = ("light",)
