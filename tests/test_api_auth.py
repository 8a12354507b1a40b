from datetime import timedelta

from sqlalchemy import select

from app import db
from app.api.openapi import DOCUMENT
from app.models import ApiToken, utcnow
from tests.test_api_base import ApiTestCase, basic


class ApiAuthenticationTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()

    def test_missing_credentials_answer_401_json_without_a_browser_prompt(self):
        response = self.call("GET", "/posts/")
        self.assertError(response, 401)
        self.assertEqual(response.json["error"], "unauthorized")
        self.assertEqual(response.headers["WWW-Authenticate"], 'xBasic realm="Flasky API"')

    def test_wrong_password_and_unknown_email_answer_401(self):
        self.assertError(self.call("GET", "/posts/", headers=basic(self.user.email, "wrong")), 401)
        self.assertError(self.call("GET", "/posts/", headers=basic("no@example.com", "x")), 401)

    def test_malformed_authorization_headers_answer_401(self):
        for value in ("Basic !!!not-base64", "Bearer abc", "Basic", "", "Digest x=1"):
            with self.subTest(value=value):
                self.assertError(self.call("GET", "/posts/", headers={"Authorization": value}),
                                 401)

    def test_email_and_password_authenticate(self):
        self.assertEqual(self.call("GET", "/posts/", self.user).status_code, 200)

    def test_email_is_matched_whatever_its_case(self):
        headers = basic(self.user.email.upper(), self.password)
        self.assertEqual(self.call("GET", "/posts/", headers=headers).status_code, 200)

    def test_token_authenticates_and_is_stored_hashed(self):
        response = self.call("POST", "/tokens/", self.user)
        self.assertEqual(response.json["expiration"], 3600)
        token = response.json["token"]
        self.assertEqual(self.call("GET", "/posts/", headers=basic(token)).status_code, 200)
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
        self.assertEqual(len(stored), 1)
        self.assertNotIn(token, stored[0])

    def test_token_with_a_password_is_refused(self):
        token = self.token_for(self.user)
        self.assertError(self.call("GET", "/posts/", headers=basic(token, "x")), 401)

    def test_token_cannot_issue_another_token(self):
        token = self.token_for(self.user)
        response = self.call("POST", "/tokens/", headers=basic(token))
        self.assertError(response, 401, "email and password")
        self.assertIn("WWW-Authenticate", response.headers)
        self.assertEqual(db.session.scalar(select(db.func.count(ApiToken.id))), 1)

    def test_revoked_token_is_refused(self):
        token = self.token_for(self.user)
        self.assertEqual(self.call("DELETE", "/tokens/", headers=basic(token)).status_code, 204)
        self.assertError(self.call("GET", "/posts/", headers=basic(token)), 401)
        self.assertError(self.call("DELETE", "/tokens/", headers=basic(token)), 401)

    def test_revoking_one_token_keeps_the_others(self):
        first, second = self.token_for(self.user), self.token_for(self.user)
        self.call("DELETE", "/tokens/", headers=basic(first))
        self.assertEqual(self.call("GET", "/posts/", headers=basic(second)).status_code, 200)

    def test_revoking_needs_the_token_itself(self):
        self.assertError(self.call("DELETE", "/tokens/", self.user), 400, "token")

    def test_expired_token_is_refused(self):
        token = self.token_for(self.user)
        row = db.session.scalar(select(ApiToken))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        self.assertError(self.call("GET", "/posts/", headers=basic(token)), 401)

    def test_changing_the_password_revokes_every_token(self):
        tokens = [self.token_for(self.user), self.token_for(self.user)]
        self.user.password = "a-brand-new-password"
        db.session.commit()
        for token in tokens:
            self.assertError(self.call("GET", "/posts/", headers=basic(token)), 401)
        new_headers = basic(self.user.email, "a-brand-new-password")
        self.assertEqual(self.call("GET", "/posts/", headers=new_headers).status_code, 200)

    def test_changing_the_password_through_the_page_revokes_tokens(self):
        token = self.token_for(self.user)
        self.login()
        self.client.post("/auth/change-password", data={
            "old_password": self.password, "password": "another-password-9",
            "password2": "another-password-9"})
        self.assertError(self.call("GET", "/posts/", headers=basic(token)), 401)

    def test_changing_the_email_revokes_every_token(self):
        token = self.token_for(self.user)
        self.assertTrue(self.user.change_email(
            self.user.generate_email_change_token("john.new@example.com")))
        db.session.commit()
        self.assertError(self.call("GET", "/posts/", headers=basic(token)), 401)

    def test_every_operation_but_the_description_needs_credentials(self):
        for path, operations in DOCUMENT["paths"].items():
            for method, operation in operations.items():
                with self.subTest(method=method, path=path):
                    url = path.replace("{id}", "1").replace("{image_id}", "1")
                    response = self.call(method.upper(), url,
                                         json={"body": "x"} if method in ("post", "put") else None)
                    if operation.get("security") == []:
                        self.assertEqual(response.status_code, 200)
                    else:
                        self.assertError(response, 401)

    def test_unconfirmed_account_answers_403(self):
        unconfirmed = self.create_user("susan", confirmed=False)
        self.assertError(self.call("GET", "/posts/", unconfirmed), 403, "confirm")
        self.assertError(self.call("POST", "/tokens/", unconfirmed), 403)

    def test_session_cookie_alone_does_not_authenticate(self):
        self.login()
        self.assertIn(b"/auth/logout", self.client.get("/").data)  # the pages see the login
        self.assertError(self.call("GET", "/posts/"), 401)
        self.assertError(self.call("POST", "/posts/", json={"body": "hello"}), 401)

    def test_api_calls_update_last_seen(self):
        self.user.last_seen = utcnow() - timedelta(days=1)
        db.session.commit()
        self.call("GET", "/posts/", self.user)
        db.session.refresh(self.user)
        self.assertLess(utcnow() - self.user.last_seen, timedelta(minutes=5))

    def test_description_is_public(self):
        self.assertEqual(self.call("GET", "/openapi.json").status_code, 200)
        self.assertEqual(self.call("GET", "/docs").status_code, 200)


class ApiCsrfTestCase(ApiTestCase):
    config = {"WTF_CSRF_ENABLED": True}

    def test_api_needs_no_csrf_token(self):
        user = self.create_user()
        response = self.call("POST", "/posts/", user, json={"body": "no CSRF token needed"})
        self.assertEqual(response.status_code, 201, response.json)

    def test_pages_still_need_csrf_tokens(self):
        self.create_user()
        response = self.client.post("/auth/login", data={
            "email": "john@example.com", "password": self.password})
        self.assertNotEqual(response.status_code, 302)
        self.assertEqual(self.call("GET", "/posts/").status_code, 401)
