"""Invalidation as narrow as the change: a write moves the entries that show what
it wrote, and leaves every other page and post card a hit (key-level checks)."""

from app import db
from app.caching.entries import content_changed, keep, key_for, read_fresh, request_stamp
from app.models import Comment, Post, Role
from tests.test_cache_invalidation import CacheTestCase


class NarrowTestCase(CacheTestCase):
    """Each request runs in an app context (and a database session) of its own, as
    in production: the test's session holds every row it made, and a rendering
    counts the rows its session already holds as shown."""

    def anonymous(self, path: str, expect: str | None = None) -> str:
        with self.app.app_context():
            return super().anonymous(path, expect)

    def setUp(self) -> None:
        super().setUp()
        self.bob = self.create_user("bob")
        other = Post(body="Bob writes too", author=self.bob)
        db.session.add(other)
        db.session.commit()
        self.other_id = other.id
        self.pages = {"/", f"/post/{self.post_id}", f"/post/{self.other_id}", "/user/alice",
                      "/user/bob", "/followers/alice", "/followers/bob"}
        for path in self.pages:
            self.warm(path)

    def assertChanged(self, changed: set[str]) -> None:
        """Exactly the pages in ``changed`` are rendered again; the rest are hits."""
        for path in sorted(self.pages):
            self.anonymous(path, "miss" if path in changed else "hit")

    def test_a_comment_changes_its_post_and_what_shows_the_post_only(self):
        db.session.add(Comment(body="On Bob's post", post_id=self.other_id,
                               author_id=self.moderator.id))
        db.session.commit()
        # Its post page, and the cards showing the post's count: home, Bob's profile.
        self.assertChanged({f"/post/{self.other_id}", "/", "/user/bob"})

    def test_a_new_post_changes_the_timeline_and_its_authors_pages(self):
        db.session.add(Post(body="Alice again", author_id=self.author.id))
        db.session.commit()
        # The follower lists show the profile's counts too.
        self.assertChanged({"/", "/user/alice", "/followers/alice"})

    def test_a_profile_edit_changes_that_users_pages_and_cards(self):
        bob = db.session.get(type(self.bob), self.bob.id)
        bob.location = "Paris"
        db.session.commit()
        self.assertChanged({"/", "/user/bob", f"/post/{self.other_id}", "/followers/bob"})

    def test_a_follow_changes_the_followed_users_pages_and_cards_only(self):
        self.create_user("carol")
        self.as_user("carol").post("/follow/bob")
        self.assertChanged({"/user/bob", "/followers/bob"})

    def test_a_model_without_tags_changes_everything(self):
        role = db.session.scalar(db.select(Role).filter_by(name="User"))
        role.default = role.default  # no change: nothing moves
        db.session.commit()
        self.assertChanged(set())
        role.name = "Member"
        db.session.commit()
        self.assertChanged(self.pages)

    def test_what_only_a_viewer_sees_changes_that_viewers_pages_only(self):
        bob = self.app.test_client()
        bob.post("/auth/login", data={"email": "bob@example.com", "password": self.password})
        states = []
        for _ in range(3):  # the session gets its CSRF secret first, then the page is stored
            with self.app.app_context():
                states.append(bob.get("/").headers.get("X-Flasky-Cache"))
        self.assertEqual(states[-1], "hit", states)
        content_changed(f"viewer:{self.bob.id}")  # say, a notification for Bob
        with self.app.app_context():
            self.assertEqual(bob.get("/").headers.get("X-Flasky-Cache"), "miss")
        self.assertChanged(set())

    def test_a_comment_renders_its_posts_card_again_and_no_other(self):
        memo = self.app.extensions["flasky_cards"]
        renders, hits = memo.renders, memo.hits
        db.session.add(Comment(body="Another reply", post_id=self.other_id,
                               author_id=self.moderator.id))
        db.session.commit()
        page = self.anonymous("/", "miss")
        self.assertEqual(page.count("1 comment</a>"), 2)  # each post has one now
        self.assertEqual((memo.renders - renders, memo.hits - hits), (1, 1))


class StampTestCase(CacheTestCase):
    def test_a_write_during_a_rendering_leaves_its_entry_stale(self):
        with self.app.test_request_context("/"):
            stamp = request_stamp()  # the rendering starts and reads its data...
            db.session.add(Comment(body="Landed meanwhile", post_id=self.post_id,
                                   author_id=self.moderator.id))
            db.session.commit()  # ...a commit lands before it is stored
            keep(key_for("value", "rendering"), "old", ("*", f"post:{self.post_id}"), stamp)
            self.assertIsNone(read_fresh(key_for("value", "rendering")))
            keep(key_for("value", "other"), "old", ("*", "post:999"), stamp)
            self.assertEqual(read_fresh(key_for("value", "other")), "old")

    def test_an_entry_found_fresh_is_served_on_the_clock_alone_until_it_moves(self):
        versions = self.app.extensions["flasky_cache_versions"]
        reads = []
        original = versions.read
        versions.read = lambda tags: reads.append(tuple(tags)) or original(tags)
        try:
            with self.app.test_request_context("/"):
                key = key_for("value", "clocked")
                keep(key, "kept", ("*", f"post:{self.post_id}"), request_stamp())

            def serve() -> str | None:
                reads.clear()
                with self.app.test_request_context("/"):
                    return read_fresh(key)

            self.assertEqual(serve(), "kept")
            self.assertIn(("*", f"post:{self.post_id}"), reads)  # its tags, read once
            self.assertEqual(serve(), "kept")
            self.assertEqual(reads, [()])  # then the clock alone
            content_changed("post:999")  # the clock moves; its tags did not
            self.assertEqual(serve(), "kept")
            self.assertIn(("*", f"post:{self.post_id}"), reads)
            content_changed(f"post:{self.post_id}")
            self.assertIsNone(serve())
        finally:
            versions.read = original
