from datetime import UTC, datetime

from app import db
from app.models import User
from tests.base import FlaskyTestCase
from tests.social import make_follow, make_post, make_posts


class ProfilePageTestCase(FlaskyTestCase):
    config = {"FLASKY_POSTS_PER_PAGE": 3}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("John", name="John Smith", location="Lisbon",
                                     about_me="I like *tea*.")
        self.mary = self.create_user("mary")

    def test_profile_shows_who_the_user_is(self):
        page = self.client.get("/user/John").get_data(as_text=True)
        self.assertIn("<title>John · Flasky</title>", page)
        self.assertIn("John Smith", page)
        self.assertIn("Lisbon", page)
        self.assertIn("I like <em>tea</em>.", page)
        self.assertIn(f'src="/avatar/2/{self.john.avatar_hash}.svg"', page)
        self.assertIn('data-function="format"', page)  # member since
        self.assertIn('data-function="fromNow"', page)  # last seen
        self.assertNotIn("john@example.com", page)  # only administrators see addresses

    def test_lookup_ignores_case(self):
        response = self.client.get("/user/jOHN")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"John Smith", response.data)

    def test_unknown_user_is_a_404_page(self):
        response = self.client.get("/user/nobody")
        self.assertEqual(response.status_code, 404)
        self.assertIn(b"There is no user called", response.data)
        self.assertEqual(self.client.get("/followers/nobody").status_code, 404)
        self.assertEqual(self.client.get("/followed_by/nobody").status_code, 404)

    def test_counts_are_true_counts(self):
        make_posts(self.john, 2)
        make_follow(self.mary, self.john)
        page = self.client.get("/user/John").get_data(as_text=True)
        self.assertIn("<strong>2</strong> posts", page)
        self.assertIn("<strong>1</strong> follower<", page)
        self.assertIn("<strong>0</strong> following", page)
        mary = self.client.get("/user/mary").get_data(as_text=True)
        self.assertIn("<strong>0</strong> followers", mary)
        self.assertIn("<strong>1</strong> following", mary)

    def test_posts_are_paginated(self):
        make_posts(self.john, 4)
        make_post(self.mary, "Not John's", minutes=99)
        first = self.client.get("/user/John").get_data(as_text=True)
        self.assertIn("Post number 3", first)
        self.assertNotIn("Not John", first)
        self.assertIn('href="/user/John?page=2"', first)
        second = self.client.get("/user/John?page=2").get_data(as_text=True)
        self.assertIn("Post number 0", second)
        self.assertEqual(self.client.get("/user/John?page=3").status_code, 404)

    def test_empty_state(self):
        self.assertIn(b"mary has not written anything yet.", self.client.get("/user/mary").data)

    def test_buttons_depend_on_who_looks(self):
        anonymous = self.client.get("/user/John").get_data(as_text=True)
        self.assertNotIn("/follow/John", anonymous)
        self.assertNotIn("Edit profile</a>", anonymous)
        self.login("mary@example.com")
        page = self.client.get("/user/John").get_data(as_text=True)
        self.assertIn('action="/follow/John"', page)
        make_follow(self.mary, self.john)
        page = self.client.get("/user/John").get_data(as_text=True)
        self.assertIn('action="/unfollow/John"', page)
        own = self.client.get("/user/mary").get_data(as_text=True)
        self.assertIn('href="/edit-profile">Edit profile</a>', own)
        self.assertNotIn('action="/follow/mary"', own)

    def test_administrators_see_the_email_address(self):
        self.create_user("boss", role="Administrator")
        self.login("boss@example.com")
        page = self.client.get("/user/John").data
        self.assertIn(b"mailto:john@example.com", page)
        self.assertIn(f'href="/edit-profile/{self.john.id}"'.encode(), page)
        self.logout()
        self.login("mary@example.com")
        self.assertNotIn(b"/edit-profile/", self.client.get("/user/John").data)

    def test_navbar_links_to_own_profile(self):
        self.login("mary@example.com")
        self.assertIn(b'href="/user/mary">Profile</a>', self.client.get("/").data)


class EditProfileTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john", name="John", location="Porto")

    def test_form_is_filled_in_and_saves(self):
        self.login()
        form = self.client.get("/edit-profile").get_data(as_text=True)
        self.assertIn('value="Porto"', form)
        self.assertIn("<title>Edit your profile · Flasky</title>", form)
        response = self.client.post("/edit-profile", data={
            "name": "  John Smith ", "location": "", "about_me": "Hello **there**"})
        self.assertRedirectsTo(response, "/user/john")
        db.session.refresh(self.john)
        self.assertEqual(self.john.name, "John Smith")
        self.assertIsNone(self.john.location)
        self.assertEqual(self.john.about_me_html, "<p>Hello <strong>there</strong></p>")
        self.assertIn(b"Your profile has been updated.",
                      self.client.get("/user/john").data)

    def test_clearing_about_me_removes_its_html(self):
        self.john.about_me = "Something"
        db.session.commit()
        self.login()
        self.client.post("/edit-profile", data={"name": "John", "location": "", "about_me": ""})
        db.session.refresh(self.john)
        self.assertIsNone(self.john.about_me)
        self.assertIsNone(self.john.about_me_html)

    def test_overlong_fields_are_form_errors(self):
        self.login()
        response = self.client.post("/edit-profile", data={
            "name": "n" * 65, "location": "l" * 65, "about_me": "a" * 2001})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.data.count(b"invalid-feedback"), 3)
        db.session.refresh(self.john)
        self.assertEqual(self.john.name, "John")

    def test_needs_login(self):
        self.assertRedirectsTo(self.client.get("/edit-profile"),
                               "/auth/login?next=%2Fedit-profile")

    def test_other_fields_cannot_be_changed(self):
        self.login()
        self.client.post("/edit-profile", data={"name": "J", "location": "", "about_me": "",
                                                "username": "hijack", "confirmed": "n",
                                                "email": "evil@example.com"})
        db.session.refresh(self.john)
        self.assertEqual((self.john.username, self.john.email), ("john", "john@example.com"))
        self.assertTrue(self.john.confirmed)


class LastSeenTestCase(FlaskyTestCase):
    def test_last_seen_is_written_at_most_once_per_interval(self):
        john = self.create_user("john")
        old = datetime(2026, 1, 1, tzinfo=UTC)
        john.last_seen = old
        db.session.commit()
        self.login()
        seen = db.session.get(User, john.id).last_seen
        self.assertGreater(seen, old)
        self.client.get("/user/john")
        db.session.expire_all()
        self.assertEqual(db.session.get(User, john.id).last_seen, seen)
