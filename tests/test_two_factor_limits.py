"""Guessing two-factor codes is limited per account and per address, failed
codes only; and the staff setting sends Moderators and Administrators to set
two-factor authentication up before anything else."""

from base64 import b64encode

from app import limiter
from tests.two_factor import TwoFactorTestCase, code_at, wrong_code

TIGHT = "3 per minute"


def basic_auth(username: str, password: str = "") -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{username}:{password}".encode()).decode()}


class CodeEntryLimitTestCase(TwoFactorTestCase):
    config = {"RATELIMIT_ENABLED": True, "FLASKY_RATELIMIT_TWO_FACTOR": TIGHT}

    def setUp(self) -> None:
        super().setUp()
        limiter.init_app(self.app)  # again, now that the limits are switched on
        self.user = self.create_user()
        self.secret, self.codes = self.enable_two_factor(self.user)

    def client_from(self, address: str):
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    def fail_three_times(self, client) -> None:
        self.password_step(client=client)
        for attempt in range(3):
            response = self.code_step(wrong_code(self.secret), client=client)
            self.assertEqual(response.status_code, 200, f"attempt {attempt + 1}")

    def test_after_three_wrong_codes_even_the_right_one_waits(self):
        self.fail_three_times(self.client)
        response = self.code_step(code_at(self.secret))
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response.headers)
        self.assertFalse(self.logged_in())

    def test_the_account_is_limited_from_another_address(self):
        self.fail_three_times(self.client_from("192.0.2.1"))
        other = self.client_from("192.0.2.2")
        self.password_step(client=other)
        self.assertEqual(self.code_step(code_at(self.secret), client=other).status_code, 429)

    def test_the_address_is_limited_for_another_account(self):
        client = self.client_from("192.0.2.3")
        self.fail_three_times(client)
        ada = self.create_user("ada")
        ada_secret, _codes = self.enable_two_factor(ada)
        self.password_step("ada@example.com", client=client)
        self.assertEqual(self.code_step(code_at(ada_secret), client=client).status_code, 429)

    def test_right_codes_do_not_count(self):
        for recovery in self.codes[:5]:
            self.password_step()
            self.assertEqual(self.code_step(recovery).status_code, 302)
            self.logout()

    def test_the_settings_and_api_share_the_account_allowance(self):
        self.fail_three_times(self.client_from("192.0.2.4"))
        response = self.client_from("192.0.2.5").post(
            "/api/v1/tokens/", headers={**basic_auth("john@example.com", self.password),
                                        "X-Flasky-OTP": code_at(self.secret)})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.get_json()["error"], "too many requests")


class StaffMustUseTwoFactorTestCase(TwoFactorTestCase):
    config = {"FLASKY_REQUIRE_2FA_FOR_STAFF": True}

    def test_a_moderator_is_sent_to_set_it_up_first(self):
        self.create_user("mo", role="Moderator")
        self.login("mo@example.com")
        for path in ["/", "/settings", "/moderate", "/user/mo", "/settings/sessions"]:
            self.assertRedirectsTo(self.client.get(path), "/settings/two-factor")
        page = self.client.get("/settings/two-factor")
        self.assertIn(b"Your role needs two-factor authentication", page.data)
        self.assertEqual(self.client.post("/settings/two-factor/setup").status_code, 302)
        self.assertEqual(self.client.post("/auth/logout").status_code, 302)

    def test_once_it_is_on_everything_opens_and_it_cannot_be_turned_off(self):
        root = self.create_user("root", role="Administrator")
        secret, _codes = self.enable_two_factor(root)
        self.password_step("root@example.com")
        self.code_step(code_at(secret))
        self.assertEqual(self.client.get("/").status_code, 200)
        page = self.client.get("/settings/two-factor").get_data(as_text=True)
        self.assertIn("cannot be turned off", page)
        response = self.client.post("/settings/two-factor/disable", data={
            "disable-password": self.password, "disable-code": code_at(secret, 1)},
            follow_redirects=True)
        self.assertIn(b"so it stays on", response.data)
        self.assertTrue(self.two_factor_row(root.id).enabled)

    def test_people_without_a_staff_role_are_not_asked(self):
        self.create_user("ada")
        self.login("ada@example.com")
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_the_api_refuses_staff_without_it(self):
        self.create_user("mo", role="Moderator")
        response = self.client.get("/api/v1/posts/",
                                   headers=basic_auth("mo@example.com", self.password))
        self.assertEqual(response.status_code, 403)
        self.assertIn("two-factor", response.get_json()["message"])


class StaffSettingOffTestCase(TwoFactorTestCase):
    def test_staff_may_go_without_two_factor_by_default(self):
        self.create_user("mo", role="Moderator")
        self.login("mo@example.com")
        self.assertEqual(self.client.get("/moderate").status_code, 200)
