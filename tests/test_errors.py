from flask import abort

from tests.base import FlaskyTestCase


class ErrorPageTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.app.config["PROPAGATE_EXCEPTIONS"] = False

        @self.app.route("/_test/abort/<int:status>", methods=["GET"])
        def abort_with(status):
            abort(status)

        @self.app.route("/_test/crash")
        def crash():
            raise RuntimeError("secret internals")

    def test_each_error_has_an_html_page(self):
        for status in (400, 403, 404, 405, 413, 429, 500):
            with self.subTest(status=status):
                response = self.client.get(f"/_test/abort/{status}")
                self.assertEqual(response.status_code, status)
                self.assertEqual(response.mimetype, "text/html")
                self.assertIn(str(status).encode(), response.data)
                self.assertIn(b"Back to the home page", response.data)

    def test_unhandled_exception_is_a_500_page_without_internals(self):
        response = self.client.get("/_test/crash")
        self.assertEqual(response.status_code, 500)
        self.assertIn(b"Something went wrong", response.data)
        self.assertNotIn(b"secret internals", response.data)

    def test_unhandled_exception_as_json(self):
        response = self.client.get("/_test/crash", headers={"Accept": "application/json"})
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response.get_json()["error"], "internal server error")
        self.assertNotIn("secret internals", response.get_json()["message"])

    def test_method_not_allowed_keeps_allow_header(self):
        response = self.client.post("/_test/abort/404")
        self.assertEqual(response.status_code, 405)
        self.assertIn("GET", response.headers["Allow"])


class NegotiationTestCase(FlaskyTestCase):
    def get(self, path, accept=None):
        headers = {"Accept": accept} if accept is not None else {}
        return self.client.get(path, headers=headers)

    def test_browser_gets_html(self):
        accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        self.assertEqual(self.get("/missing", accept).mimetype, "text/html")

    def test_curl_and_no_accept_get_html(self):
        self.assertEqual(self.get("/missing", "*/*").mimetype, "text/html")
        self.assertEqual(self.get("/missing").mimetype, "text/html")

    def test_client_preferring_json_gets_json(self):
        for accept in ("application/json", "application/json, text/html;q=0.5"):
            with self.subTest(accept=accept):
                response = self.get("/missing", accept)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.get_json(),
                                 {"error": "not found", "message": response.get_json()["message"]})
                self.assertTrue(response.get_json()["message"])

    def test_equal_preference_gets_html(self):
        self.assertEqual(self.get("/missing", "application/json, text/html").mimetype, "text/html")

    def test_api_paths_always_get_json(self):
        for accept in (None, "*/*", "text/html"):
            with self.subTest(accept=accept):
                response = self.get("/api/v1/no-such-thing", accept)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.get_json()["error"], "not found")
