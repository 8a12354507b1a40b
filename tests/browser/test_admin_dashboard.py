"""The administrators' dashboard and audit log in a real browser: the chart
images load, the figures are readable as tables, an absurd range is a form error,
and axe-core finds no serious or critical problem, light and dark."""

import unittest

from tests.browser import flows
from tests.browser import test_accessibility as accessibility
from tests.browser.harness import BrowserTestCase

AXE = accessibility.AXE


@unittest.skipUnless(AXE.exists(), f"the accessibility check needs axe-core at {AXE}: "
                     "run `make test` (or `npm ci`) to install it")
class DashboardInBrowserTestCase(BrowserTestCase):
    color_schemes = ("light", "dark")
    # The same axe run and the same rule as the other pages' check.
    violations = accessibility.AccessibilityTestCase.violations
    check = accessibility.AccessibilityTestCase.check

    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        self.context.close()
        self.context = self.new_context(bypass_csp=True)  # axe is an inline script
        self.page = self.problems.watch(self.context.new_page())
        flows.log_in(self.page, "root@example.com")
        self.current_username = "root"

    def test_the_dashboard_and_the_audit_log_pass_the_axe_check(self):
        self.check(["/admin", "/admin?days=90", "/admin?days=0", "/admin/audit",
                    "/admin/audit?since=2026-02-31"])

    def test_charts_draw_and_a_bad_range_says_why(self):
        self.page.goto("/admin")
        charts = self.page.locator("img.dashboard-chart")
        self.assertEqual(charts.count(), 4)
        for index in range(4):  # each image loaded and was drawn
            charts.nth(index).evaluate("image => image.decode()")
            self.assertEqual(charts.nth(index).evaluate("image => image.naturalWidth"), 600)
        box = charts.first.bounding_box()
        self.assertGreater(box["width"], 200)
        self.assertGreater(box["height"], 40)
        table = self.page.get_by_role("table", name="Posts per day")
        self.assertEqual(table.locator("tbody tr").count(), 30)
        self.page.get_by_label("Days").fill("0")
        self.page.get_by_role("button", name="Show").click()
        self.page.get_by_text("Choose from 1 to 366 days.").wait_for()
        self.assertEqual(self.page.locator("img.dashboard-chart").count(), 4)
