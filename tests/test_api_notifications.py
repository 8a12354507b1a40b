"""GET /api/v1/notifications/ and POST /api/v1/notifications/read."""

from app import db
from app.models import Comment
from tests.social import make_follow
from tests.test_api_base import ApiTestCase


class ApiNotificationsTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")

    def test_list_newest_first_with_unread_count_and_gone_content(self):
        make_follow(self.mary, self.john)
        post = self.write_post(self.john, "Mine")
        comment = self.write_comment(self.mary, post, "Nice")
        db.session.delete(db.session.get(Comment, comment.id))
        db.session.commit()
        answer = self.call("GET", "/notifications/", self.john)
        self.assertEqual(answer.status_code, 200)
        body = answer.json
        self.assertEqual(body["unread"], 2)
        self.assertEqual(body["count"], 2)
        first, second = body["notifications"]
        self.assertEqual((first["kind"], first["gone"], first["comment_url"]),
                         ("comment", True, None))
        self.assertEqual(first["text"], "A comment on your post has since been deleted.")
        self.assertEqual((second["kind"], second["text"], second["read"]),
                         ("follow", "mary started following you", False))
        self.assertTrue(second["actor_url"].endswith(f"/api/v1/users/{self.mary.id}"))
        self.assertEqual(self.call("GET", "/notifications/", self.mary).json["count"], 0)

    def test_mark_read(self):
        make_follow(self.mary, self.john)
        answer = self.call("POST", "/notifications/read", self.john)
        self.assertEqual(answer.json, {"unread": 0})
        listed = self.call("GET", "/notifications/", self.john).json
        self.assertEqual((listed["unread"], listed["notifications"][0]["read"]), (0, True))

    def test_needs_credentials(self):
        self.assertEqual(self.call("GET", "/notifications/").status_code, 401)
        self.assertError(self.call("GET", "/notifications/?page=x", self.john), 400)
