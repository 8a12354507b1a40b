"""The browser tests skip, with their reason, on a machine without Chromium or
Playwright: ``make test`` passes on a fresh machine, and CI installs both."""

import os
import unittest

from tests.browser import harness


class BrowserHarnessTestCase(unittest.TestCase):
    def test_every_browser_test_skips_exactly_when_chromium_cannot_run(self):
        runnable = (harness.sync_playwright is not None and os.path.exists(harness.CHROMIUM)
                    and not harness.BROWSER_TESTS_OFF)
        skipped = getattr(harness.BrowserTestCase, "__unittest_skip__", False)
        self.assertEqual(skipped, not runnable)
        if skipped and not harness.BROWSER_TESTS_OFF:  # the reason says what to install
            self.assertIn("apt-get install chromium",
                          harness.BrowserTestCase.__unittest_skip_why__)
