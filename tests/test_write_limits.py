"""Abuse limits on writes that are not new posts: edits, previews and follows.

Each costs a Markdown render or empties cached pages, so each is counted per
user like posting (tests/test_rate_limits.py has the limits' common rules).
"""

from app import db
from app.models import Post
from config import Config
from tests.test_rate_limits import RateLimitTestCase, basic_auth


class EditPreviewFollowLimitTestCase(RateLimitTestCase):
    """Writes that cost a render or empty cached pages, besides posting."""

    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john")
        self.susan = self.create_user("susan")
        self.post = Post(body="first", author=self.john)
        db.session.add(self.post)
        db.session.commit()
        self.credentials = basic_auth("john@example.com", self.password)

    def test_edits_on_pages_and_api_share_one_allowance(self):
        self.login()
        page, api = f"/edit/{self.post.id}", f"/api/v1/posts/{self.post.id}"
        for number in range(2):
            self.assertEqual(self.client.post(page, data={"body": f"edit {number}"}).status_code,
                             302)
        self.assertEqual(self.client.put(api, json={"body": "edit 2"},
                                         headers=self.credentials).status_code, 200)
        self.assertThrottled(self.client.put(api, json={"body": "edit 3"},
                                             headers=self.credentials), json=True)
        self.assertThrottled(self.client.post(page, data={"body": "edit 3"}))
        self.assertEqual(self.client.get(page).status_code, 200)
        db.session.refresh(self.post)
        self.assertEqual(self.post.body, "edit 2")

    def test_previews_are_counted_per_user(self):
        self.login()
        response = self.post_until_throttled("/preview", {"body": "*x*"},
                                             headers={"Accept": "application/json"})
        self.assertThrottled(response, json=True)
        self.assertIn("Saving still works.", response.get_json()["message"])
        susan = self.app.test_client()
        susan.post("/auth/login", data={"email": "susan@example.com", "password": self.password})
        self.assertEqual(susan.post("/preview", data={"body": "*x*"}).status_code, 200)

    def test_the_default_preview_limit_allows_steady_typing(self):
        self.app.config["FLASKY_RATELIMIT_PREVIEW"] = Config.FLASKY_RATELIMIT_PREVIEW
        self.login()
        for number in range(40):
            response = self.client.post("/preview", data={"body": f"typing {number}"})
            self.assertEqual(response.status_code, 200, number)

    def test_follow_changes_on_pages_and_api_share_one_allowance(self):
        self.login()
        api = f"/api/v1/users/{self.susan.id}/follow"
        self.assertEqual(self.client.post("/follow/susan").status_code, 302)
        self.assertEqual(self.client.post("/unfollow/susan").status_code, 302)
        self.assertEqual(self.client.post(api, headers=self.credentials).status_code, 204)
        self.assertThrottled(self.client.delete(api, headers=self.credentials), json=True)
        self.assertThrottled(self.client.post("/unfollow/susan"))
        self.assertTrue(self.john.is_following(self.susan))
        self.assertEqual(self.client.get("/user/susan").status_code, 200)
        susan = self.app.test_client()
        susan.post("/auth/login", data={"email": "susan@example.com", "password": self.password})
        self.assertEqual(susan.post("/follow/john").status_code, 302)
