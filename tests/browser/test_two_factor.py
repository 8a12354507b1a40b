"""Two-factor authentication in a real browser: setting it up by reading the
key from the page, then logging out and in again with a code; axe finds no
serious problem on the set-up page, the recovery codes, the code page and the
sessions page."""

import json
import time
import unittest

import pyotp

from tests.browser import flows
from tests.browser.harness import ROOT, BrowserTestCase, expect
from tests.two_factor import wrong_code

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@unittest.skipUnless(AXE.exists(), f"the accessibility check needs axe-core at {AXE}: "
                     "run `npm ci` to install it")
class TwoFactorBrowserTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        # axe is injected as an inline script, which Flasky's own policy forbids.
        self.context.close()
        self.context = self.new_context(bypass_csp=True)
        self.page = self.problems.watch(self.context.new_page())

    def assertNoAxeViolations(self) -> None:
        """No serious or critical axe finding on the page as it is."""
        self.page.add_script_tag(path=str(AXE))
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found = [f"({self.color_scheme}) {self.page.url}: [{item['impact']}] {item['id']}: "
                 f"{item['help']} -> "
                 + json.dumps([node["target"] for node in item["nodes"]][:5])
                 for item in results["violations"] if item["impact"] in ("serious", "critical")]
        self.assertEqual(found, [], "\n".join(found))

    def test_set_up_log_out_and_log_in_with_a_code(self):
        self.create_user("ada", email="ada@example.com")
        flows.log_in(self.page, "ada@example.com")
        self.page.goto("/settings")
        self.page.get_by_role("link", name="Two-factor authentication").click()
        self.page.get_by_role("button", name="Set up two-factor authentication").click()
        expect(self.page.get_by_role("img", name="QR code for your authenticator app")) \
            .to_be_visible()
        self.assertNoAxeViolations()
        secret = self.page.locator("[data-two-factor-secret]").inner_text()
        totp = pyotp.TOTP(secret)
        # The current code (still accepted if the step turns before the server
        # checks it); the login below then uses the next step's code, unused.
        self.page.get_by_label("Code from your app").fill(totp.now())
        self.page.get_by_role("button", name="Turn on two-factor authentication").click()
        expect(self.page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        expect(self.page.locator(".recovery-codes li")).to_have_count(10)
        self.assertNoAxeViolations()
        flows.log_out(self.page)

        self.page.goto("/auth/login")
        flows.fill_form(self.page, {"Email": "ada@example.com", "Password": flows.PASSWORD})
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
        self.assertNoAxeViolations()
        self.page.get_by_label("Code", exact=True).fill(wrong_code(secret))
        self.page.get_by_role("button", name="Verify").click()
        expect(self.page.get_by_text("That code is not right")).to_be_visible()
        self.assertNoAxeViolations()
        self.page.get_by_label("Code", exact=True).fill(totp.at(time.time() + 30))
        self.page.get_by_role("button", name="Verify").click()
        expect(self.page.get_by_role("button", name="Log in")).to_have_count(0)
        flows.open_user_menu(self.page)
        expect(self.page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
        self.page.goto("/settings/sessions")
        expect(self.page.get_by_text("This session")).to_be_visible()
        self.assertNoAxeViolations()
        self.assertEqual(self.problems.items, [])


class TwoFactorDarkBrowserTestCase(TwoFactorBrowserTestCase):
    """The same in dark mode, where the QR code keeps its light background."""

    color_scheme = "dark"
