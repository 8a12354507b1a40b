"""Every error page speaks Flasky's own words, never Werkzeug's stock text,
and offers a way on (home, a search, and what fits the status)."""

import re

from flask import abort
from werkzeug import exceptions

from app.errors import error_words
from tests.base import FlaskyTestCase
from tests.social import csrf_token_in

STATUSES = (400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 415, 416, 418, 422, 429,
            500, 501, 502, 503)


def stock_text(status: int) -> str:
    """Werkzeug's own description for ``status`` (English, with its HTTP jargon)."""
    exception = exceptions.default_exceptions.get(status)
    return exception.description if exception else ""


class ErrorWordsTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.app.config["PROPAGATE_EXCEPTIONS"] = False

        @self.app.route("/_test/abort/<int:status>")
        def abort_with(status):
            abort(status)

    def main_text(self, response) -> str:
        page = response.get_data(as_text=True)
        main = re.search(r"<main.*?</main>", page, re.S).group(0)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))

    def test_no_page_shows_werkzeugs_text(self):
        for status in STATUSES:
            with self.subTest(status=status):
                response = self.client.get(f"/_test/abort/{status}")
                self.assertEqual(response.status_code, status)
                text = self.main_text(response)
                self.assertNotIn(stock_text(status)[:40], text)
                self.assertNotIn("spelling", text)
                self.assertNotIn(exceptions.default_exceptions[status].__name__, text)
                title, message = error_words(status)
                self.assertIn(message, text)

    def test_an_unknown_address_offers_home_and_search(self):
        response = self.client.get("/no/such/page")
        self.assertEqual(response.status_code, 404)
        page = response.get_data(as_text=True)
        self.assertIn("There is nothing at this address. The link may be old", page)
        self.assertIn('href="/">Back to the home page</a>', page)
        self.assertRegex(page, r'<form class="error-search[^"]*" role="search" method="get" '
                               r'action="/search">')

    def test_forbidden_offers_a_login_to_visitors(self):
        response = self.client.get("/_test/abort/403")
        self.assertIn('href="/auth/login?next=/_test/abort/403">Log in</a>',
                      response.get_data(as_text=True))

    def test_a_server_error_offers_to_try_again(self):
        page = self.client.get("/_test/abort/502").get_data(as_text=True)
        self.assertIn('href="/_test/abort/502">Try this page again</a>', page)
        self.assertNotIn('action="/search"', page.split("<main", 1)[1])

    def test_a_csrf_failure_says_the_form_expired(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        response = self.client.post("/auth/login", data={"email": "a@example.com"})
        self.assertEqual(response.status_code, 400)
        text = self.main_text(response)
        self.assertIn("This form has expired", text)
        self.assertIn("reload the page and try again", text)
        self.assertNotIn("The CSRF token is missing", text)
        csrf_token_in(self.client.get("/auth/login").get_data(as_text=True))  # still usable

    def test_json_keeps_the_shape_in_our_words(self):
        response = self.client.get("/_test/abort/410", headers={"Accept": "application/json"})
        self.assertEqual(response.get_json(),
                         {"error": "gone", "message": "What was here has been removed for good."})

    def test_spanish_and_german_pages(self):
        for language, words in (("es", "Volver a la página de inicio"),
                                ("de", "Zurück zur Startseite")):
            with self.subTest(language=language):
                page = self.client.get("/no/such/page", headers={"Accept-Language": language})
                self.assertIn(words, page.get_data(as_text=True))
