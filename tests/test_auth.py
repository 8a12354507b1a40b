import re

from app import db
from app.models import OutboxMail, User
from tests.base import FlaskyTestCase


def latest_mail() -> OutboxMail:
    return db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id.desc())).first()


def link_in(mail: OutboxMail, path: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+)", mail.body_text)
    assert match, mail.body_text
    return match.group(1)


class RegistrationTestCase(FlaskyTestCase):
    form = {"email": "john@example.com", "username": "john",
            "password": "correct-horse-7", "password2": "correct-horse-7"}

    def register(self, **changes):
        return self.client.post("/auth/register", data={**self.form, **changes})

    def test_register_confirm_and_use_the_site(self):
        response = self.register()
        self.assertRedirectsTo(response, "/auth/unconfirmed")
        user = User.by_email("john@example.com")
        self.assertFalse(user.confirmed)
        mail = latest_mail()
        self.assertEqual(mail.recipient_list, ["john@example.com"])
        self.assertIn("Confirm Your Account", mail.subject)
        self.assertTrue(mail.subject.startswith("[Flasky]"))
        self.assertIsNotNone(mail.sent_at)

        # Unconfirmed: they read what visitors read; the rest sends them to /auth/unconfirmed.
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertRedirectsTo(self.client.get("/settings"), "/auth/unconfirmed")
        page = self.client.get("/auth/unconfirmed")
        self.assertIn(b"confirm", page.data)

        response = self.client.get(link_in(mail, "/auth/confirm/"), follow_redirects=True)
        self.assertIn(b"You have confirmed your account", response.data)
        db.session.refresh(user)
        self.assertTrue(user.confirmed)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_duplicates_in_any_case_are_field_errors(self):
        self.create_user("john", email="john@example.com")
        response = self.register(email="JOHN@Example.com", username="JoHn")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Email already registered.", response.data)
        self.assertIn(b"Username already in use.", response.data)
        self.assertEqual(db.session.scalar(db.select(db.func.count(User.id))), 1)

    def test_bad_fields_are_field_errors(self):
        cases = {
            "password2": ("different-pass", b"Passwords must match."),
            "password": ("short", b"8 to 128 characters"),
            "email": ("not-an-email", b"Invalid email address."),
            "username": ("9lives", b"Usernames start with a letter"),
        }
        for field, (value, message) in cases.items():
            with self.subTest(field=field):
                changes = {field: value}
                if field == "password":
                    changes["password2"] = value
                response = self.register(**changes)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.data)
        self.assertIsNone(User.by_email("john@example.com"))

    def test_over_long_fields_are_field_errors(self):
        response = self.register(username="j" * 65, email="j" * 250 + "@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Field must be between 1 and 64 characters long.", response.data)
        self.assertIn(b"Field cannot be longer than 254 characters.", response.data)
        self.assertIsNone(User.by_username("j" * 65))

    def test_usernames_with_symbols_are_refused(self):
        for username in ("john doe", "john<script>", "jo%hn", "_john", "john!"):
            with self.subTest(username=username):
                response = self.register(username=username)
                self.assertIn(b"Usernames start with a letter", response.data)

    def test_resend_confirmation(self):
        user = self.create_user(confirmed=False)
        self.login()
        response = self.client.post("/auth/confirm")
        self.assertRedirectsTo(response, "/auth/unconfirmed")
        self.assertEqual(latest_mail().recipient_list, [user.email])
        self.assertEqual(self.client.get("/auth/confirm").status_code, 405)

    def test_invalid_confirmation_link(self):
        self.create_user(confirmed=False)
        self.login()
        response = self.client.get("/auth/confirm/garbage", follow_redirects=True)
        self.assertIn(b"The confirmation link is invalid or has expired.", response.data)

    def test_confirmation_link_of_another_user(self):
        other = self.create_user("other", confirmed=False)
        user = self.create_user("john", confirmed=False)
        self.login()
        token = other.generate_confirmation_token()
        self.client.get(f"/auth/confirm/{token}")
        db.session.refresh(user)
        db.session.refresh(other)
        self.assertFalse(user.confirmed)
        self.assertFalse(other.confirmed)

    def test_confirmation_needs_login(self):
        user = self.create_user(confirmed=False)
        response = self.client.get(f"/auth/confirm/{user.generate_confirmation_token()}")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/auth/login", response.headers["Location"])

    def test_logged_in_users_do_not_see_register(self):
        self.create_user()
        self.login()
        self.assertRedirectsTo(self.client.get("/auth/register"), "/")


class LoginTestCase(FlaskyTestCase):
    def test_login_and_logout(self):
        self.create_user()
        response = self.login()
        self.assertIn(b"john", response.data)
        self.assertIn(b"Log out", response.data)
        response = self.logout()
        self.assertIn(b"You have been logged out.", response.data)
        self.assertIn(b"Log in", response.data)

    def test_logout_is_post_only(self):
        self.create_user()
        self.login()
        self.assertEqual(self.client.get("/auth/logout").status_code, 405)

    def test_wrong_password_and_unknown_email_answer_alike(self):
        self.create_user()
        wrong = self.login(password="wrong-password")
        unknown = self.login(email="nobody@example.com")
        for response in (wrong, unknown):
            self.assertEqual(response.status_code, 200)
            self.assertIn(b"Invalid email or password.", response.data)

    def test_login_email_ignores_case(self):
        self.create_user()
        response = self.login(email="JOHN@EXAMPLE.COM", follow_redirects=False)
        self.assertRedirectsTo(response, "/")

    def test_local_next_is_honoured(self):
        self.create_user()
        response = self.client.post("/auth/login?next=/auth/change-password", data={
            "email": "john@example.com", "password": self.password})
        self.assertRedirectsTo(response, "/auth/change-password")

    def test_foreign_next_is_refused(self):
        self.create_user()
        for target in ("//evil.com", "https://evil.com/x", "javascript:alert(1)",
                       "/\\evil.com", "\\\\evil.com", "http:/evil.com", " //evil.com",
                       "/\t/evil.com"):
            with self.subTest(next=target):
                self.logout()
                response = self.client.post("/auth/login", query_string={"next": target},
                                            data={"email": "john@example.com",
                                                  "password": self.password})
                self.assertRedirectsTo(response, "/")

    def test_remember_me_sets_a_lasting_cookie(self):
        self.create_user()
        response = self.login(remember_me="y", follow_redirects=False)
        cookies = response.headers.getlist("Set-Cookie")
        remember = [c for c in cookies if c.startswith("remember_token=")]
        self.assertEqual(len(remember), 1)
        self.assertIn("HttpOnly", remember[0])
        self.assertIn("SameSite=Lax", remember[0])

    def test_login_required_redirects_with_next(self):
        response = self.client.get("/auth/change-password")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/auth/login?next=", response.headers["Location"])


class ChangePasswordTestCase(FlaskyTestCase):
    def change(self, old, new, again=None):
        return self.client.post("/auth/change-password", data={
            "old_password": old, "password": new, "password2": again or new,
        }, follow_redirects=True)

    def test_change_password(self):
        user = self.create_user()
        self.login()
        response = self.change(self.password, "a-brand-new-pass")
        self.assertIn(b"Your password has been updated.", response.data)
        db.session.refresh(user)
        self.assertTrue(user.verify_password("a-brand-new-pass"))
        # The session that changed it stays logged in.
        self.assertEqual(self.client.get("/auth/change-password").status_code, 200)

    def test_wrong_old_password(self):
        user = self.create_user()
        self.login()
        response = self.change("not-my-password", "a-brand-new-pass")
        self.assertIn(b"Invalid password.", response.data)
        db.session.refresh(user)
        self.assertTrue(user.verify_password(self.password))

    def test_mismatch_and_short(self):
        self.create_user()
        self.login()
        self.assertIn(b"Passwords must match.", self.change(self.password, "abcdefgh1", "x").data)
        self.assertIn(b"8 to 128 characters", self.change(self.password, "short").data)

    def test_other_sessions_end(self):
        self.create_user()
        other = self.app.test_client()
        other.post("/auth/login", data={"email": "john@example.com", "password": self.password})
        self.assertEqual(other.get("/auth/change-password").status_code, 200)
        self.login()
        self.change(self.password, "a-brand-new-pass")
        self.assertEqual(other.get("/auth/change-password").status_code, 302)


class PasswordResetTestCase(FlaskyTestCase):
    def test_reset_by_mail(self):
        user = self.create_user()
        response = self.client.post("/auth/reset", data={"email": "JOHN@example.com"},
                                    follow_redirects=True)
        self.assertIn(b"If that address has an account", response.data)
        mail = latest_mail()
        self.assertEqual(mail.recipient_list, ["john@example.com"])
        link = link_in(mail, "/auth/reset/")
        self.assertEqual(self.client.get(link).status_code, 200)
        response = self.client.post(link, data={"password": "a-brand-new-pass",
                                                "password2": "a-brand-new-pass"},
                                    follow_redirects=True)
        self.assertIn(b"Your password has been updated.", response.data)
        db.session.refresh(user)
        self.assertTrue(user.verify_password("a-brand-new-pass"))
        # The link works once.
        response = self.client.post(link, data={"password": "yet-another-pass",
                                                "password2": "yet-another-pass"},
                                    follow_redirects=True)
        self.assertIn(b"invalid or has expired", response.data)
        db.session.refresh(user)
        self.assertTrue(user.verify_password("a-brand-new-pass"))

    def test_link_dies_when_the_address_changes(self):
        """Someone who could read the old mailbox must not set the password of an
        account that has since moved to another address."""
        user = self.create_user()
        self.client.post("/auth/reset", data={"email": "john@example.com"})
        link = link_in(latest_mail(), "/auth/reset/")
        self.login()
        self.client.post("/auth/change_email", data={"email": "new@example.com",
                                                     "password": self.password})
        self.client.get(link_in(latest_mail(), "/auth/change_email/"))
        self.logout()
        db.session.refresh(user)
        self.assertEqual(user.email, "new@example.com")
        response = self.client.post(link, data={"password": "taken-over-pass",
                                                "password2": "taken-over-pass"},
                                    follow_redirects=True)
        self.assertIn(b"invalid or has expired", response.data)
        db.session.refresh(user)
        self.assertTrue(user.verify_password(self.password))

    def test_unknown_address_answers_exactly_as_a_known_one(self):
        self.create_user()
        known = self.client.post("/auth/reset", data={"email": "john@example.com"})
        known_page = self.client.get(known.headers["Location"]).data
        unknown = self.client.post("/auth/reset", data={"email": "nobody@example.com"})
        unknown_page = self.client.get(unknown.headers["Location"]).data
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known.headers["Location"], unknown.headers["Location"])
        def without_nonces(page: bytes) -> bytes:
            return re.sub(rb'nonce="[^"]*"', b"", page)

        self.assertEqual(without_nonces(known_page), without_nonces(unknown_page))
        self.assertEqual(db.session.scalar(db.select(db.func.count(OutboxMail.id))), 1)

    def test_bad_token(self):
        self.create_user()
        response = self.client.post("/auth/reset/garbage", data={
            "password": "a-brand-new-pass", "password2": "a-brand-new-pass"},
            follow_redirects=True)
        self.assertIn(b"invalid or has expired", response.data)


class ChangeEmailTestCase(FlaskyTestCase):
    def request_change(self, email, password=None):
        return self.client.post("/auth/change_email", data={
            "email": email, "password": password or self.password}, follow_redirects=True)

    def test_change_email_by_mail_to_the_new_address(self):
        user = self.create_user()
        self.login()
        response = self.request_change("New@Example.com")
        self.assertIn(b"has been sent to it", response.data)
        mail = latest_mail()
        self.assertEqual(mail.recipient_list, ["new@example.com"])
        link = link_in(mail, "/auth/change_email/")
        response = self.client.get(link, follow_redirects=True)
        self.assertIn(b"Your email address has been updated.", response.data)
        db.session.refresh(user)
        self.assertEqual(user.email, "new@example.com")
        # Still logged in, and the link works once.
        response = self.client.get(link, follow_redirects=True)
        self.assertIn(b"invalid or has expired", response.data)

    def test_wrong_password(self):
        self.create_user()
        self.login()
        response = self.request_change("new@example.com", password="not-my-password")
        self.assertIn(b"Invalid password.", response.data)
        self.assertIsNone(latest_mail())

    def test_taken_address_in_any_case(self):
        self.create_user("other", email="taken@example.com")
        self.create_user()
        self.login()
        response = self.request_change("TAKEN@example.com")
        self.assertIn(b"Email already registered.", response.data)
        self.assertIsNone(latest_mail())
