import time
from unittest import mock

from app import db
from app.mail_link_tokens import generate_token, load_token
from app.models import User
from tests.base import FlaskyTestCase


class SignedTokenTestCase(FlaskyTestCase):
    def test_round_trip(self):
        token = generate_token("confirm", 60, user=7)
        self.assertEqual(load_token("confirm", token)["user"], 7)

    def test_other_purpose_is_refused(self):
        token = generate_token("confirm", 60, user=7)
        self.assertIsNone(load_token("reset", token))

    def test_tampered_token_is_refused(self):
        token = generate_token("confirm", 60, user=7)
        tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
        self.assertIsNone(load_token("confirm", tampered))
        self.assertIsNone(load_token("confirm", "not-a-token"))
        self.assertIsNone(load_token("confirm", ""))

    def test_expired_token_is_refused(self):
        token = generate_token("confirm", 60, user=7)
        with mock.patch("app.mail_link_tokens.time.time", return_value=time.time() + 61):
            self.assertIsNone(load_token("confirm", token))

    def test_other_secret_key_is_refused(self):
        token = generate_token("confirm", 60, user=7)
        self.app.config["SECRET_KEY"] = "another-key"
        self.assertIsNone(load_token("confirm", token))


class ConfirmationTokenTestCase(FlaskyTestCase):
    def test_valid_token_confirms(self):
        user = self.create_user(confirmed=False)
        self.assertTrue(user.confirm(user.generate_confirmation_token()))
        self.assertTrue(user.confirmed)

    def test_token_of_another_user_is_refused(self):
        first = self.create_user("first", confirmed=False)
        second = self.create_user("second", confirmed=False)
        self.assertFalse(second.confirm(first.generate_confirmation_token()))
        self.assertFalse(second.confirmed)

    def test_expired_token_is_refused(self):
        user = self.create_user(confirmed=False)
        token = user.generate_confirmation_token(expiration=-1)
        self.assertFalse(user.confirm(token))
        self.assertFalse(user.confirmed)

    def test_reset_token_does_not_confirm(self):
        user = self.create_user(confirmed=False)
        self.assertFalse(user.confirm(user.generate_reset_token()))


class ResetTokenTestCase(FlaskyTestCase):
    def test_valid_reset(self):
        user = self.create_user()
        self.assertTrue(User.reset_password(user.generate_reset_token(), "brand-new-pass"))
        self.assertTrue(user.verify_password("brand-new-pass"))

    def test_reset_token_works_once(self):
        user = self.create_user()
        token = user.generate_reset_token()
        self.assertTrue(User.reset_password(token, "brand-new-pass"))
        db.session.commit()
        self.assertFalse(User.reset_password(token, "another-pass-1"))
        self.assertTrue(user.verify_password("brand-new-pass"))

    def test_tampered_or_foreign_reset_token(self):
        user = self.create_user()
        self.assertFalse(User.reset_password(user.generate_reset_token() + "x", "brand-new-1"))
        self.assertFalse(User.reset_password(user.generate_confirmation_token(), "brand-new-1"))
        self.assertTrue(user.verify_password(self.password))

    def test_expired_reset_token(self):
        user = self.create_user()
        self.assertFalse(User.reset_password(user.generate_reset_token(-1), "brand-new-pass"))

    def test_token_for_deleted_user(self):
        user = self.create_user()
        token = user.generate_reset_token()
        db.session.delete(user)
        db.session.commit()
        self.assertFalse(User.reset_password(token, "brand-new-pass"))


class EmailChangeTokenTestCase(FlaskyTestCase):
    def test_valid_change(self):
        user = self.create_user("john")
        old_hash = user.avatar_hash
        self.assertTrue(user.change_email(user.generate_email_change_token("New@Example.com")))
        self.assertEqual(user.email, "new@example.com")
        self.assertNotEqual(user.avatar_hash, old_hash)

    def test_change_token_works_once(self):
        user = self.create_user("john")
        token = user.generate_email_change_token("new@example.com")
        self.assertTrue(user.change_email(token))
        db.session.commit()
        user.email = "john@example.com"
        db.session.commit()
        # Replaying a used token fails even after moving back: the stamp rotated.
        user.email = "third@example.com"
        self.assertFalse(user.change_email(token))

    def test_token_of_another_user(self):
        first, second = self.create_user("first"), self.create_user("second")
        token = first.generate_email_change_token("new@example.com")
        self.assertFalse(second.change_email(token))
        self.assertEqual(second.email, "second@example.com")

    def test_address_taken_meanwhile(self):
        first = self.create_user("first")
        self.create_user("second")
        token = first.generate_email_change_token("SECOND@example.com")
        self.assertFalse(first.change_email(token))
        self.assertEqual(first.email, "first@example.com")

    def test_expired_change_token(self):
        user = self.create_user()
        self.assertFalse(user.change_email(user.generate_email_change_token("n@example.com", -1)))


class ApiTokenTestCase(FlaskyTestCase):
    def test_issue_and_verify(self):
        user = self.create_user()
        token = user.generate_auth_token(3600)
        db.session.commit()
        self.assertEqual(User.verify_auth_token(token), user)
        self.assertIsNone(User.verify_auth_token(token + "x"))
        self.assertIsNone(User.verify_auth_token(""))

    def test_expired_token(self):
        user = self.create_user()
        token = user.generate_auth_token(-1)
        db.session.commit()
        self.assertIsNone(User.verify_auth_token(token))

    def test_password_change_kills_tokens(self):
        user = self.create_user()
        token = user.generate_auth_token(3600)
        db.session.commit()
        user.password = "a-new-password"
        db.session.commit()
        self.assertIsNone(User.verify_auth_token(token))

    def test_only_a_digest_is_stored(self):
        from app.models import ApiToken

        user = self.create_user()
        token = user.generate_auth_token(3600)
        db.session.commit()
        stored = db.session.scalar(db.select(ApiToken.token_hash))
        self.assertNotEqual(stored, token)
        self.assertNotIn(token, stored)
