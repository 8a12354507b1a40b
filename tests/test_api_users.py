from datetime import datetime, timedelta

from sqlalchemy import select

from app import db
from app.models import Follow, Permission, utcnow
from tests.test_api_base import ApiTestCase


class ApiUsersTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john")
        self.susan = self.create_user("susan")
        self.david = self.create_user("david")

    def test_user_has_the_spec_shape(self):
        self.write_post(self.susan)
        self.write_post(self.susan)
        data = self.call("GET", f"/users/{self.susan.id}", self.john).json
        self.assertLessEqual({"url", "username", "member_since", "last_seen", "posts_url",
                              "followed_posts_url", "post_count"}, set(data))
        self.assertEqual(data["username"], "susan")
        self.assertEqual(data["post_count"], 2)
        base = f"http://localhost/api/v1/users/{self.susan.id}"
        self.assertEqual((data["url"], data["posts_url"], data["followed_posts_url"]),
                         (base, f"{base}/posts/", f"{base}/timeline/"))
        self.assertIsNotNone(datetime.fromisoformat(data["member_since"]).tzinfo)
        self.assertNotIn("email", data)

    def test_user_list_is_newest_member_first_with_post_counts(self):
        self.write_post(self.john)
        data = self.call("GET", "/users/?per_page=2", self.john).json
        self.assertEqual(data["count"], 3)
        self.assertEqual([u["username"] for u in data["users"]], ["david", "susan"])
        rest = self.client.get(data["next"], headers=self.headers_for(self.john)).json
        self.assertEqual([(u["username"], u["post_count"]) for u in rest["users"]],
                         [("john", 1)])

    def test_user_posts_and_timeline(self):
        start = utcnow() - timedelta(hours=1)
        self.write_post(self.susan, "by susan", timestamp=start)
        self.write_post(self.john, "by john", timestamp=start + timedelta(minutes=1))
        self.write_post(self.david, "by david", timestamp=start + timedelta(minutes=2))
        self.john.follow(self.susan)
        db.session.commit()
        posts = self.call("GET", f"/users/{self.susan.id}/posts/", self.david).json
        self.assertEqual([p["body"] for p in posts["posts"]], ["by susan"])
        timeline = self.call("GET", f"/users/{self.john.id}/timeline/", self.david).json
        self.assertEqual([p["body"] for p in timeline["posts"]], ["by john", "by susan"])
        self.assertEqual(timeline["count"], 2)

    def test_follow_and_unfollow(self):
        path = f"/users/{self.susan.id}/follow"
        self.assertEqual(self.call("POST", path, self.john).status_code, 204)
        self.assertEqual(self.call("POST", path, self.john).status_code, 204)  # idempotent
        self.assertTrue(self.john.is_following(self.susan))
        followers = self.call("GET", f"/users/{self.susan.id}/followers/", self.david).json
        self.assertEqual([u["username"] for u in followers["users"]], ["john"])
        following = self.call("GET", f"/users/{self.john.id}/following/", self.david).json
        self.assertEqual([u["username"] for u in following["users"]], ["susan"])
        self.assertEqual(self.call("DELETE", path, self.john).status_code, 204)
        self.assertEqual(self.call("DELETE", path, self.john).status_code, 204)
        self.assertFalse(self.john.is_following(self.susan))

    def test_followers_are_newest_first(self):
        for index, user in enumerate((self.john, self.david)):
            db.session.add(Follow(follower=user, followed=self.susan,
                                  timestamp=utcnow() + timedelta(minutes=index)))
        db.session.commit()
        data = self.call("GET", f"/users/{self.susan.id}/followers/", self.john).json
        self.assertEqual([u["username"] for u in data["users"]], ["david", "john"])
        self.assertEqual(data["count"], 2)

    def test_following_oneself_answers_400(self):
        self.assertError(self.call("POST", f"/users/{self.john.id}/follow", self.john), 400,
                         "yourself")
        self.assertIsNone(db.session.scalar(select(Follow)))

    def test_following_needs_follow(self):
        self.john.role.remove_permission(Permission.FOLLOW)
        db.session.commit()
        self.assertError(self.call("POST", f"/users/{self.susan.id}/follow", self.john), 403)
        self.assertError(self.call("DELETE", f"/users/{self.susan.id}/follow", self.john), 403)

    def test_unknown_users_answer_404(self):
        for method, path in (("GET", "/users/999"), ("GET", "/users/999/posts/"),
                             ("GET", "/users/999/timeline/"), ("GET", "/users/999/followers/"),
                             ("GET", "/users/999/following/"), ("POST", "/users/999/follow"),
                             ("DELETE", "/users/999/follow")):
            with self.subTest(method=method, path=path):
                self.assertError(self.call(method, path, self.john), 404, "user")
