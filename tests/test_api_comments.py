from datetime import timedelta

from sqlalchemy import select

from app import db
from app.models import Comment, Permission, utcnow
from tests.test_api_base import ApiTestCase


class ApiCommentsTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")
        self.reader = self.create_user("susan")
        self.moderator = self.create_user("mod", role="Moderator")
        self.post = self.write_post(self.author)

    def test_comment_has_the_spec_shape(self):
        comment = self.write_comment(self.reader, self.post, "Nice *one*")
        data = self.call("GET", f"/comments/{comment.id}", self.author).json
        self.assertLessEqual({"url", "post_url", "body", "body_html", "timestamp",
                              "author_url"}, set(data))
        self.assertEqual(data["url"], f"http://localhost/api/v1/comments/{comment.id}")
        self.assertEqual(data["post_url"], f"http://localhost/api/v1/posts/{self.post.id}")
        self.assertEqual(data["body_html"], "<p>Nice <em>one</em></p>")

    def test_new_comment_answers_201_with_location(self):
        path = f"/posts/{self.post.id}/comments/"
        response = self.call("POST", path, self.reader, json={"body": "Agreed"})
        self.assertEqual(response.status_code, 201, response.json)
        self.assertEqual(response.headers["Location"], response.json["url"])
        comment = db.session.scalar(select(Comment))
        self.assertEqual((comment.body, comment.author_id, comment.post_id),
                         ("Agreed", self.reader.id, self.post.id))

    def test_new_comment_needs_comment_permission_and_valid_body(self):
        path = f"/posts/{self.post.id}/comments/"
        self.assertError(self.call("POST", path, self.reader,
                                   json={"body": "x" * (Comment.BODY_MAX_LENGTH + 1)}), 400,
                         str(Comment.BODY_MAX_LENGTH))
        self.assertError(self.call("POST", path, self.reader, json={"text": "x"}), 400, "text")
        self.assertError(self.call("POST", "/posts/999/comments/", self.reader,
                                   json={"body": "x"}), 404)
        self.reader.role.remove_permission(Permission.COMMENT)
        db.session.commit()
        self.assertError(self.call("POST", path, self.reader, json={"body": "x"}), 403)
        self.assertIsNone(db.session.scalar(select(Comment)))

    def test_lists_are_newest_first(self):
        start = utcnow() - timedelta(hours=1)
        other_post = self.write_post(self.author, "other")
        for n in range(3):
            self.write_comment(self.reader, self.post, f"c{n}",
                               timestamp=start + timedelta(minutes=n))
        self.write_comment(self.reader, other_post, "elsewhere")
        on_post = self.call("GET", f"/posts/{self.post.id}/comments/", self.author).json
        self.assertEqual([c["body"] for c in on_post["comments"]], ["c2", "c1", "c0"])
        self.assertEqual(on_post["count"], 3)
        everything = self.call("GET", "/comments/?per_page=2", self.author).json
        self.assertEqual([c["body"] for c in everything["comments"]], ["elsewhere", "c2"])
        self.assertEqual(everything["count"], 4)
        self.assertIn("/api/v1/comments/?page=2", everything["next"])

    def test_disabled_comments_hide_their_text_unless_moderating(self):
        comment = self.write_comment(self.reader, self.post, "rude", disabled=True)
        for user, visible in ((self.author, False), (self.reader, False),
                              (self.moderator, True)):
            with self.subTest(user=user.username):
                single = self.call("GET", f"/comments/{comment.id}", user).json
                listed = self.call("GET", "/comments/", user).json["comments"][0]
                on_post = self.call("GET", f"/posts/{self.post.id}/comments/",
                                    user).json["comments"][0]
                for data in (single, listed, on_post):
                    self.assertTrue(data["disabled"])
                    self.assertEqual(data["body"], "rude" if visible else None)
                    self.assertEqual(data["body_html"] is not None, visible)

    def test_moderation(self):
        comment = self.write_comment(self.reader, self.post, "rude")
        path = f"/comments/{comment.id}/moderation"
        self.assertError(self.call("PUT", path, self.author, json={"disabled": True}), 403)
        response = self.call("PUT", path, self.moderator, json={"disabled": True})
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json["disabled"], response.json["body"]), (True, "rude"))
        db.session.refresh(comment)
        self.assertTrue(comment.disabled)
        self.call("PUT", path, self.moderator, json={"disabled": False})
        db.session.refresh(comment)
        self.assertFalse(comment.disabled)
        for bad in ({"disabled": "yes"}, {"disabled": 1}, {}, {"disabled": True, "x": 1}):
            with self.subTest(body=bad):
                self.assertError(self.call("PUT", path, self.moderator, json=bad), 400,
                                 "disabled" if "x" not in bad else "x")
        self.assertError(self.call("PUT", "/comments/999/moderation", self.moderator,
                                   json={"disabled": True}), 404)

    def test_author_or_moderator_deletes_a_comment(self):
        first = self.write_comment(self.reader, self.post)
        second = self.write_comment(self.reader, self.post)
        self.assertError(self.call("DELETE", f"/comments/{first.id}", self.author), 403)
        self.assertEqual(self.call("DELETE", f"/comments/{first.id}", self.reader).status_code,
                         204)
        self.assertEqual(self.call("DELETE", f"/comments/{second.id}",
                                   self.moderator).status_code, 204)
        self.assertIsNone(db.session.scalar(select(Comment)))
        self.assertError(self.call("DELETE", f"/comments/{first.id}", self.reader), 404)
