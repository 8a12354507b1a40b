"""The API and two-factor authentication: tokens only, and a token needs the code."""

from base64 import b64encode

from app import db
from app.models import ApiToken
from tests.two_factor import TwoFactorTestCase, code_at, wrong_code


def basic_auth(username: str, password: str = "") -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{username}:{password}".encode()).decode()}


class TwoFactorApiTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()
        self.secret, self.codes = self.enable_two_factor(self.user)
        self.password_auth = basic_auth("john@example.com", self.password)

    def issue(self, otp: str | None = None, **headers: str):
        if otp is not None:
            headers["X-Flasky-OTP"] = otp
        return self.client.post("/api/v1/tokens/", headers={**self.password_auth, **headers})

    def test_the_password_alone_is_refused_with_a_pointer_to_tokens(self):
        response = self.client.get("/api/v1/posts/", headers=self.password_auth)
        self.assertEqual(response.status_code, 401)
        body = response.get_json()
        self.assertEqual(body["error"], "unauthorized")
        self.assertIn("token", body["message"])
        self.assertIn("X-Flasky-OTP", body["message"])
        self.assertIn("WWW-Authenticate", response.headers)

    def test_a_token_needs_the_code(self):
        response = self.issue()
        self.assertEqual(response.status_code, 401)
        self.assertIn("X-Flasky-OTP", response.get_json()["message"])
        self.assertEqual(db.session.scalar(db.select(db.func.count(ApiToken.id))), 0)

    def test_wrong_expired_and_reused_codes_are_refused(self):
        for code, message in [(wrong_code(self.secret), "That code is not right"),
                              (code_at(self.secret, -6), "That code has expired"),
                              ("x" * 5000, "That recovery code is not right")]:
            response = self.issue(code)
            self.assertEqual(response.status_code, 401, code)
            self.assertIn(message, response.get_json()["message"])
        code = code_at(self.secret)
        self.assertEqual(self.issue(code).status_code, 200)
        response = self.issue(code)
        self.assertEqual(response.status_code, 401)
        self.assertIn("already used", response.get_json()["message"])

    def test_the_right_code_gets_a_token_that_works(self):
        response = self.issue(code_at(self.secret), **{"User-Agent": "flasky-cli/2.0"})
        self.assertEqual(response.status_code, 200)
        token = response.get_json()["token"]
        self.assertEqual(self.client.get("/api/v1/posts/", headers=basic_auth(token))
                         .status_code, 200)
        row = db.session.scalar(db.select(ApiToken))
        self.assertEqual(row.name, "flasky-cli/2.0")
        self.assertIsNotNone(row.last_used_at)

    def test_a_recovery_code_gets_a_token_once(self):
        self.assertEqual(self.issue(self.codes[0]).status_code, 200)
        self.assertIn("already used", self.issue(self.codes[0]).get_json()["message"])

    def test_an_account_without_two_factor_still_uses_its_password(self):
        self.create_user("ada")
        response = self.client.get("/api/v1/posts/",
                                   headers=basic_auth("ada@example.com", self.password))
        self.assertEqual(response.status_code, 200)

    def test_the_api_description_names_the_header(self):
        document = self.client.get("/api/v1/openapi.json").get_json()
        operation = document["paths"]["/tokens/"]["post"]
        self.assertIn("X-Flasky-OTP", [parameter["name"] for parameter in
                                       operation["parameters"]])
        self.assertIn("X-Flasky-OTP", document["info"]["description"])
