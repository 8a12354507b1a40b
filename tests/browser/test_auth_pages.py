"""Signing up, confirming by mail, logging in and out, in a real browser."""

from sqlalchemy import select

from app.models import User
from tests.browser import flows
from tests.browser.harness import PHONE, BrowserTestCase, expect


class AuthPagesTestCase(BrowserTestCase):
    def test_register_confirm_by_mail_and_log_out(self):
        flows.register(self.page, "ada@example.com", "ada")
        self.page.goto(self.mail_link(1, "/auth/confirm/"))
        expect(self.page.get_by_text("You have confirmed your account")).to_be_visible()
        self.assertTrue(self.fresh_session().scalar(select(User).filter_by(username="ada")).confirmed)
        flows.log_out(self.page)
        self.assertEqual(self.problems.items, [])

    def test_form_errors_are_tied_to_their_fields(self):
        self.page.goto("/auth/register")
        self.page.get_by_label("Email", exact=True).fill("not-an-address")
        self.page.get_by_role("button", name="Register").click()
        email = self.page.get_by_label("Email", exact=True)
        expect(email).to_have_attribute("aria-invalid", "true")
        error_id = email.get_attribute("aria-describedby")
        expect(self.page.locator(f"#{error_id}")).to_contain_text("Invalid email address")
        expect(self.page.get_by_label("Username", exact=True)).to_have_attribute(
            "aria-describedby", "username-help username-error")  # the rule, then what broke it

    def test_login_with_a_wrong_password_says_so(self):
        self.create_user("ada", email="ada@example.com")
        self.page.goto("/auth/login")
        flows.fill_form(self.page, {"Email": "ada@example.com", "Password": "wrong-password"})
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("alert")).to_contain_text("Invalid email or password")


class AuthPagesOnAPhoneTestCase(BrowserTestCase):
    viewport = PHONE

    def test_log_in_and_out_through_the_collapsed_menu(self):
        self.create_user("ada", email="ada@example.com")
        flows.log_in(self.page, "ada@example.com")
        expect(self.page.locator(".navbar-toggler")).to_be_visible()
        flows.log_out(self.page)
        self.assertEqual(self.problems.items, [])

