"""Logging in with two-factor authentication: the password, then a code from the
app or a recovery code; the state in between grants nothing and expires."""

import time

from app import db
from app.auth.two_factor_login import PENDING_KEY
from tests.two_factor import TwoFactorTestCase, code_at, wrong_code


class TwoFactorLoginTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()
        self.secret, self.recovery_codes = self.enable_two_factor(self.user)

    def test_the_password_leads_to_the_code_page_and_logs_nobody_in(self):
        response = self.password_step()
        self.assertRedirectsTo(response, "/auth/two-factor")
        self.assertFalse(self.logged_in())
        self.assertRedirectsTo(self.client.get("/settings"), "/auth/login?next=%2Fsettings")
        page = self.client.get("/auth/two-factor")
        self.assertEqual(page.status_code, 200)
        self.assertIn(b'autocomplete="one-time-code"', page.data)

    def test_the_right_code_logs_in_and_goes_where_the_login_was_asked_for(self):
        self.client.post("/auth/login?next=/settings", data={
            "email": "john@example.com", "password": self.password})
        self.assertRedirectsTo(self.code_step(code_at(self.secret)), "/settings")
        self.assertTrue(self.logged_in())
        with self.client.session_transaction() as session:
            self.assertNotIn(PENDING_KEY, session)

    def test_a_wrong_password_never_reaches_the_code_page(self):
        response = self.client.post("/auth/login", data={
            "email": "john@example.com", "password": "wrong-password"})
        self.assertEqual(response.status_code, 200)
        self.assertRedirectsTo(self.client.get("/auth/two-factor"), "/auth/login")

    def test_a_wrong_code_says_so_and_logs_nobody_in(self):
        self.password_step()
        response = self.code_step(wrong_code(self.secret))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"That code is not right", response.data)
        self.assertIn(b'aria-invalid="true"', response.data)
        self.assertFalse(self.logged_in())

    def test_bad_input_gets_a_form_error(self):
        self.password_step()
        for code, message in [("", b"Enter the code from your authenticator app"),
                              ("x" * 500, b"too long for a code"),
                              ("12345", b"That recovery code is not right"),
                              ("\u00e9\u00e9\u00e9", b"That recovery code is not right")]:
            response = self.code_step(code)
            self.assertEqual(response.status_code, 200, code)
            self.assertIn(message, response.data, code)
        self.assertFalse(self.logged_in())

    def test_a_code_is_accepted_once(self):
        code = code_at(self.secret)
        self.password_step()
        self.assertEqual(self.code_step(code).status_code, 302)
        self.logout()
        self.password_step()
        response = self.code_step(code)
        self.assertIn(b"That code was already used", response.data)
        self.assertFalse(self.logged_in())

    def test_an_older_code_has_expired(self):
        self.password_step()
        response = self.code_step(code_at(self.secret, -4))
        self.assertIn(b"That code has expired", response.data)
        self.assertFalse(self.logged_in())

    def test_the_next_steps_code_works_for_a_fast_clock(self):
        self.password_step()
        self.assertEqual(self.code_step(code_at(self.secret, 1)).status_code, 302)

    def test_a_recovery_code_works_once(self):
        recovery = self.recovery_codes[0]
        self.password_step()
        # Typed in capitals with spaces instead of the hyphen: still the same code.
        self.assertEqual(self.code_step(recovery.upper().replace("-", " ")).status_code, 302)
        self.assertTrue(self.logged_in())
        self.logout()
        self.password_step()
        response = self.code_step(recovery)
        self.assertIn(b"That recovery code was already used", response.data)
        self.assertFalse(self.logged_in())
        self.assertEqual(self.code_step(self.recovery_codes[1]).status_code, 302)

    def test_few_recovery_codes_left_are_pointed_out(self):
        for recovery in self.recovery_codes[:7]:
            self.password_step()
            self.code_step(recovery)
            self.logout()
        self.password_step()
        page = self.code_step(self.recovery_codes[7], follow_redirects=True)
        self.assertIn(b"You have 2 recovery codes left", page.data)

    def test_the_half_logged_in_state_expires(self):
        self.password_step()
        with self.client.session_transaction() as session:
            session[PENDING_KEY] = {**session[PENDING_KEY], "until": int(time.time()) - 1}
        response = self.code_step(code_at(self.secret), follow_redirects=True)
        self.assertIn(b"Your login has expired", response.data)
        self.assertFalse(self.logged_in())

    def test_a_password_change_meanwhile_voids_the_state(self):
        self.password_step()
        self.user.rotate_auth_stamp()
        db.session.commit()
        self.assertRedirectsTo(self.code_step(code_at(self.secret)), "/auth/login")
        self.assertFalse(self.logged_in())

    def test_the_code_page_without_a_password_goes_to_the_login(self):
        self.assertRedirectsTo(self.client.get("/auth/two-factor"), "/auth/login")
        self.assertRedirectsTo(self.code_step(code_at(self.secret)), "/auth/login")
        self.assertFalse(self.logged_in())

    def test_a_forged_state_is_refused(self):
        for note in ["john", {"user": "1", "until": "soon"}, {"user": self.user.id}]:
            with self.client.session_transaction() as session:
                session[PENDING_KEY] = note
            self.assertRedirectsTo(self.code_step(code_at(self.secret)), "/auth/login")
        self.assertFalse(self.logged_in())

    def test_remember_me_is_carried_over_the_code(self):
        self.password_step(remember_me="y")
        self.assertIsNone(self.client.get_cookie("remember_token"))
        self.code_step(code_at(self.secret))
        self.assertIsNotNone(self.client.get_cookie("remember_token"))

    def test_after_a_secret_key_change_recovery_codes_still_work(self):
        self.app.config["SECRET_KEY"] = "a-new-secret-key-for-this-site"
        self.password_step()
        response = self.code_step(code_at(self.secret))
        self.assertIn(b"cannot be checked at the moment", response.data)
        self.assertFalse(self.logged_in())
        self.assertEqual(self.code_step(self.recovery_codes[0]).status_code, 302)
        self.assertTrue(self.logged_in())

    def test_an_account_without_two_factor_logs_in_with_the_password(self):
        self.create_user("ada")
        self.assertRedirectsTo(self.password_step("ada@example.com"), "/")
        self.assertTrue(self.logged_in())
