"""What pages show of federation, with the page cache on: likes and boosts
from other servers and remote replies appear on a cached post page at once."""

from app.extensions import db
from app.models import Post
from tests.base import FlaskyTestCase
from tests.federation import make_remote_account, post_activity


class CachedPostPageTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True, "FLASKY_JOBS_EAGER": False}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.post = Post(body="a post", author_id=self.john.id)
        db.session.add(self.post)
        db.session.commit()
        self.path = f"/post/{self.post.id}"
        self.remote, self.key = make_remote_account("remy")

    def deliver(self, kind, object_, number):
        activity = {"id": f"{self.remote.uri}/activities/{number}", "type": kind,
                    "actor": self.remote.uri, "object": object_}
        response = post_activity(self.client, activity, self.remote, self.key)
        self.assertEqual(response.status_code, 202, response.get_data(as_text=True))

    def page(self):
        response = self.client.get(self.path)
        return response.headers.get("X-Flasky-Cache"), response.get_data(as_text=True)

    def test_a_like_and_a_boost_show_on_the_cached_page(self):
        self.assertEqual(self.page()[0], "miss")
        state, page = self.page()
        self.assertEqual(state, "hit")
        self.assertNotIn("From other servers", page)
        note = f"http://localhost/federation/posts/{self.post.id}"
        self.deliver("Like", note, 1)
        state, page = self.page()
        self.assertEqual(state, "miss")
        self.assertIn("From other servers: 1 like, 0 boosts.", page)
        self.deliver("Announce", note, 2)
        self.assertIn("From other servers: 1 like, 1 boost.", self.page()[1])

    def test_a_remote_reply_shows_with_its_handle(self):
        self.page()
        self.assertEqual(self.page()[0], "hit")
        self.deliver("Create", {"id": f"{self.remote.uri}/notes/1", "type": "Note",
                                "attributedTo": self.remote.uri, "content": "<p>Hi John</p>",
                                "inReplyTo": f"http://localhost/post/{self.post.id}"}, 3)
        state, page = self.page()
        self.assertEqual(state, "miss")
        self.assertIn("Hi John", page)
        self.assertIn("remy@remote.example", page)
        self.assertIn("Comments <span class=\"text-body-secondary\">(1)</span>", page)
