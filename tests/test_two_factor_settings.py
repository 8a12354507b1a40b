"""Setting up two-factor authentication in the settings, new recovery codes and
turning it off: each asks for what proves the person, and says what was wrong."""

import re

from app import db
from app.auth import two_factor
from app.models import RecoveryCode
from tests.two_factor import TwoFactorTestCase, code_at, wrong_code


class TwoFactorSetupTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()
        self.login()

    def start(self) -> str:
        """Start setting up; returns the secret the page shows."""
        self.assertRedirectsTo(self.client.post("/settings/two-factor/setup"),
                               "/settings/two-factor")
        page = self.client.get("/settings/two-factor").get_data(as_text=True)
        return re.search(r"data-two-factor-secret>([A-Z2-7]+)<", page).group(1)

    def confirm(self, code: str):
        return self.client.post("/settings/two-factor/confirm", data={"code": code})

    def test_the_settings_link_to_two_factor_and_sessions(self):
        page = self.client.get("/settings").get_data(as_text=True)
        self.assertIn('href="/settings/two-factor"', page)
        self.assertIn('href="/settings/sessions"', page)

    def test_the_page_offers_to_set_up(self):
        page = self.client.get("/settings/two-factor")
        self.assertIn(b"Two-factor authentication is off", page.data)
        self.assertIn(b'action="/settings/two-factor/setup"', page.data)

    def test_setting_up_shows_a_local_qr_code_and_keeps_the_secret_encrypted(self):
        secret = self.start()
        page = self.client.get("/settings/two-factor").get_data(as_text=True)
        svg = re.search(r"<svg [^>]*>.*?</svg>", page, re.S).group(0)
        self.assertIn('role="img"', svg)
        self.assertIn("<title>QR code for your authenticator app</title>", svg)
        self.assertNotRegex(page, r'<img[^>]+src="https?://')  # nothing from elsewhere
        row = self.two_factor_row(self.user.id)
        self.assertFalse(row.enabled)
        self.assertNotIn(secret, row.secret_encrypted)
        self.assertEqual(two_factor.pending_secret(self.user), secret)

    def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(self):
        secret = self.start()
        response = self.confirm(code_at(secret))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Cache-Control"], "private, no-store")
        codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.get_data(as_text=True))
        self.assertEqual(len(set(codes)), 10)
        self.assertTrue(self.two_factor_row(self.user.id).enabled)
        stored = [row.code_hash for row in db.session.scalars(db.select(RecoveryCode))]
        self.assertEqual(len(stored), 10)
        self.assertFalse(set(codes) & set(stored))  # only digests are kept
        page = self.client.get("/settings/two-factor").get_data(as_text=True)
        self.assertIn("You have 10 unused recovery codes", page)
        self.assertFalse(any(code in page for code in codes))

    def test_wrong_expired_and_malformed_codes_leave_it_off(self):
        secret = self.start()
        for code, message in [(wrong_code(secret), "That code is not right"),
                              (code_at(secret, -5), "That code has expired"),
                              ("abcdef", "Enter the 6-digit code"),
                              ("", "Enter the code from your authenticator app")]:
            page = self.confirm(code).get_data(as_text=True)
            self.assertIn(message, page, code)
            self.assertIn("data-two-factor-secret", page, "the QR code is shown again")
        self.assertFalse(self.two_factor_row(self.user.id).enabled)

    def test_confirming_without_starting_says_to_start(self):
        response = self.client.post("/settings/two-factor/confirm", data={"code": "123456"},
                                    follow_redirects=True)
        self.assertIn(b"Start setting up two-factor authentication again", response.data)
        self.assertIsNone(self.two_factor_row(self.user.id))

    def test_starting_again_once_on_changes_nothing(self):
        secret, _codes = self.enable_two_factor(self.user)
        response = self.client.post("/settings/two-factor/setup", follow_redirects=True)
        self.assertIn(b"already on", response.data)
        self.assertEqual(two_factor._secret_of(self.two_factor_row(self.user.id)), secret)

    def test_someone_else_never_sees_the_secret(self):
        secret = self.start()
        self.logout()
        self.create_user("ada")
        self.login("ada@example.com")
        page = self.client.get("/settings/two-factor").get_data(as_text=True)
        self.assertNotIn(secret, page)
        self.assertIn("Two-factor authentication is off", page)

    def test_the_page_needs_a_login(self):
        self.logout()
        self.assertRedirectsTo(self.client.get("/settings/two-factor"),
                               "/auth/login?next=%2Fsettings%2Ftwo-factor")
        self.assertEqual(self.client.post("/settings/two-factor/setup").status_code, 302)
        self.assertIsNone(self.two_factor_row(self.user.id))


class TwoFactorManagementTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()
        self.secret, self.codes = self.enable_two_factor(self.user)
        self.password_step()
        self.code_step(self.codes[0])  # the app's current code stays unused

    def regenerate(self, code: str):
        return self.client.post("/settings/two-factor/recovery-codes",
                                data={"recovery-code": code})

    def disable(self, password: str, code: str):
        return self.client.post("/settings/two-factor/disable",
                                data={"disable-password": password, "disable-code": code})

    def test_new_recovery_codes_need_a_code_and_replace_the_old(self):
        self.assertIn(b"That code is not right", self.regenerate(wrong_code(self.secret)).data)
        self.assertIn(b"Enter the 6-digit code", self.regenerate(self.codes[1]).data)
        self.assertEqual(two_factor.remaining_recovery_codes(self.user), 9)
        response = self.regenerate(code_at(self.secret))
        new = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.get_data(as_text=True))
        self.assertEqual(len(new), 10)
        self.assertEqual(two_factor.remaining_recovery_codes(self.user), 10)
        self.logout()
        self.password_step()
        self.assertIn(b"That recovery code is not right", self.code_step(self.codes[1]).data)
        self.assertEqual(self.code_step(new[0]).status_code, 302)

    def test_turning_off_needs_the_password(self):
        response = self.disable("wrong-password", code_at(self.secret))
        self.assertIn(b"Invalid password", response.data)
        self.assertTrue(self.two_factor_row(self.user.id).enabled)

    def test_turning_off_needs_a_code(self):
        for code, message in [(wrong_code(self.secret), b"That code is not right"),
                              (self.codes[0], b"That recovery code was already used"),
                              ("", b"Enter the code from your authenticator app")]:
            self.assertIn(message, self.disable(self.password, code).data)
        self.assertTrue(self.two_factor_row(self.user.id).enabled)

    def test_turning_off_with_both_deletes_the_secret_and_codes(self):
        response = self.disable(self.password, code_at(self.secret))
        self.assertRedirectsTo(response, "/settings/two-factor")
        self.assertIsNone(self.two_factor_row(self.user.id))
        self.assertEqual(db.session.scalar(db.select(db.func.count(RecoveryCode.id))), 0)
        self.logout()
        self.assertRedirectsTo(self.password_step(), "/")
        self.assertTrue(self.logged_in())

    def test_a_recovery_code_turns_it_off_too(self):
        self.assertEqual(self.disable(self.password, self.codes[2]).status_code, 302)
        self.assertIsNone(self.two_factor_row(self.user.id))


    def test_deleting_the_account_deletes_the_secret_and_codes(self):
        user_id = self.user.id
        response = self.client.post("/settings/delete", data={
            "password": self.password, "username": "john"})
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(self.two_factor_row(user_id))
        self.assertEqual(db.session.scalar(db.select(db.func.count(RecoveryCode.id))), 0)


class TwoFactorFormsNeedCsrfTestCase(TwoFactorTestCase):
    config = {"WTF_CSRF_ENABLED": True}

    def test_nothing_changes_without_the_token(self):
        user = self.create_user()
        self.sign_in_directly(user)
        self.client.post("/settings/two-factor/setup")
        self.assertIsNone(self.two_factor_row(user.id))
        secret, _codes = self.enable_two_factor(user)
        self.client.post("/settings/two-factor/disable", data={
            "disable-password": self.password, "disable-code": code_at(secret)})
        self.assertTrue(self.two_factor_row(user.id).enabled)
