from app import db
from app.models import Follow, Permission
from tests.base import FlaskyTestCase
from tests.social import csrf_token_in, make_follow, make_post, remove_permission


class FollowingTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("Mary")

    def follows(self):
        db.session.expire_all()
        return [(f.follower_id, f.followed_id) for f in db.session.scalars(db.select(Follow))]

    def test_follow_and_unfollow(self):
        self.login()
        response = self.client.post("/follow/mary", follow_redirects=True)
        self.assertIn(b"You are now following Mary.", response.data)
        self.assertEqual(response.request.path, "/user/Mary")
        self.assertEqual(self.follows(), [(self.john.id, self.mary.id)])
        response = self.client.post("/unfollow/Mary", follow_redirects=True)
        self.assertIn(b"You are not following Mary anymore.", response.data)
        self.assertEqual(self.follows(), [])

    def test_following_twice_or_oneself_is_a_clear_message(self):
        self.login()
        self.client.post("/follow/Mary")
        response = self.client.post("/follow/Mary", follow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"You are already following Mary.", response.data)
        response = self.client.post("/follow/john", follow_redirects=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"You cannot follow yourself.", response.data)
        self.assertEqual(self.follows(), [(self.john.id, self.mary.id)])

    def test_unfollowing_someone_not_followed_is_a_clear_message(self):
        self.login()
        response = self.client.post("/unfollow/Mary", follow_redirects=True)
        self.assertIn(b"You were not following Mary.", response.data)

    def test_bad_requests(self):
        self.assertRedirectsTo(self.client.post("/follow/Mary"),
                               "/auth/login?next=%2Ffollow%2FMary")
        self.login()
        self.assertEqual(self.client.post("/follow/nobody").status_code, 404)
        self.assertEqual(self.client.post("/unfollow/nobody").status_code, 404)
        self.assertEqual(self.client.get("/follow/Mary").status_code, 405)
        self.assertEqual(self.follows(), [])

    def test_follow_needs_follow_permission(self):
        remove_permission("User", Permission.FOLLOW)
        self.login()
        self.assertEqual(self.client.post("/follow/Mary").status_code, 403)
        self.assertEqual(self.client.post("/unfollow/Mary").status_code, 403)
        self.assertNotIn(b'action="/follow/Mary"', self.client.get("/user/Mary").data)
        self.assertEqual(self.follows(), [])

    def test_follow_needs_csrf_token(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.login(csrf_token=csrf_token_in(self.client.get("/auth/login").get_data(as_text=True)))
        self.assertEqual(self.client.post("/follow/Mary").status_code, 400)
        self.assertEqual(self.follows(), [])
        token = csrf_token_in(self.client.get("/user/Mary").get_data(as_text=True))
        self.client.post("/follow/Mary", data={"csrf_token": token})
        self.assertEqual(self.follows(), [(self.john.id, self.mary.id)])


class FollowListsTestCase(FlaskyTestCase):
    config = {"FLASKY_FOLLOWERS_PER_PAGE": 2}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.others = [self.create_user(f"fan{i}") for i in range(3)]
        for minute, fan in enumerate(self.others):
            make_follow(fan, self.john, minutes=minute)

    def test_followers_are_paginated_newest_first_with_since(self):
        page = self.client.get("/followers/john").get_data(as_text=True)
        self.assertIn("<title>Followers of john · Flasky</title>", page)
        self.assertIn(">fan2</a>", page)
        self.assertIn(">fan1</a>", page)
        self.assertNotIn(">fan0</a>", page)
        self.assertIn('data-timestamp="2026-01-01T12:02:00Z"', page)
        self.assertIn('href="/followers/john?page=2"', page)
        self.assertIn(">fan0</a>", self.client.get("/followers/john?page=2").get_data(as_text=True))

    def test_followed_by(self):
        page = self.client.get("/followed_by/fan1").get_data(as_text=True)
        self.assertIn("<title>Followed by fan1 · Flasky</title>", page)
        self.assertIn(">john</a>", page)
        self.assertIn('data-timestamp="2026-01-01T12:01:00Z"', page)

    def test_empty_lists(self):
        self.assertIn(b"Nobody follows fan0 yet.", self.client.get("/followers/fan0").data)
        self.assertIn(b"john does not follow anyone yet.",
                      self.client.get("/followed_by/john").data)


class FollowedTimelineTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.susan = self.create_user("susan")
        make_post(self.john, "By John", minutes=1)
        make_post(self.mary, "By Mary", minutes=2)
        make_post(self.susan, "By Susan", minutes=3)
        make_follow(self.john, self.mary)

    def test_followed_tab_shows_followed_people_and_own_posts(self):
        self.login()
        response = self.client.get("/followed")  # the timeline at its own URL, remembered
        self.assertEqual(response.status_code, 200)
        self.assertIn("show_followed=1", response.headers["Set-Cookie"])
        for page in (response.get_data(as_text=True), self.client.get("/").get_data(as_text=True)):
            self.assertIn("By John", page)
            self.assertIn("By Mary", page)
            self.assertNotIn("By Susan", page)
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn("By John", page)
        self.assertIn("By Mary", page)
        self.assertNotIn("By Susan", page)
        self.assertIn('class="nav-link active" href="/followed" aria-current="page"', page)

    def test_all_tab_shows_everyone_and_is_remembered(self):
        self.login()
        self.client.get("/followed")
        self.client.get("/all")
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn("By Susan", page)
        self.assertIn('class="nav-link active" href="/all" aria-current="page"', page)

    def test_tabs_need_login_and_anonymous_cookie_is_ignored(self):
        self.assertRedirectsTo(self.client.get("/followed"), "/auth/login?next=%2Ffollowed")
        self.client.set_cookie("show_followed", "1")
        page = self.client.get("/").get_data(as_text=True)
        self.assertIn("By Susan", page)
        self.assertNotIn("nav-tabs", page)

    def test_followed_empty_state(self):
        self.create_user("newbie")
        self.login("newbie@example.com")
        page = self.client.get("/followed").get_data(as_text=True)
        self.assertIn("No posts yet - follow someone", page)
        self.assertNotIn("By John", page)
