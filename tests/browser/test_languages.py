"""Flasky in Spanish and German in a real browser: the footer's switcher, the
main pages photographed in each language, the axe check on them, moment.js
refining times in the page's language, the time zone preset from the browser
on a first visit, and the phone layout in German (long words do not widen it)."""

import json
import re
import unittest

from playwright.sync_api import expect

from app.models import User
from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase
from tests.browser.test_accessibility import AXE, BLOCKING_IMPACTS, VISITOR_PAGES, member_pages

LANGUAGES = ("es", "de")


class _InLanguages(BrowserTestCase):
    """A lived-in site, and a way to read it in another language."""

    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()

    def speak(self, language: str) -> None:
        self.context.add_cookies([{"name": "lang", "value": language, "url": self.url("/")}])

    def main_pages(self) -> list[str]:
        return ["/", f"/post/{self.ids['post']}", "/user/grace", "/search?q=first+post",
                "/settings", "/notifications", "/auth/nowhere"]


class LanguageTestCase(_InLanguages):
    def test_the_footer_switcher_translates_the_page_and_remembers(self):
        self.page.goto(f"/post/{self.ids['post']}")
        expect(self.page.locator("html")).to_have_attribute("lang", "en")
        self.page.get_by_role("link", name="Deutsch").click()
        expect(self.page.locator("html")).to_have_attribute("lang", "de")
        self.assertTrue(self.page.url.endswith(f"/post/{self.ids['post']}"), self.page.url)
        expect(self.page.get_by_role("heading", name="Kommentare")).to_be_visible()
        self.page.goto("/")
        expect(self.page.get_by_role("link", name="Startseite")).to_be_visible()
        self.page.get_by_role("link", name="Español").click()
        expect(self.page.get_by_role("link", name="Inicio")).to_be_visible()

    def test_main_pages_photographed_in_each_language(self):
        flows.log_in(self.page, "grace@example.com")
        self.current_username = "grace"
        for language in LANGUAGES:
            self.speak(language)
            for number, path in enumerate(self.main_pages()):
                self.page.goto(path)
                expect(self.page.locator("html")).to_have_attribute("lang", language)
                shot = self.screenshot(f"languages/{language}-{number}")
                self.assertGreater(shot.stat().st_size, 1000)

    def test_relative_times_are_refined_in_the_pages_language(self):
        for language, word in (("de", r"\bvor\b"), ("es", r"\bhace\b")):
            self.speak(language)
            self.page.goto(f"/post/{self.ids['post']}")
            stamp = self.page.locator(".post header time.timestamp").first
            expect(stamp).to_have_text(re.compile(word))

    def test_the_scripts_speak_the_pages_language(self):
        self.speak("de")
        self.page.goto("/")
        catalog = self.page.evaluate("fetch(document.querySelector('[data-catalog]')"
                                     ".dataset.catalog).then(r => r.json())")
        self.assertEqual(catalog["The preview is not available."],
                         "Die Vorschau ist nicht verfügbar.")

    def test_the_time_zone_is_preset_from_the_browser_on_a_first_visit(self):
        self.context.close()
        self.context = self.new_context(timezone_id="Asia/Tokyo")
        self.page = self.problems.watch(self.context.new_page())
        flows.log_in(self.page, "ada@example.com")
        self.current_username = "ada"
        self.page.wait_for_load_state("networkidle")
        self.page.goto("/settings")
        zone = self.fresh_session().get(User, self.ids["ada"]).timezone
        self.assertEqual(zone, "Asia/Tokyo")
        expect(self.page.get_by_label("Time zone", exact=True)).to_have_value(zone)


class GermanOnAPhoneTestCase(_InLanguages):
    """German's long words ("Benachrichtigungseinstellungen") must wrap, never
    push the phone's page sideways."""

    viewport = PHONE

    def test_no_page_is_wider_than_the_phone(self):
        flows.log_in(self.page, "root@example.com")
        self.current_username = "root"
        self.speak("de")
        too_wide = []
        for path in self.main_pages() + member_pages(self.ids) + ["/settings/notifications"]:
            self.page.goto(path)
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{path}: {width}px")
        self.screenshot("languages/de-phone-settings", full_page=True)
        self.assertEqual(too_wide, [])


@unittest.skipUnless(AXE.exists(), f"the accessibility check needs axe-core at {AXE}: "
                     "run `make test` (or `npm ci`) to install it")
class LanguageAccessibilityTestCase(BrowserTestCase):
    """axe-core on the Spanish and German pages: the same bar as in English."""

    def setUp(self) -> None:
        super().setUp()
        self.ids = self.create_community()
        self.context.close()
        self.context = self.new_context(bypass_csp=True)  # axe is injected inline
        self.page = self.problems.watch(self.context.new_page())

    def violations(self, path: str) -> list[str]:
        self.page.goto(path)
        self.page.add_script_tag(path=str(AXE))
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [f"{path}: [{item['impact']}] {item['id']}: {item['help']} -> "
                + json.dumps([node["target"] for node in item["nodes"]][:5])
                for item in results["violations"] if item["impact"] in BLOCKING_IMPACTS]

    def test_spanish_and_german_pages(self):
        flows.log_in(self.page, "root@example.com")
        self.current_username = "root"
        found = []
        for language in LANGUAGES:
            self.context.add_cookies([{"name": "lang", "value": language,
                                       "url": self.url("/")}])
            for path in member_pages(self.ids):
                found += [f"({language}) {line}" for line in self.violations(path)]
        self.context.clear_cookies()
        for language in LANGUAGES:
            self.context.add_cookies([{"name": "lang", "value": language,
                                       "url": self.url("/")}])
            for path in VISITOR_PAGES:
                found += [f"({language}) {line}" for line in self.violations(path)]
        self.assertEqual(found, [], "\n".join(found))
