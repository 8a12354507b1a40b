"""The sessions page: where I am logged in and which API tokens work, and ending
any of them (the other sessions at once, or one session or token)."""

from base64 import b64encode
from datetime import timedelta

from app import db
from app.devices import describe_device
from app.models import ApiToken, LoginSession
from tests.base import FlaskyTestCase

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")
EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")


def basic_auth(username: str, password: str = "") -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{username}:{password}".encode()).decode()}


class SessionsPageTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user()
        self.client.environ_base.update(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="192.0.2.10")
        self.login()

    def browser(self, user_agent: str = IPHONE, address: str = "198.51.100.7"):
        client = self.app.test_client()
        client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
        client.post("/auth/login", data={"email": "john@example.com", "password": self.password})
        return client

    def logged_in(self, client) -> bool:
        return client.get("/auth/change-password").status_code == 200

    def other_session(self) -> LoginSession:
        db.session.expire_all()
        return db.session.scalar(db.select(LoginSession).where(
            LoginSession.user_agent == IPHONE))

    def test_it_lists_my_sessions_with_device_address_and_this_one_marked(self):
        self.browser()
        page = self.client.get("/settings/sessions").get_data(as_text=True)
        self.assertIn("Firefox on Linux", page)
        self.assertIn("Safari on iPhone", page)
        self.assertIn("192.0.2.10", page)
        self.assertIn("198.51.100.7", page)
        self.assertEqual(page.count("This session"), 1)
        mine = page.index("Firefox on Linux")
        self.assertLess(page.index("This session", mine) - mine, 200)

    def test_someone_elses_sessions_are_not_listed(self):
        self.create_user("ada")
        ada = self.app.test_client()
        ada.environ_base["HTTP_USER_AGENT"] = EDGE
        ada.post("/auth/login", data={"email": "ada@example.com", "password": self.password})
        self.assertNotIn(b"Edge on Windows", self.client.get("/settings/sessions").data)

    def test_logging_out_everywhere_else_keeps_this_session(self):
        other = self.browser()
        response = self.client.post("/settings/sessions/sign-out-others")
        self.assertRedirectsTo(response, "/settings/sessions")
        self.assertFalse(self.logged_in(other))
        self.assertTrue(self.logged_in(self.client))

    def test_one_session_is_logged_out(self):
        other, third = self.browser(), self.browser(EDGE)
        row = self.other_session()
        self.assertRedirectsTo(self.client.post(f"/settings/sessions/{row.id}/revoke"),
                               "/settings/sessions")
        self.assertFalse(self.logged_in(other))
        self.assertTrue(self.logged_in(third))
        self.assertTrue(self.logged_in(self.client))

    def test_logging_out_this_session_from_the_list_logs_out(self):
        this = db.session.scalar(db.select(LoginSession).where(LoginSession.user_agent == FIREFOX))
        self.client.post(f"/settings/sessions/{this.id}/revoke")
        self.assertFalse(self.logged_in(self.client))

    def test_another_persons_or_a_missing_session_is_a_404(self):
        self.create_user("ada")
        ada = self.app.test_client()
        ada.post("/auth/login", data={"email": "ada@example.com", "password": self.password})
        theirs = db.session.scalar(db.select(LoginSession).where(
            LoginSession.user_id != self.user.id))
        for session_id in (theirs.id, 999999):
            response = self.client.post(f"/settings/sessions/{session_id}/revoke")
            self.assertEqual(response.status_code, 404)
        self.assertTrue(self.logged_in(ada))

    def test_tokens_are_listed_and_revoked(self):
        response = self.client.post("/api/v1/tokens/", headers={
            **basic_auth("john@example.com", self.password), "User-Agent": "backup-script/1.4"})
        token = response.get_json()["token"]
        self.client.get("/api/v1/posts/", headers=basic_auth(token))
        page = self.client.get("/settings/sessions").get_data(as_text=True)
        self.assertIn("backup-script/1.4", page)
        self.assertNotIn("Not used yet", page)
        row = db.session.scalar(db.select(ApiToken))
        self.assertRedirectsTo(self.client.post(f"/settings/tokens/{row.id}/revoke"),
                               "/settings/sessions")
        self.assertEqual(self.client.get("/api/v1/posts/", headers=basic_auth(token))
                         .status_code, 401)
        self.assertNotIn(b"backup-script/1.4", self.client.get("/settings/sessions").data)

    def test_another_persons_token_is_a_404_and_keeps_working(self):
        ada = self.create_user("ada")
        token = ada.generate_auth_token(3600)
        db.session.commit()
        row = db.session.scalar(db.select(ApiToken))
        self.assertEqual(self.client.post(f"/settings/tokens/{row.id}/revoke").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/posts/", headers=basic_auth(token))
                         .status_code, 200)

    def test_the_address_follows_the_session_as_it_is_used(self):
        self.user.last_seen -= timedelta(hours=1)  # due for its next last-seen write
        db.session.commit()
        self.client.environ_base["REMOTE_ADDR"] = "203.0.113.99"
        self.client.get("/settings")
        self.assertIn(b"203.0.113.99", self.client.get("/settings/sessions").data)

    def test_a_token_notes_its_use_at_most_every_few_minutes(self):
        self.user.generate_auth_token(3600)
        db.session.commit()
        token = db.session.scalar(db.select(ApiToken))
        self.assertTrue(token.touch())
        first = token.last_used_at
        self.assertFalse(token.touch())
        self.assertEqual(token.last_used_at, first)
        token.last_used_at -= ApiToken.TOUCH_INTERVAL
        self.assertTrue(token.touch())

    def test_the_page_needs_a_login(self):
        self.logout()
        self.assertRedirectsTo(self.client.get("/settings/sessions"),
                               "/auth/login?next=%2Fsettings%2Fsessions")


class SessionsPageCsrfTestCase(FlaskyTestCase):
    config = {"WTF_CSRF_ENABLED": True}

    def test_nothing_is_ended_without_the_token(self):
        user = self.create_user()
        self.sign_in_directly(user)
        other = self.app.test_client()
        self.sign_in_directly(user, other)
        self.client.post("/settings/sessions/sign-out-others")
        rows = db.session.scalars(db.select(LoginSession)).all()
        self.assertEqual(len(rows), 2)
        self.client.post(f"/settings/sessions/{rows[1].id}/revoke")
        self.assertEqual(len(db.session.scalars(db.select(LoginSession)).all()), 2)


class DeviceNamesTestCase(FlaskyTestCase):
    def test_well_known_browsers_and_systems(self):
        self.assertEqual(describe_device(FIREFOX), ("Firefox", "Linux"))
        self.assertEqual(describe_device(IPHONE), ("Safari", "iPhone"))
        self.assertEqual(describe_device(EDGE), ("Edge", "Windows"))
        self.assertEqual(describe_device("curl/8.5.0"), ("curl", None))
        self.assertEqual(describe_device(None), (None, None))
        self.assertEqual(describe_device("\x00" * 300), (None, None))
