from datetime import datetime, timedelta

from sqlalchemy import select

from app import db
from app.models import Comment, Permission, Post, utcnow
from tests.test_api_base import ApiTestCase


class ApiPostsTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")
        self.other = self.create_user("susan")

    def test_post_has_the_spec_shape(self):
        post = self.write_post(self.author, "Hello *world*")
        self.write_comment(self.other, post)
        data = self.call("GET", f"/posts/{post.id}", self.other).json
        self.assertLessEqual({"url", "body", "body_html", "timestamp", "author_url",
                              "comments_url", "comment_count"}, set(data))
        self.assertEqual(data["url"], f"http://localhost/api/v1/posts/{post.id}")
        self.assertEqual(data["author_url"], f"http://localhost/api/v1/users/{self.author.id}")
        self.assertEqual(data["comments_url"], f"http://localhost/api/v1/posts/{post.id}/comments/")
        self.assertEqual(data["body_html"], "<p>Hello <em>world</em></p>")
        self.assertEqual(data["comment_count"], 1)
        self.assertIsNotNone(datetime.fromisoformat(data["timestamp"]).tzinfo)

    def test_new_post_answers_201_with_location(self):
        response = self.call("POST", "/posts/", self.author, json={"body": "**New**"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.headers["Location"], response.json["url"])
        post = db.session.scalar(select(Post))
        self.assertEqual((post.body, post.author_id), ("**New**", self.author.id))
        self.assertEqual(self.client.get(response.headers["Location"],
                                         headers=self.headers_for(self.other)).json["body"],
                         "**New**")

    def test_new_post_needs_write(self):
        reader = self.create_user("reader")
        reader.role.remove_permission(Permission.WRITE)
        db.session.commit()
        self.assertError(self.call("POST", "/posts/", reader, json={"body": "x"}), 403)
        self.assertIsNone(db.session.scalar(select(Post)))

    def test_author_and_administrator_edit_others_do_not(self):
        post = self.write_post(self.author, "first")
        admin = self.create_user("admin", role="Administrator")
        moderator = self.create_user("mod", role="Moderator")
        for user, status in ((self.author, 200), (admin, 200), (moderator, 403),
                             (self.other, 403)):
            with self.subTest(user=user.username):
                response = self.call("PUT", f"/posts/{post.id}", user,
                                     json={"body": f"by {user.username}"})
                self.assertEqual(response.status_code, status, response.json)
        db.session.refresh(post)
        self.assertEqual(post.body, "by admin")
        self.assertEqual(post.body_html, "<p>by admin</p>")

    def test_author_moderator_and_administrator_delete_others_do_not(self):
        moderator = self.create_user("mod", role="Moderator")
        admin = self.create_user("admin", role="Administrator")
        for user in (self.author, moderator, admin):
            post = self.write_post(self.author)
            self.write_comment(self.other, post)
            with self.subTest(user=user.username):
                self.assertError(self.call("DELETE", f"/posts/{post.id}", self.other), 403)
                self.assertEqual(self.call("DELETE", f"/posts/{post.id}", user).status_code, 204)
                self.assertIsNone(db.session.get(Post, post.id))
                self.assertError(self.call("GET", f"/posts/{post.id}", user), 404)
        self.assertIsNone(db.session.scalar(select(Comment)))

    def test_unknown_posts_answer_404(self):
        for path in ("/posts/999", "/posts/0", "/posts/99999999999999999999",
                     "/posts/999/comments/"):
            with self.subTest(path=path):
                self.assertError(self.call("GET", path, self.author), 404)
        self.assertError(self.call("PUT", "/posts/999", self.author, json={"body": "x"}), 404)
        self.assertError(self.call("DELETE", "/posts/999", self.author), 404)


class ApiPostValidationTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user()

    def post(self, **kwargs):
        return self.call("POST", "/posts/", self.author, **kwargs)

    def test_bad_bodies_answer_400_naming_the_problem(self):
        cases = {
            "not valid JSON": dict(data="{nope", content_type="application/json"),
            "JSON object": dict(json=["body"]),
            "missing field(s): body": dict(json={}),
            "unexpected field(s): author, timestamp": dict(
                json={"body": "x", "timestamp": "2020", "author": 1}),
            "'body' must be a string": dict(json={"body": 42}),
            "must be a string": dict(json={"body": None}),
            "must not be empty": dict(json={"body": "  \n "}),
            f"at most {Post.BODY_MAX_LENGTH}": dict(
                json={"body": "x" * (Post.BODY_MAX_LENGTH + 1)}),
            "NUL": dict(json={"body": "a\x00b"}),
            "Unicode": dict(data='{"body": "\\ud800"}', content_type="application/json"),
            "not valid JSON ": dict(data="[" * 100_000, content_type="application/json"),
        }
        for message, kwargs in cases.items():
            with self.subTest(message=message):
                self.assertError(self.post(**kwargs), 400, message.strip())
        self.assertIsNone(db.session.scalar(select(Post)))

    def test_longest_body_is_accepted(self):
        response = self.post(json={"body": "x" * Post.BODY_MAX_LENGTH})
        self.assertEqual(response.status_code, 201)

    def test_other_content_types_answer_415(self):
        self.assertError(self.post(data={"body": "form"}), 415, "application/json")
        self.assertError(self.post(data='{"body": "x"}', content_type="text/plain"), 415)
        self.assertError(self.post(), 415)

    def test_oversized_requests_answer_413(self):
        self.app.config["MAX_CONTENT_LENGTH"] = 1000
        self.assertError(self.post(json={"body": "x" * 2000}), 413)


class ApiPostListTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user()
        start = utcnow() - timedelta(days=1)
        self.posts = [self.write_post(self.author, f"post {n}",
                                      timestamp=start + timedelta(minutes=n))
                      for n in range(25)]

    def test_list_is_newest_first_with_prev_next_and_count(self):
        data = self.call("GET", "/posts/?per_page=10", self.author).json
        self.assertEqual(set(data), {"posts", "prev", "next", "count"})
        self.assertEqual(data["count"], 25)
        self.assertEqual([p["body"] for p in data["posts"]],
                         [f"post {n}" for n in range(24, 14, -1)])
        self.assertIsNone(data["prev"])
        second = self.client.get(data["next"], headers=self.headers_for(self.author)).json
        self.assertEqual(second["posts"][0]["body"], "post 14")
        self.assertIsNotNone(second["prev"])
        last = self.client.get(second["next"], headers=self.headers_for(self.author)).json
        self.assertEqual(len(last["posts"]), 5)
        self.assertIsNone(last["next"])

    def test_default_page_size_comes_from_the_settings(self):
        data = self.call("GET", "/posts/", self.author).json
        self.assertEqual(len(data["posts"]), self.app.config["FLASKY_POSTS_PER_PAGE"])

    def test_per_page_is_capped(self):
        for n in range(25, 130):
            db.session.add(Post(body=f"post {n}", author=self.author))
        db.session.commit()
        data = self.call("GET", "/posts/?per_page=1000", self.author).json
        self.assertEqual(len(data["posts"]), 100)
        self.assertIn("per_page=100", data["next"])

    def test_page_past_the_end_is_empty(self):
        data = self.call("GET", "/posts/?page=50", self.author).json
        self.assertEqual((data["posts"], data["next"], data["count"]), ([], None, 25))

    def test_bad_page_arguments_answer_400(self):
        for query in ("page=0", "page=-1", "page=abc", "page=1.5", "page=", "page=%201",
                      "per_page=0", "per_page=-5", "per_page=x",
                      "page=99999999999999999999", "per_page=99999999999999999999",
                      "page=%D9%A3"):
            with self.subTest(query=query):
                self.assertError(self.call("GET", f"/posts/?{query}", self.author), 400,
                                 query.split("=")[0])

    def test_lists_run_a_fixed_number_of_queries(self):
        other = self.create_user("susan")
        for post in self.posts:
            self.write_comment(other, post)
        david = self.create_user("david")
        for follower, followed in ((other, self.author), (david, self.author),
                                   (self.author, other), (self.author, david)):
            follower.follow(followed)
        db.session.commit()
        post_id, user_id = self.posts[0].id, self.author.id
        for path in ("/posts/", "/comments/", "/users/", f"/posts/{post_id}/comments/",
                     f"/users/{user_id}/posts/", f"/users/{user_id}/timeline/",
                     f"/users/{user_id}/followers/", f"/users/{user_id}/following/"):
            with self.subTest(path=path):
                self.assertEqual(self.count_queries(f"{path}?per_page=1"),
                                 self.count_queries(f"{path}?per_page=20"))

    def count_queries(self, path: str) -> int:
        headers = self.headers_for(self.author)
        self.call("GET", path, headers=headers)  # warm up: last_seen, caches
        with self.recorded_queries() as statements:
            self.assertEqual(self.call("GET", path, headers=headers).status_code, 200)
        return len(statements)
