"""Choosing the language and time zone: the signed-in user's setting, then the
footer's cookie, then Accept-Language, then English; unknown values fall back
(en, UTC) and never fail; the page cache keeps one page per language and zone."""

import re

from flask import render_template_string
from flask_babel import force_locale

from app import db
from app.languages import known_language, known_timezone
from app.models import Post, User
from app.requests import form_messages
from tests.base import FlaskyTestCase


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True)).group(1)


class LanguageChoiceTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john")

    def language_of(self, path: str = "/", **kwargs) -> str:
        response = self.client.get(path, **kwargs)
        self.assertEqual(response.status_code, 200, response.data[:300])
        return page_language(response)

    def test_english_without_any_choice(self):
        self.assertEqual(self.language_of(), "en")

    def test_accept_language_picks_the_best_language_flasky_has(self):
        self.assertEqual(self.language_of(headers={"Accept-Language": "fr, de;q=0.8, es;q=0.5"}),
                         "de")
        self.assertEqual(self.language_of(headers={"Accept-Language": "es-MX"}), "es")
        self.assertEqual(self.language_of(headers={"Accept-Language": "fr, ja"}), "en")

    def test_malformed_accept_language_is_ignored(self):
        for header in ("", ";;;", "de;q=abc", "es;q=", "\u00e9s", "*;q=2", "x" * 5000, "-,-"):
            with self.subTest(header=header):
                self.assertIn(self.language_of(headers={"Accept-Language": header}),
                              ("en", "de", "es"))
        self.assertEqual(self.language_of(headers={"Accept-Language": ";;;"}), "en")

    def test_the_footer_cookie_outranks_the_browser(self):
        response = self.client.get("/language/es?next=/user/john")
        self.assertRedirectsTo(response, "/user/john")
        self.assertIn("lang=es", response.headers["Set-Cookie"])
        self.assertEqual(self.language_of(headers={"Accept-Language": "de"}), "es")

    def test_the_switcher_refuses_unknown_codes_and_foreign_next(self):
        response = self.client.get("/language/xx?next=//evil.example/")
        self.assertRedirectsTo(response, "/")
        self.assertNotIn("Set-Cookie", response.headers)
        self.client.set_cookie("lang", "klingon")
        self.assertEqual(self.language_of(), "en")

    def test_the_switcher_links_back_to_this_page_without_lang(self):
        page = self.client.get("/user/john?lang=de").get_data(as_text=True)
        self.assertIn('href="/language/es?next=/user/john"', page)

    def test_a_users_setting_outranks_cookie_and_browser(self):
        self.john.language = "de"
        db.session.commit()
        self.sign_in_directly(self.john)
        self.client.set_cookie("lang", "es")
        self.assertEqual(self.language_of(headers={"Accept-Language": "es"}), "de")

    def test_an_unknown_stored_setting_falls_back(self):
        self.john.language, self.john.timezone = "zz", "Mars/Olympus_Mons"
        db.session.commit()
        self.sign_in_directly(self.john)
        self.assertEqual(self.language_of(), "en")

    def test_the_settings_form_saves_both_and_refuses_unknown_values(self):
        self.sign_in_directly(self.john)
        response = self.client.post("/settings/language", data={
            "language": "es", "timezone": "America/Mexico_City"})
        self.assertRedirectsTo(response, "/settings")
        user = db.session.get(User, self.john.id, populate_existing=True)
        self.assertEqual((user.language, user.timezone), ("es", "America/Mexico_City"))
        response = self.client.post("/settings/language", data={
            "language": "xx", "timezone": "../../etc/passwd"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(page_language(response), "es")
        errors = response.get_data(as_text=True).count('class="invalid-feedback d-block"')
        self.assertEqual(errors, 2)
        user = db.session.get(User, self.john.id, populate_existing=True)
        self.assertEqual((user.language, user.timezone), ("es", "America/Mexico_City"))
        self.client.post("/settings/language", data={"language": "", "timezone": ""})
        user = db.session.get(User, self.john.id, populate_existing=True)
        self.assertEqual((user.language, user.timezone), (None, None))

    def test_the_browser_zone_is_kept_only_until_one_is_chosen(self):
        self.sign_in_directly(self.john)
        self.assertIn('id="timezone-preset"', self.client.get("/").get_data(as_text=True))
        response = self.client.post("/settings/timezone/detected", data={"timezone": "Nowhere/X"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json["error"], "bad_request")
        response = self.client.post("/settings/timezone/detected",
                                    data={"timezone": "Europe/Berlin"})
        self.assertEqual(response.json, {"timezone": "Europe/Berlin"})
        self.client.post("/settings/timezone/detected", data={"timezone": "Asia/Tokyo"})
        self.assertEqual(db.session.get(User, self.john.id, populate_existing=True).timezone,
                         "Europe/Berlin")
        self.assertNotIn('id="timezone-preset"', self.client.get("/").get_data(as_text=True))

    def test_hreflang_alternates_name_every_language(self):
        page = self.client.get("/user/john?page=2").get_data(as_text=True)
        for code in ("en", "es", "de"):
            self.assertIn(f'hreflang="{code}" href="http://localhost/user/john?page=2&amp;'
                          f'lang={code}"', page)
        self.assertIn('hreflang="x-default" href="http://localhost/user/john?page=2"', page)
        self.assertEqual(self.language_of("/user/john?lang=es"), "es")

    def test_error_pages_follow_the_language_too(self):
        response = self.client.get("/no/such/page", headers={"Accept-Language": "de"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(page_language(response), "de")


    def test_form_messages_of_wtforms_follow_the_language_of_each_request(self):
        # Each language's catalog is read once per worker and kept: the next
        # request in another language must not get the last one's messages.
        expected = {"es": "Este campo es obligatorio.", "de": "Dieses Feld wird benötigt.",
                    "en": "This field is required."}
        for language in ("es", "de", "en", "es"):
            with self.subTest(language=language):
                response = self.client.post("/auth/login", data={"email": "", "password": ""},
                                            headers={"Accept-Language": language})
                page = response.get_data(as_text=True)
                self.assertIn(expected[language], page)
                for other in set(expected) - {language}:
                    self.assertNotIn(expected[other], page)
        self.assertEqual(form_messages.cache_info().currsize, 3)


    def test_templates_follow_a_forced_locale_and_come_back(self):
        with self.app.test_request_context("/", headers={"Accept-Language": "es"}):
            def home() -> str:
                return render_template_string("{{ _('Home') }}")

            self.assertEqual(home(), "Inicio")
            with force_locale("de"):  # a mail to a German reader, sent from this request
                self.assertEqual(home(), "Startseite")
            self.assertEqual(home(), "Inicio")


class KnownValuesTestCase(FlaskyTestCase):
    def test_known_language(self):
        self.assertEqual(known_language("DE-at"), "de")
        self.assertEqual(known_language("es_ES"), "es")
        for bad in (None, "", "xx", 3, "english"):
            self.assertIsNone(known_language(bad))

    def test_known_timezone_refuses_paths_and_unknown_names(self):
        self.assertEqual(known_timezone("Europe/Madrid"), "Europe/Madrid")
        for bad in (None, "", "Mars/Base", "../../etc/passwd", "/etc/localtime", "Europe/\x00",
                    "x" * 100, "Europe\\Madrid", "Europe/Berlín"):
            with self.subTest(bad=bad):
                self.assertIsNone(known_timezone(bad))


class LanguageCacheTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def setUp(self) -> None:
        super().setUp()
        alice = self.create_user("alice")
        db.session.add(Post(body="Hola", author=alice))
        db.session.commit()

    def visit(self, language: str | None = None, zone: str | None = None, **headers):
        client = self.app.test_client()
        if language:
            client.set_cookie("lang", language)
        if zone:
            client.set_cookie("tz", zone)
        return client.get("/", headers=headers)

    def test_a_spanish_page_is_never_served_to_a_german_reader(self):
        for _ in range(2):
            self.assertEqual(page_language(self.visit("es")), "es")
        self.assertEqual(self.visit("es").headers["X-Flasky-Cache"], "hit")
        for response in (self.visit("de"), self.visit(None, **{"Accept-Language": "de"}),
                         self.visit("de"), self.visit("klingon", **{"Accept-Language": "de"})):
            self.assertEqual(page_language(response), "de")
        self.assertEqual(self.visit("de").headers["X-Flasky-Cache"], "hit")
        self.assertEqual(page_language(self.visit()), "en")
        self.assertIn("Accept-Language", self.visit("de").headers["Vary"])

    def test_each_time_zone_has_its_own_page_and_unknown_zones_share_utc(self):
        self.visit(zone="Asia/Tokyo")
        self.assertEqual(self.visit(zone="Asia/Tokyo").headers["X-Flasky-Cache"], "hit")
        self.assertEqual(self.visit(zone="Europe/Berlin").headers["X-Flasky-Cache"], "miss")
        self.visit(zone="UTC")
        self.assertEqual(self.visit(zone="Nowhere/Land").headers["X-Flasky-Cache"], "hit")

    def test_a_post_card_is_never_shared_between_languages(self):
        self.assertIn("0 comentarios", self.visit("es").get_data(as_text=True))
        german = self.visit("de").get_data(as_text=True)  # a new page, the cards reused?
        self.assertIn("0 Kommentare", german)
        self.assertNotIn("comentarios", german)
