"""One account per mailbox: lookalike spellings of an address are the same
address (full-width letters, letter case) or are refused (mixed scripts,
characters Flasky cannot deliver to)."""

from sqlalchemy import func, select

from app import db
from app.email_addresses import EmailAddressError, normalise_email
from app.models import OutboxMail, User
from tests.base import FlaskyTestCase

FULL_WIDTH_DOMAIN = "clopez@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com"  # ｅｘａｍｐｌｅ
FULL_WIDTH_LOCAL = "\uff43\uff4c\uff4f\uff50\uff45\uff5a@example.com"  # ｃｌｏｐｅｚ
CYRILLIC_A_DOMAIN = "clopez@ex\u0430mple.com"  # the а is Cyrillic
GREEK_OMICRON_DOMAIN = "clopez@g\u03bfogle.com"  # the ο is Greek


class NormaliseTestCase(FlaskyTestCase):
    def test_lookalike_spellings_have_one_canonical_form(self):
        for address in (FULL_WIDTH_DOMAIN, FULL_WIDTH_LOCAL, " CLopez@Example.COM ",
                        "clopez@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com"):
            with self.subTest(address=address):
                self.assertEqual(normalise_email(address), "clopez@example.com")

    def test_international_domains_are_kept_in_one_form(self):
        self.assertEqual(normalise_email("Ann@M\u00fcnchen.de"), "ann@m\u00fcnchen.de")
        self.assertEqual(normalise_email("ann@xn--mnchen-3ya.de"), "ann@m\u00fcnchen.de")
        self.assertEqual(normalise_email("ann@\u043f\u0440\u0438\u043c\u0435\u0440.com"),
                         "ann@\u043f\u0440\u0438\u043c\u0435\u0440.com")  # all Cyrillic

    def test_mixed_scripts_in_a_domain_label_are_refused(self):
        for address in (CYRILLIC_A_DOMAIN, GREEK_OMICRON_DOMAIN, "clopez@xn--exmple-4nf.com"):
            with self.subTest(address=address), self.assertRaises(EmailAddressError) as raised:
                normalise_email(address)
            self.assertIn("mixes", str(raised.exception))

    def test_non_ascii_before_the_at_sign_is_refused(self):
        with self.assertRaises(EmailAddressError) as raised:
            normalise_email("jos\u00e9@example.com")
        self.assertIn("before the @", str(raised.exception))

    def test_invalid_addresses_are_refused_with_the_reason(self):
        for address in ("not-an-email", "a@b", "a@@example.com", "", "a@ex\u200bample.com"):
            with self.subTest(address=address), self.assertRaises(EmailAddressError) as raised:
                normalise_email(address)
            self.assertTrue(str(raised.exception).startswith("Invalid email address."))

    def test_the_model_stores_and_finds_the_canonical_form(self):
        user = self.create_user("clopez", email=FULL_WIDTH_DOMAIN)
        self.assertEqual(user.email, "clopez@example.com")
        for address in (FULL_WIDTH_LOCAL, "CLOPEZ@example.com", FULL_WIDTH_DOMAIN):
            self.assertEqual(User.by_email(address), user)
        self.assertIsNone(User.by_email(CYRILLIC_A_DOMAIN))
        self.assertIsNone(User.by_email("not an address"))
        with self.assertRaises(EmailAddressError):
            User(email=CYRILLIC_A_DOMAIN, username="mallory")


class FormsTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.clopez = self.create_user("clopez", email="clopez@example.com")

    def register(self, email: str, username: str = "mallory"):
        return self.client.post("/auth/register", data={
            "email": email, "username": username,
            "password": self.password, "password2": self.password})

    def users(self) -> int:
        return db.session.scalar(select(func.count(User.id)))

    def mails(self) -> list[OutboxMail]:
        return list(db.session.scalars(select(OutboxMail)))

    def test_lookalikes_of_a_registered_address_are_taken(self):
        for address in (FULL_WIDTH_DOMAIN, FULL_WIDTH_LOCAL):
            with self.subTest(address=address):
                response = self.register(address)
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"Email already registered.", response.data)
        self.assertEqual(self.users(), 1)
        self.assertEqual(self.mails(), [])

    def test_mixed_script_domain_is_a_clear_form_error(self):
        for address in (CYRILLIC_A_DOMAIN, GREEK_OMICRON_DOMAIN):
            with self.subTest(address=address):
                response = self.register(address)
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"mixes Latin", response.data)
        self.assertEqual(self.users(), 1)

    def test_non_ascii_local_part_is_a_form_error_not_a_stuck_mail(self):
        response = self.register("jos\u00e9@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"before the @", response.data)
        self.assertEqual((self.users(), self.mails()), (1, []))

    def test_a_new_account_is_stored_and_mailed_in_canonical_form(self):
        response = self.register("Ann@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.org", "ann")
        self.assertEqual(response.status_code, 302)
        ann = User.by_username("ann")
        self.assertEqual(ann.email, "ann@example.org")
        [mail] = self.mails()
        self.assertEqual(mail.recipient_list, ["ann@example.org"])

    def test_change_email_to_a_lookalike_is_refused(self):
        self.create_user("john")
        self.login()
        for address in (FULL_WIDTH_DOMAIN, CYRILLIC_A_DOMAIN):
            with self.subTest(address=address):
                response = self.client.post("/auth/change_email", data={
                    "email": address, "password": self.password})
                self.assertEqual(response.status_code, 200)
        self.assertEqual(self.mails(), [])

    def test_login_and_reset_find_the_account_by_any_spelling(self):
        response = self.login(FULL_WIDTH_DOMAIN)
        self.assertIn(b"Log out", response.data)
        self.logout()
        self.client.post("/auth/reset", data={"email": FULL_WIDTH_LOCAL})
        [mail] = self.mails()
        self.assertEqual(mail.recipient_list, ["clopez@example.com"])

    def test_reset_for_a_mixed_script_address_sends_nothing(self):
        response = self.client.post("/auth/reset", data={"email": CYRILLIC_A_DOMAIN})
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"mixes Latin", response.data)
        self.assertEqual(self.mails(), [])

    def test_admin_cannot_give_a_lookalike_address(self):
        self.create_user("admin", role="Administrator")
        susan = self.create_user("susan")
        self.login("admin@example.com")
        for address, message in ((FULL_WIDTH_DOMAIN, b"Email already registered."),
                                 (CYRILLIC_A_DOMAIN, b"mixes Latin")):
            with self.subTest(address=address):
                response = self.client.post(f"/edit-profile/{susan.id}", data={
                    "email": address, "username": "susan", "role": susan.role_id})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.data)
        db.session.refresh(susan)
        self.assertEqual(susan.email, "susan@example.com")
