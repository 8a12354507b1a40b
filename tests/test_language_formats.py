"""What the reader reads in their language: dates in their time zone, numbers
and plurals, mails in the recipient's language, the scripts' catalog, and the
API's timestamps staying ISO 8601 UTC whatever the language."""

import base64
import re
from datetime import UTC, datetime

from flask import render_template_string
from flask_babel import refresh
from sqlalchemy import select

from app import db
from app.models import OutboxMail, Post
from tests.base import FlaskyTestCase

NEW_YEAR = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


class DatesAndNumbersTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john", member_since=NEW_YEAR)
        db.session.add(Post(body="Frohes neues Jahr", author=self.john, timestamp=NEW_YEAR))
        db.session.commit()

    def page(self, path: str, language: str, zone: str | None = None) -> str:
        self.client.set_cookie("lang", language)
        if zone:
            self.client.set_cookie("tz", zone)
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        # The text as read, and a time's exact text as its title shows it on hover.
        page = re.sub(r'<time [^>]*title="([^"]*)"[^>]*>', r"[\1] ",
                      response.get_data(as_text=True))
        return re.sub(r"<[^>]+>", "", page)

    def basic_auth(self) -> dict[str, str]:
        pair = base64.b64encode(f"john@example.com:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}

    def test_dates_are_written_in_the_readers_language_and_zone(self):
        german = self.page("/user/john", "de", "Asia/Tokyo")
        self.assertIn("Mitglied seit 1. Januar 2026", german)
        self.assertIn("01.01.2026, 21:00:00", german)  # noon UTC is 9 pm in Tokyo
        spanish = self.page("/user/john", "es", "America/Mexico_City")
        self.assertIn("Miembro desde el 1 de enero de 2026", spanish)
        self.assertIn("1 ene 2026, 6:00:00", spanish)  # and 6 am in Mexico City
        english = self.page("/user/john", "en")
        self.assertIn("Member since January 1, 2026", english)

    def test_a_signed_in_readers_zone_is_their_setting(self):
        self.john.language, self.john.timezone = "de", "America/New_York"
        db.session.commit()
        self.sign_in_directly(self.john)
        page = self.client.get("/user/john").get_data(as_text=True)
        self.assertIn('title="01.01.2026, 07:00:00"', page)  # noon UTC is 7 am in New York

    def test_numbers_and_plurals_follow_the_language(self):
        template = "{{ ngettext('%(num)s post', '%(num)s posts', n, num=format_number(n)) }}"
        for language, count, expected in (("de", 1234, "1.234 Beiträge"), ("de", 1, "1 Beitrag"),
                                          ("es", 1234, "1.234 publicaciones"),
                                          ("es", 1, "1 publicación"), ("en", 1234, "1,234 posts")):
            with self.subTest(language=language, count=count):
                with self.app.test_request_context("/", headers={"Accept-Language": language}):
                    refresh()  # the test's app context outlives each request's choice
                    self.assertEqual(render_template_string(template, n=count), expected)

    def test_the_api_keeps_iso_8601_utc(self):
        response = self.client.get("/api/v1/posts/", headers={"Accept-Language": "de",
                                                              **self.basic_auth()})
        self.assertEqual(response.status_code, 200, response.data[:200])
        timestamp = response.json["posts"][0]["timestamp"]
        self.assertTrue(timestamp.startswith("2026-01-01T12:00:00"), timestamp)
        self.assertEqual(datetime.fromisoformat(timestamp.replace("Z", "+00:00")), NEW_YEAR)

    def test_the_apis_error_code_stays_english_its_message_follows_the_language(self):
        response = self.client.get("/api/v1/posts/999", headers={"Accept-Language": "es",
                                                                 **self.basic_auth()})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json["error"], "not found")
        self.assertIn("No existe esa publicación", response.json["message"])


class MailLanguageTestCase(FlaskyTestCase):
    def last_mail(self) -> OutboxMail:
        return db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()

    def test_a_mail_is_written_in_its_recipients_language_not_the_senders(self):
        from app.email import send_email

        maria = self.create_user("maria", language="es")
        with self.app.test_request_context("/", headers={"Accept-Language": "de"}):
            send_email(maria.email, _lazy("Confirm Your Account"), "auth/email/confirm",
                       user=maria, token="t")
        mail = self.last_mail()
        self.assertIn("Confirma tu cuenta", mail.subject)
        self.assertIn("Hola, maria:", mail.body_text)
        self.assertIn("haz clic aquí", mail.body_html)

    def test_registering_from_a_german_page_mails_in_german(self):
        self.client.set_cookie("lang", "de")
        response = self.client.post("/auth/register", data={
            "email": "neu@example.com", "username": "neu", "password": self.password,
            "password2": self.password})
        self.assertEqual(response.status_code, 302, response.data[:300])
        mail = self.last_mail()
        self.assertIn("Bestätige dein Konto", mail.subject)
        self.assertIn("Hallo neu,", mail.body_text)


def _lazy(text: str):
    from flask_babel import lazy_gettext

    return lazy_gettext(text)


class ScriptCatalogTestCase(FlaskyTestCase):
    def test_each_language_serves_its_scripts_messages(self):
        german = self.client.get("/i18n/de.json")
        self.assertEqual(german.status_code, 200)
        self.assertEqual(german.json["The preview is not available."],
                         "Die Vorschau ist nicht verfügbar.")
        self.assertIn("public", german.headers["Cache-Control"])
        english = self.client.get("/i18n/en.json").json
        self.assertEqual(english["The preview is not available."], "The preview is not available.")
        for bad in ("xx", "DE", "de-AT", "..%2f"):
            self.assertEqual(self.client.get(f"/i18n/{bad}.json").status_code, 404, bad)

    def test_every_page_loads_the_catalog_of_its_language(self):
        self.client.set_cookie("lang", "es")
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn('data-catalog="/i18n/es.json"', page)
        self.assertIn("vendor/moment-locale/es.js", page)
