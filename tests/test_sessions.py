"""Account safety: a changed password or email ends every other session,
remember-me cookie and API token, and links sent by mail work once."""

from base64 import b64encode

from app import db
from app.models import LoginSession, User
from tests.base import FlaskyTestCase

NEW_PASSWORD = "a-brand-new-pass"


def basic_auth(username: str, password: str = "") -> dict[str, str]:
    credentials = b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


class SessionTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()

    def second_client(self, remember: bool = False):
        """Another browser, logged in as the same user."""
        client = self.app.test_client()
        data = {"email": "john@example.com", "password": self.password}
        if remember:
            data["remember_me"] = "y"
        self.assertEqual(client.post("/auth/login", data=data).status_code, 302)
        self.assertTrue(self.logged_in(client))
        return client

    def logged_in(self, client) -> bool:
        """Asked of a form page and of the (cacheable) home page, which must agree."""
        form_page = client.get("/auth/change-password").status_code == 200
        home_page = b'action="/auth/logout"' in client.get("/").data
        self.assertEqual(form_page, home_page, "the home page shows a stale login state")
        return form_page

    @staticmethod
    def restart_browser(client) -> None:
        """A browser restart forgets the session cookie but keeps remember-me."""
        client.delete_cookie("session")

    def change_password(self, client=None):
        client = client or self.client
        return client.post("/auth/change-password", data={
            "old_password": self.password, "password": NEW_PASSWORD, "password2": NEW_PASSWORD})

    def api_token(self) -> str:
        response = self.client.post("/api/v1/tokens/",
                                    headers=basic_auth("john@example.com", self.password))
        self.assertEqual(response.status_code, 200)
        return response.get_json()["token"]

    def token_works(self, token: str) -> bool:
        return self.client.get("/api/v1/posts/", headers=basic_auth(token)).status_code == 200


class PasswordChangeTestCase(SessionTestCase):
    def test_other_session_is_logged_out_and_this_one_stays(self):
        other = self.second_client()
        self.login()
        self.assertEqual(self.change_password().status_code, 302)
        self.assertTrue(self.logged_in(self.client))
        self.assertFalse(self.logged_in(other))

    def test_remember_me_cookie_of_another_browser_dies(self):
        other = self.second_client(remember=True)
        self.restart_browser(other)
        self.assertTrue(self.logged_in(other), "remember-me should log a restarted browser in")
        self.login()
        self.change_password()
        self.restart_browser(other)
        self.assertFalse(self.logged_in(other))
        self.assertFalse(self.logged_in(other))

    def test_own_remember_me_survives_the_change(self):
        self.login(remember_me="y")
        self.change_password()
        self.restart_browser(self.client)
        self.assertTrue(self.logged_in(self.client))

    def test_api_tokens_die(self):
        token = self.api_token()
        self.assertTrue(self.token_works(token))
        self.login()
        self.change_password()
        self.assertFalse(self.token_works(token))
        response = self.client.get("/api/v1/posts/", headers=basic_auth(token))
        self.assertEqual(response.status_code, 401)

    def test_password_reset_ends_sessions_and_tokens(self):
        other = self.second_client(remember=True)
        token = self.api_token()
        reset = self.user.generate_reset_token()
        response = self.app.test_client().post(f"/auth/reset/{reset}", data={
            "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.logged_in(other))
        self.restart_browser(other)
        self.assertFalse(self.logged_in(other))
        self.assertFalse(self.token_works(token))


class EmailChangeTestCase(SessionTestCase):
    def test_other_sessions_and_tokens_end(self):
        other = self.second_client(remember=True)
        token = self.api_token()
        self.login()
        link = f"/auth/change_email/{self.user.generate_email_change_token('new@example.com')}"
        self.client.get(link)
        db.session.refresh(self.user)
        self.assertEqual(self.user.email, "new@example.com")
        self.assertTrue(self.logged_in(self.client))
        self.assertFalse(self.logged_in(other))
        self.restart_browser(other)
        self.assertFalse(self.logged_in(other))
        self.assertFalse(self.token_works(token))


class SingleUseLinkTestCase(SessionTestCase):
    def reset(self, token: str, password: str) -> None:
        self.app.test_client().post(f"/auth/reset/{token}", data={
            "password": password, "password2": password})

    def test_reset_link_replayed(self):
        link = self.user.generate_reset_token()
        self.reset(link, NEW_PASSWORD)
        self.reset(link, "the-attackers-pass")
        db.session.refresh(self.user)
        self.assertTrue(self.user.verify_password(NEW_PASSWORD))
        self.assertFalse(self.user.verify_password("the-attackers-pass"))

    def test_older_reset_link_dies_when_another_one_is_used(self):
        first = self.user.generate_reset_token()
        second = self.user.generate_reset_token(expiration=7200)
        self.reset(second, NEW_PASSWORD)
        self.reset(first, "the-attackers-pass")
        db.session.refresh(self.user)
        self.assertTrue(self.user.verify_password(NEW_PASSWORD))

    def test_reset_link_dies_when_the_password_is_changed_otherwise(self):
        link = self.user.generate_reset_token()
        self.login()
        self.change_password()
        self.reset(link, "the-attackers-pass")
        db.session.refresh(self.user)
        self.assertTrue(self.user.verify_password(NEW_PASSWORD))

    def test_email_change_link_replayed_and_stale(self):
        self.login()
        first = self.user.generate_email_change_token("first@example.com")
        second = self.user.generate_email_change_token("second@example.com")
        self.client.get(f"/auth/change_email/{first}")
        self.client.get(f"/auth/change_email/{first}")
        self.client.get(f"/auth/change_email/{second}")
        db.session.refresh(self.user)
        self.assertEqual(self.user.email, "first@example.com")

    def test_links_do_not_cross_purposes_or_users(self):
        susan = self.create_user("susan", confirmed=False)
        reset = self.user.generate_reset_token()
        confirm_john = self.user.generate_confirmation_token()
        self.assertFalse(susan.confirm(reset))
        self.assertFalse(susan.confirm(confirm_john))
        self.assertFalse(susan.change_email(self.user.generate_email_change_token("x@example.com")))
        self.assertFalse(User.reset_password(confirm_john, "the-attackers-pass"))

    def test_expired_and_forged_links(self):
        expired = self.user.generate_reset_token(expiration=-1)
        self.assertFalse(User.reset_password(expired, "the-attackers-pass"))
        good = self.user.generate_reset_token()
        forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
        self.assertFalse(User.reset_password(forged, "the-attackers-pass"))
        self.assertTrue(User.reset_password(good, NEW_PASSWORD))


class ApiTokenTestCase(SessionTestCase):
    def test_revoked_token_is_dead(self):
        token = self.api_token()
        response = self.client.delete("/api/v1/tokens/", headers=basic_auth(token))
        self.assertEqual(response.status_code, 204)
        self.assertFalse(self.token_works(token))

    def test_forged_tokens(self):
        token = self.api_token()
        for forged in (token[:-1] + ("a" if token[-1] != "a" else "b"), token + "x",
                       "x" * 500, "' OR 1=1 --", "%", "_", "null"):
            with self.subTest(forged=forged):
                response = self.client.get("/api/v1/posts/", headers=basic_auth(forged))
                self.assertEqual(response.status_code, 401)

    def test_a_token_cannot_issue_another(self):
        token = self.api_token()
        response = self.client.post("/api/v1/tokens/", headers=basic_auth(token))
        self.assertEqual(response.status_code, 401)


class LogoutTestCase(SessionTestCase):
    def test_logout_is_post_only_and_needs_csrf(self):
        self.login()
        self.assertEqual(self.client.get("/auth/logout").status_code, 405)
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.assertEqual(self.client.post("/auth/logout").status_code, 400)
        self.assertTrue(self.logged_in(self.client))

    def test_logout_forgets_remember_me(self):
        self.login(remember_me="y")
        self.logout()
        self.restart_browser(self.client)
        self.assertFalse(self.logged_in(self.client))

    def copied_cookies(self) -> dict[str, str]:
        """The cookies of this browser, as someone who copied them would have them."""
        return {name: self.client.get_cookie(name).value
                for name in ("session", "remember_token") if self.client.get_cookie(name)}

    def replay(self, cookies: dict[str, str]):
        thief = self.app.test_client()
        for name, value in cookies.items():
            thief.set_cookie(name, value)
        return thief

    def test_copied_cookies_die_with_logout(self):
        self.login(remember_me="y")
        cookies = self.copied_cookies()
        self.assertEqual(set(cookies), {"session", "remember_token"})
        self.assertTrue(self.logged_in(self.replay(cookies)), "a copy works before logout")
        self.logout()
        self.assertFalse(self.logged_in(self.replay(cookies)))
        self.assertFalse(self.logged_in(self.replay({"session": cookies["session"]})))
        self.assertFalse(self.logged_in(self.replay(
            {"remember_token": cookies["remember_token"]})))

    def test_logout_ends_only_this_browser(self):
        other = self.second_client(remember=True)
        self.login()
        self.logout()
        self.assertTrue(self.logged_in(other))

    def test_logout_everywhere_ends_every_session(self):
        other = self.second_client(remember=True)
        self.login(remember_me="y")
        cookies = self.copied_cookies()
        response = self.client.post("/auth/logout-everywhere", follow_redirects=True)
        self.assertIn(b"logged out on every device", response.data)
        self.assertFalse(self.logged_in(self.client))
        self.assertFalse(self.logged_in(other))
        self.restart_browser(other)
        self.assertFalse(self.logged_in(other))
        self.assertFalse(self.logged_in(self.replay(cookies)))
        self.assertEqual(db.session.scalar(db.select(db.func.count(LoginSession.id))), 0)

    def test_logout_everywhere_is_post_only_and_needs_csrf(self):
        self.login()
        self.assertEqual(self.client.get("/auth/logout-everywhere").status_code, 405)
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.assertEqual(self.client.post("/auth/logout-everywhere").status_code, 400)
        self.assertTrue(self.logged_in(self.client))

    def test_password_change_keeps_exactly_this_session(self):
        self.second_client()
        self.login()
        self.change_password()
        self.assertEqual(db.session.scalar(db.select(db.func.count(LoginSession.id))), 2)
        live = [row for row in db.session.scalars(db.select(LoginSession))
                if row.auth_stamp == db.session.get(User, self.user.id).auth_stamp]
        self.assertEqual(len(live), 1)

    def test_cookies_without_a_server_session_do_not_load(self):
        """A cookie carrying only the user id and auth stamp (the old format) is refused."""
        with self.client.session_transaction() as session:
            session["_user_id"] = f"{self.user.id}:{self.user.auth_stamp}"
            session["_fresh"] = True
        self.assertFalse(self.logged_in(self.client))


class CachedPasswordChangeTestCase(PasswordChangeTestCase):
    """The same, with signed-in pages served from the cache."""

    config = {"FLASKY_CACHE": True}


class CachedEmailChangeTestCase(EmailChangeTestCase):
    config = {"FLASKY_CACHE": True}


class CachedLogoutTestCase(LogoutTestCase):
    config = {"FLASKY_CACHE": True}

    def test_logged_out_browser_gets_no_cached_signed_in_page(self):
        self.login()
        self.assertTrue(self.logged_in(self.client))
        self.logout()
        self.assertFalse(self.logged_in(self.client))
