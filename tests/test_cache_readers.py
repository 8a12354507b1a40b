"""A signed-in reader's cached page is answered before anyone is loaded, by one
plain query under the login rule, and only when the gates before every page
would let them through: a logged-out or stale cookie, a last-seen time due to
move, and staff who must set up two-factor authentication all go the long way."""

from datetime import timedelta

from sqlalchemy import event

from app import db
from app.models import LoginSession, Permission, Post, Role, User, load_user
from app.models.base import utcnow
from tests.base import FlaskyTestCase


class KnownReaderTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def setUp(self) -> None:
        super().setUp()
        self.user = self.create_user("ada")
        db.session.add(Post(body="Ada's first post", author=self.user))
        db.session.commit()
        self.login("ada@example.com")

    def page(self, path: str = "/", client=None):
        return (client or self.client).get(path)

    def warm(self, path: str = "/") -> None:
        self.assertEqual(self.page(path).headers.get("X-Flasky-Cache"), "miss")

    def users_loaded_during(self, request) -> tuple[int, list[str], object]:
        """How many User rows the ORM loaded, and the statements run, for ``request()``."""
        loads = []

        def loaded(target, context, *attributes) -> None:
            loads.append(target)

        db.session.expunge_all()  # the requests share the test's session: start it empty
        event.listen(User, "load", loaded)
        event.listen(User, "refresh", loaded)
        try:
            with self.recorded_queries() as statements:
                response = request()
        finally:
            event.remove(User, "load", loaded)
            event.remove(User, "refresh", loaded)
        return len(loads), statements, response

    def test_a_hit_loads_no_user_and_runs_one_query(self):
        self.warm()
        loads, statements, response = self.users_loaded_during(self.page)
        self.assertEqual(response.headers.get("X-Flasky-Cache"), "hit")
        self.assertIn(b'action="/auth/logout"', response.data)  # ada's own page
        self.assertEqual(loads, 0)
        self.assertEqual(len(statements), 1, statements)
        self.assertIn("login_sessions", statements[0])

    def test_a_page_the_view_needs_the_user_for_still_loads_them(self):
        loads, _, response = self.users_loaded_during(lambda: self.page("/auth/change-password"))
        self.assertEqual(response.status_code, 200)
        self.assertGreater(loads, 0)

    def test_the_same_entry_serves_both_ways(self):
        """Stored by the long way (the user loaded), found by the short one, and back."""
        self.warm()
        self.assertEqual(self.page().headers.get("X-Flasky-Cache"), "hit")
        db.session.get(User, self.user.id).last_seen = utcnow() - timedelta(days=1)
        db.session.commit()
        loads, _, response = self.users_loaded_during(self.page)  # the gate moves last_seen
        self.assertEqual(response.headers.get("X-Flasky-Cache"), "hit")
        self.assertGreater(loads, 0)

    def test_last_seen_still_moves_on_cached_pages(self):
        self.warm()
        long_ago = utcnow() - timedelta(days=1)
        db.session.get(User, self.user.id).last_seen = long_ago
        db.session.commit()
        self.assertEqual(self.page().status_code, 200)
        db.session.expire_all()
        self.assertGreater(db.session.get(User, self.user.id).last_seen,
                           long_ago + timedelta(hours=23))

    def test_a_logged_out_cookie_gets_the_visitors_page(self):
        self.warm()
        cookie = self.client.get_cookie("session").value
        self.client.post("/auth/logout")
        thief = self.app.test_client()
        thief.set_cookie("session", cookie)
        response = self.page(client=thief)
        self.assertNotIn(b'action="/auth/logout"', response.data)
        self.assertIn(b'href="/auth/login', response.data)

    def test_a_cookie_from_before_a_password_change_is_refused(self):
        self.warm()
        copy = self.app.test_client()
        copy.set_cookie("session", self.client.get_cookie("session").value)
        self.assertIn(b'action="/auth/logout"', self.page(client=copy).data)
        user = db.session.get(User, self.user.id)
        user.password = "another-horse-8"  # rotates the auth stamp, as the form does
        db.session.commit()
        self.assertNotIn(b'action="/auth/logout"', self.page(client=copy).data)

    def test_an_unconfirmed_reader_reads_cached_pages_and_writes_nothing(self):
        user = db.session.get(User, self.user.id)
        user.confirmed = False
        db.session.commit()
        self.warm()
        self.assertEqual(self.page().headers.get("X-Flasky-Cache"), "hit")
        self.assertRedirectsTo(self.client.get("/settings"), "/auth/unconfirmed")

    def test_staff_sent_to_set_up_two_factor_get_no_cached_page(self):
        db.session.get(User, self.user.id).role = db.session.scalar(
            db.select(Role).filter_by(name="Moderator"))
        db.session.commit()
        self.warm()
        self.assertEqual(self.page().headers.get("X-Flasky-Cache"), "hit")
        self.app.config["FLASKY_REQUIRE_2FA_FOR_STAFF"] = True
        self.assertRedirectsTo(self.page(), "/settings/two-factor")

    def test_the_readers_language_keys_the_page(self):
        self.warm()
        user = db.session.get(User, self.user.id)
        user.language = "es"
        db.session.commit()
        spanish = self.page()
        self.assertIn(b'lang="es"', spanish.data)
        again = self.page()
        self.assertEqual(again.headers.get("X-Flasky-Cache"), "hit")
        self.assertIn(b'lang="es"', again.data)


class ViewerTestCase(FlaskyTestCase):
    """``LoginSession.viewer`` follows the rule ``load_user`` follows."""

    def test_only_a_live_session_of_the_cookies_user_is_a_viewer(self):
        ada, bob = self.create_user("ada", language="de"), self.create_user("bob")
        secret = LoginSession.open(ada, False, "tests", timedelta(days=1))
        db.session.commit()
        viewer = LoginSession.viewer(f"{ada.id}:{secret}")
        self.assertEqual((viewer.id, viewer.language, viewer.confirmed), (ada.id, "de", True))
        self.assertFalse(viewer.can(Permission.MODERATE))
        for cookie in (f"{bob.id}:{secret}", f"{ada.id}:wrong", f"{ada.id}:", "x:y", secret):
            self.assertIsNone(LoginSession.viewer(cookie), cookie)
        ada.password = "another-horse-8"  # a new auth stamp ends the session
        db.session.commit()
        self.assertIsNone(LoginSession.viewer(f"{ada.id}:{secret}"))
        self.assertIsNone(load_user(f"{ada.id}:{secret}"))

    def test_a_moderators_viewer_can_moderate(self):
        mod = self.create_user("mod", role="Moderator")
        secret = LoginSession.open(mod, False, "tests", timedelta(days=1))
        db.session.commit()
        self.assertTrue(LoginSession.viewer(f"{mod.id}:{secret}").can(Permission.MODERATE))
