from app import db
from app.models import Post
from tests.test_api_base import API, ApiTestCase


class ApiErrorsTestCase(ApiTestCase):
    config = {"PROPAGATE_EXCEPTIONS": False}

    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()

    def test_unknown_routes_answer_404_json_even_to_browsers(self):
        for path in ("/nowhere", "/posts/abc", "/users/-1"):
            with self.subTest(path=path):
                response = self.call("GET", path, headers={"Accept": "text/html"})
                self.assertError(response, 404)
                self.assertEqual(response.json["error"], "not found")
        self.assertError(self.client.get("/api/v2/posts/"), 404)

    def test_wrong_method_answers_405_json_with_allow(self):
        response = self.call("PATCH", "/posts/", self.user, json={"body": "x"})
        self.assertError(response, 405)
        self.assertEqual(response.json["error"], "method not allowed")
        self.assertEqual(set(response.headers["Allow"].split(", ")),
                         {"GET", "HEAD", "OPTIONS", "POST"})
        self.assertError(self.call("POST", "/users/1", self.user), 405)

    def test_too_large_answers_413_json(self):
        response = self.call("POST", "/posts/", self.user,
                             data="x" * (self.app.config["MAX_CONTENT_LENGTH"] + 1),
                             content_type="application/json")
        self.assertError(response, 413)

    def test_wrong_content_type_answers_415_json(self):
        post = Post(body="x", author=self.user)
        db.session.add(post)
        db.session.commit()
        response = self.call("PUT", f"/posts/{post.id}", self.user, data="body=x",
                             content_type="application/x-www-form-urlencoded")
        self.assertError(response, 415, "application/json")
        self.assertEqual(response.json["error"], "unsupported media type")

    def test_server_errors_answer_500_json_without_details(self):
        def explode():
            raise RuntimeError("secret internals")

        self.app.add_url_rule(f"{API}/explode", "explode", explode)
        with self.assertLogs(self.app.logger, "ERROR"):  # logged for us, hidden from them
            response = self.client.get(f"{API}/explode")
        self.assertError(response, 500)
        self.assertNotIn("secret", response.json["message"])
