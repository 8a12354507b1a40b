"""Cached anonymous pages: every change of content shows on the next anonymous request."""

import base64
import re

from app import db
from app.caching import cached, content_changed
from app.models import Comment, Post, PostImage, User
from tests.base import FlaskyTestCase


class CacheTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("alice")
        self.moderator = self.create_user("mod", role="Moderator")
        self.post = Post(body="First words", author=self.author)
        self.comment = Comment(body="A kind reply", post=self.post, author=self.moderator)
        db.session.add_all([self.post, self.comment])
        db.session.commit()
        self.post_id, self.comment_id = self.post.id, self.comment.id
        self.visitor = self.app.test_client()

    def anonymous(self, path: str, expect: str | None = None) -> str:
        response = self.visitor.get(path)
        self.assertEqual(response.status_code, 200, path)
        if expect is not None:
            self.assertEqual(response.headers.get("X-Flasky-Cache"), expect, path)
        return response.get_data(as_text=True)

    def warm(self, path: str) -> str:
        """Fetch ``path`` until it comes from the cache, proving it is cached."""
        self.anonymous(path, "miss")
        return self.anonymous(path, "hit")

    def as_user(self, username: str):
        self.client.post("/auth/logout")
        self.login(f"{username}@example.com")
        return self.client


class CachedPagesTestCase(CacheTestCase):
    def test_repeat_anonymous_request_is_a_hit(self):
        first = self.anonymous("/", "miss")
        second = self.anonymous("/", "hit")
        self.assertIn("First words", second)
        self.assertEqual(re.sub(r'nonce="[^"]+"', "", first),
                         re.sub(r'nonce="[^"]+"', "", second))

    def test_each_hit_carries_its_own_nonce_matching_its_policy(self):
        self.anonymous("/")
        nonces = set()
        for _ in range(2):
            response = self.visitor.get("/")
            policy = response.headers["Content-Security-Policy"]
            nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
            body = response.get_data(as_text=True)
            self.assertIn(f'nonce="{nonce}"', body)
            self.assertEqual(set(re.findall(r'nonce="([^"]+)"', body)), {nonce})
            nonces.add(nonce)
        self.assertEqual(len(nonces), 2)

    def signed_in(self, username: str):
        client = self.app.test_client()
        client.post("/auth/login", data={"email": f"{username}@example.com",
                                         "password": self.password})
        return client

    def fetch(self, client, path: str = "/") -> tuple[str | None, str]:
        response = client.get(path)
        self.assertEqual(response.status_code, 200)
        return response.headers.get("X-Flasky-Cache"), response.get_data(as_text=True)

    def until_hit(self, client, path: str = "/") -> str:
        for _ in range(3):
            state, page = self.fetch(client, path)
            if state == "hit":
                return page
        self.fail(f"{path} never came from the cache")

    def test_signed_in_pages_are_cached_for_their_viewer_only(self):
        self.create_user("bob")
        self.warm("/")
        alice, bob = self.signed_in("alice"), self.signed_in("bob")
        self.assertIn("Hello, alice", self.until_hit(alice))
        state, page = self.fetch(bob)
        self.assertNotEqual(state, "hit")
        self.assertIn("Hello, bob", page)
        self.assertIn("Hello, bob", self.until_hit(bob))
        self.assertIn("Hello, Stranger", self.anonymous("/", "hit"))

    def test_each_session_keeps_its_own_csrf_tokens(self):
        first, second = self.signed_in("alice"), self.signed_in("alice")
        page = self.until_hit(first)
        state, other = self.fetch(second)
        self.assertNotEqual(state, "hit")
        tokens = [set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', text))
                  for text in (page, other)]
        self.assertTrue(tokens[0] and tokens[1])
        self.assertFalse(tokens[0] & tokens[1])

    def test_the_followed_tab_is_its_own_page(self):
        alice = self.signed_in("alice")
        self.until_hit(alice)
        alice.set_cookie("show_followed", "1")
        state, page = self.fetch(alice)
        self.assertNotEqual(state, "hit")
        self.assertIn('aria-current="page">Followed', page)

    def test_flashed_messages_are_neither_cached_nor_skipped(self):
        self.warm("/")
        with self.visitor.session_transaction() as session:
            session["_flashes"] = [("info", "A message for this visitor only")]
        response = self.visitor.get("/")
        self.assertNotIn("X-Flasky-Cache", response.headers)
        self.assertIn("A message for this visitor only", response.get_data(as_text=True))
        self.assertNotIn("A message for this visitor only", self.anonymous("/", "hit"))

    def test_new_code_renders_every_page_again(self):
        from app.caching import entries as caching

        self.warm("/")
        caching.code_fingerprint.cache_clear()
        original = caching.code_fingerprint
        try:
            caching.code_fingerprint = lambda: "another-deploy"
            self.anonymous("/", "miss")
        finally:
            caching.code_fingerprint = original
        self.anonymous("/", "hit")

    def test_cached_values_follow_what_changed(self):
        calls = []
        self.assertEqual(cached("answer", lambda: calls.append(1) or 42), 42)
        self.assertEqual(cached("answer", lambda: calls.append(1) or 43), 42)
        content_changed()
        self.assertEqual(cached("answer", lambda: calls.append(1) or 44), 44)
        self.assertEqual(len(calls), 2)


class InvalidationTestCase(CacheTestCase):
    def test_new_post(self):
        self.warm("/")
        self.as_user("alice").post("/", data={"body": "Fresh news"})
        self.assertIn("Fresh news", self.anonymous("/", "miss"))

    def test_new_post_through_the_api(self):
        self.warm("/")
        credentials = base64.b64encode(b"alice@example.com:" + self.password.encode()).decode()
        response = self.client.post("/api/v1/posts/", json={"body": "Posted by a program"},
                                    headers={"Authorization": f"Basic {credentials}"})
        self.assertEqual(response.status_code, 201, response.data)
        self.assertIn("Posted by a program", self.anonymous("/", "miss"))

    def test_api_posts_list(self):
        credentials = base64.b64encode(b"alice@example.com:" + self.password.encode()).decode()
        headers = {"Authorization": f"Basic {credentials}"}

        def bodies() -> list[str]:
            return [post["body"] for post in self.client.get("/api/v1/posts/",
                                                             headers=headers).get_json()["posts"]]

        self.assertEqual(bodies(), ["First words"])
        db.session.get(Post, self.post_id).body = "Changed behind the API's back"
        db.session.commit()
        self.assertEqual(bodies(), ["Changed behind the API's back"])
        self.client.post("/api/v1/posts/", json={"body": "Second post"}, headers=headers)
        self.assertEqual(bodies()[0], "Second post")

    def test_api_answers_carry_an_etag_and_304_when_unchanged(self):
        credentials = base64.b64encode(b"alice@example.com:" + self.password.encode()).decode()
        headers = {"Authorization": f"Basic {credentials}"}
        first = self.client.get("/api/v1/posts/", headers=headers)
        etag = first.headers["ETag"]
        again = self.client.get("/api/v1/posts/", headers={**headers, "If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.data, b"")
        self.client.post("/api/v1/posts/", json={"body": "News"}, headers=headers)
        changed = self.client.get("/api/v1/posts/", headers={**headers, "If-None-Match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertNotEqual(changed.headers["ETag"], etag)

    def test_edited_post(self):
        for path in ("/", f"/post/{self.post_id}", "/user/alice"):
            self.warm(path)
        self.as_user("alice").post(f"/edit/{self.post_id}", data={"body": "Second thoughts"})
        for path in ("/", f"/post/{self.post_id}", "/user/alice"):
            page = self.anonymous(path, "miss")
            self.assertIn("Second thoughts", page, path)
            self.assertNotIn("First words", page, path)

    def test_deleted_post(self):
        self.warm("/")
        self.as_user("alice").post(f"/post/{self.post_id}/delete")
        self.assertIsNone(db.session.get(Post, self.post_id))
        self.assertNotIn("First words", self.anonymous("/", "miss"))
        self.assertEqual(self.visitor.get(f"/post/{self.post_id}").status_code, 404)

    def test_new_comment(self):
        self.warm(f"/post/{self.post_id}")
        self.as_user("alice").post(f"/post/{self.post_id}", data={"body": "Thanks a lot"})
        self.assertIn("Thanks a lot", self.anonymous(f"/post/{self.post_id}", "miss"))

    def test_deleted_comment(self):
        self.warm(f"/post/{self.post_id}")
        self.as_user("mod").post(f"/comment/{self.comment_id}/delete")
        self.assertIsNone(db.session.get(Comment, self.comment_id))
        self.assertNotIn("A kind reply", self.anonymous(f"/post/{self.post_id}", "miss"))

    def test_moderation_disable_then_enable(self):
        self.warm(f"/post/{self.post_id}")
        moderator = self.as_user("mod")
        moderator.post(f"/moderate/disable/{self.comment_id}")
        self.assertNotIn("A kind reply", self.anonymous(f"/post/{self.post_id}", "miss"))
        self.anonymous(f"/post/{self.post_id}", "hit")
        moderator.post(f"/moderate/enable/{self.comment_id}")
        self.assertIn("A kind reply", self.anonymous(f"/post/{self.post_id}", "miss"))

    def test_profile_edit(self):
        self.warm("/user/alice")
        self.as_user("alice").post("/edit-profile", data={
            "name": "Alice Liddell", "location": "Wonderland", "about_me": "Curious"})
        page = self.anonymous("/user/alice", "miss")
        self.assertIn("Wonderland", page)

    def test_follow(self):
        self.warm("/followers/alice")
        self.as_user("mod").post("/follow/alice")
        self.assertIn("/user/mod", self.anonymous("/followers/alice", "miss"))

    def test_last_seen_alone_does_not_invalidate(self):
        self.warm("/")
        user = db.session.get(User, self.author.id)
        user.last_seen = user.last_seen.replace(year=user.last_seen.year - 1)
        db.session.commit()
        self.anonymous("/", "hit")

    def test_signing_in_and_api_tokens_do_not_invalidate(self):
        self.warm("/")
        self.as_user("alice")
        credentials = base64.b64encode(b"alice@example.com:" + self.password.encode()).decode()
        response = self.client.post("/api/v1/tokens/",
                                    headers={"Authorization": f"Basic {credentials}"})
        self.assertIn(response.status_code, (200, 201))
        self.anonymous("/", "hit")

    def test_bulk_statements_invalidate_unless_on_quiet_tables(self):
        from sqlalchemy import update

        from app.models import OutboxMail

        self.warm("/")
        db.session.execute(update(OutboxMail).values(attempts=OutboxMail.attempts + 1))
        db.session.commit()
        self.anonymous("/", "hit")
        db.session.execute(update(Post).values(body_html="<p>Rewritten in bulk</p>"))
        db.session.commit()
        self.assertIn("Rewritten in bulk", self.anonymous("/", "miss"))

    def test_rolled_back_change_does_not_invalidate(self):
        self.warm("/")
        db.session.add(Post(body="Never saved", author=self.author))
        db.session.flush()
        db.session.rollback()
        self.anonymous("/", "hit")


class PostCardTestCase(CacheTestCase):
    def edit_link(self, client) -> bool:
        return f'href="/edit/{self.post_id}"' in client.get("/").get_data(as_text=True)

    def test_cached_cards_keep_each_viewers_links(self):
        self.create_user("bob")
        for _ in range(2):  # the second round is served from cached cards
            self.assertTrue(self.edit_link(self.as_user("alice")))
            self.assertFalse(self.edit_link(self.as_user("bob")))
            self.assertFalse(self.edit_link(self.visitor))

    def test_edited_post_shows_in_a_logged_in_timeline(self):
        client = self.as_user("alice")
        self.assertIn("First words", client.get("/").get_data(as_text=True))
        client.post(f"/edit/{self.post_id}", data={"body": "Second thoughts"})
        page = client.get("/").get_data(as_text=True)
        self.assertIn("Second thoughts", page)
        self.assertNotIn("First words", page)


class CacheOutageTestCase(FlaskyTestCase):
    def test_pages_are_answered_while_the_cache_is_down(self):
        from app import create_app
        from app.models import Role
        from tests.smtp import free_port

        app = create_app("testing", overrides={
            "FLASKY_CACHE": True, "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens
            "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}})
        with app.app_context(), self.assertLogs("app.caching", "WARNING") as logs:
            db.create_all()
            Role.insert_roles()
            author = User(email="ann@example.com", username="ann", password="x" * 12,
                          confirmed=True)
            db.session.add(Post(body="Still here", author=author))
            db.session.commit()
            client = app.test_client()
            for path in ("/", "/user/ann", "/"):
                response = client.get(path)
                self.assertEqual(response.status_code, 200, path)
                self.assertIn("Still here", response.get_data(as_text=True))
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        self.assertEqual(len(logs.records), 1)  # then it leaves the cache alone a while


class WritingInvalidationTestCase(CacheTestCase):
    """Titles, drafts, tags and images: each write shows on the next request."""

    def test_new_title_shows_on_cached_pages(self):
        for path in ("/", f"/post/{self.post_id}", "/user/alice"):
            self.warm(path)
        self.as_user("alice").post(f"/edit/{self.post_id}",
                                   data={"title": "A title at last", "body": "First words"})
        for path in ("/", f"/post/{self.post_id}", "/user/alice"):
            self.assertIn("A title at last", self.anonymous(path, "miss"), path)

    def test_published_draft_shows_and_a_saved_one_does_not(self):
        for path in ("/", "/user/alice"):
            self.warm(path)
        alice = self.as_user("alice")
        alice.post("/", data={"body": "Not yet ready", "save_draft": "Save draft"})
        draft = db.session.scalar(db.select(Post).where(Post.draft.is_(True)))
        for path in ("/", "/user/alice"):
            self.assertNotIn("Not yet ready", self.anonymous(path), path)
        alice.post("/drafts/autosave", data={"body": "Ready now", "draft_id": str(draft.id)})
        self.assertNotIn("Ready now", self.anonymous("/"))
        alice.post(f"/edit/{draft.id}", data={"body": "Ready now", "submit": "Publish"})
        for path in ("/", "/user/alice"):
            self.assertIn("Ready now", self.anonymous(path, "miss"), path)

    def test_tags_and_tag_follows_show_on_the_next_request(self):
        self.warm("/")
        alice = self.as_user("alice")
        alice.post(f"/edit/{self.post_id}", data={"body": "First words #news"})
        self.assertIn('href="/tag/news"', self.anonymous("/", "miss"))
        reader = self.app.test_client()
        reader.post("/auth/login", data={"email": "mod@example.com", "password": self.password})
        reader.get("/followed")
        for _ in range(3):  # until the Followed page is served from the cache
            response = reader.get("/")
            if response.headers.get("X-Flasky-Cache") == "hit":
                break
        self.assertEqual(response.headers.get("X-Flasky-Cache"), "hit")
        self.assertNotIn("First words", response.get_data(as_text=True))
        reader.post("/tag/news/follow")
        reader.get("/tag/news")  # shows the flashed message
        response = reader.get("/")
        self.assertEqual(response.headers.get("X-Flasky-Cache"), "miss")
        self.assertIn("First words", response.get_data(as_text=True))
        reader.post("/tag/news/unfollow")
        reader.get("/tag/news")
        self.assertNotIn("First words", reader.get("/").get_data(as_text=True))

    def test_images_and_avatars_show_on_the_next_request(self):
        import io
        import shutil

        from PIL import Image
        from werkzeug.datastructures import FileStorage, MultiDict
        from werkzeug.test import encode_multipart

        def multipart(path: str, fields: dict, file_field: str, alt: str | None = None):
            picture = io.BytesIO()
            Image.new("RGB", (40, 30), (9, 9, 9)).save(picture, "PNG")
            picture.seek(0)
            values = MultiDict(fields)
            values.add(file_field, FileStorage(picture, filename="p.png"))
            if alt is not None:
                values.add("images_alt", alt)
            boundary, body = encode_multipart(values)
            return alice.post(path, data=body,
                              content_type=f"multipart/form-data; boundary={boundary}")

        self.addCleanup(shutil.rmtree, self.app.config["FLASKY_UPLOADS_DIR"], True)
        for path in ("/", f"/post/{self.post_id}", "/user/alice"):
            self.warm(path)
        alice = self.as_user("alice")
        multipart(f"/edit/{self.post_id}", {"body": "First words"}, "images", "A grey square")
        for path in ("/", f"/post/{self.post_id}", "/user/alice"):
            self.assertIn('alt="A grey square"', self.anonymous(path, "miss"), path)
        image = db.session.scalar(db.select(PostImage))
        alice.post(f"/edit/{self.post_id}", data={"body": "First words",
                                                  "remove_image": str(image.id)})
        self.assertNotIn('alt="A grey square"', self.anonymous("/", "miss"))
        multipart("/edit-profile", {"name": "", "location": "", "about_me": ""}, "avatar")
        avatar = db.session.scalar(db.select(User.avatar_image).filter_by(username="alice"))
        self.assertIn(f'src="/images/{avatar}"', self.anonymous("/", "miss"))


class NarrowModelsTestCase(CacheTestCase):
    """Tags, tag follows, reports and moderators' actions move only what shows them,
    and each still shows on the next request."""

    def signed_in(self, username: str):
        client = self.app.test_client()
        client.post("/auth/login", data={"email": f"{username}@example.com",
                                         "password": self.password})
        return client

    def state(self, client, path: str = "/") -> tuple[str | None, str]:
        response = client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response.headers.get("X-Flasky-Cache"), response.get_data(as_text=True)

    def until_hit(self, client, path: str = "/") -> None:
        for _ in range(3):
            if self.state(client, path)[0] == "hit":
                return
        self.fail(f"{path} never came from the cache")

    def reported(self) -> tuple:
        """Bob reports Alice's post; the moderator's and a visitor's home pages cached."""
        self.create_user("bob")
        moderator = self.signed_in("mod")
        self.warm("/")
        self.until_hit(moderator)
        response = self.signed_in("bob").post(f"/report/post/{self.post_id}",
                                              data={"reason": "spam", "details": "Ads"})
        self.assertEqual(response.status_code, 302)
        return moderator

    def test_a_report_reaches_the_moderators_and_leaves_visitors_pages_alone(self):
        moderator = self.reported()
        self.anonymous("/", "hit")
        self.assertEqual(self.state(moderator)[0], "miss")  # what moderators see may change
        self.assertIn("Ads", self.state(moderator, "/moderate/reports")[1])

    def test_a_moderators_action_shows_at_once(self):
        from app.models import Report

        moderator = self.reported()
        report = db.session.scalar(db.select(Report))
        self.until_hit(moderator)
        moderator.post(f"/moderate/reports/{report.id}",
                       data={"action": "dismiss", "reason": "Not spam", "period": "7"})
        self.anonymous("/", "hit")  # a dismissed report changes nothing visitors see
        self.assertIn("Not spam", self.state(moderator, "/moderate/actions")[1])
        self.assertEqual(self.state(moderator)[0], "miss")

    def test_a_suspension_from_a_report_shows_everywhere(self):
        from app.models import Report

        moderator = self.reported()
        report = db.session.scalar(db.select(Report))
        moderator.post(f"/moderate/reports/{report.id}",
                       data={"action": "suspend", "reason": "Spam again", "period": "7"})
        self.assertNotIn("First words", self.anonymous("/", "miss"))

    def test_an_edit_that_files_a_post_under_a_followed_tag_reaches_its_followers(self):
        bob = self.create_user("bob")
        db.session.add(Post(body="Bob on #news", author=bob))
        db.session.commit()
        reader = self.signed_in("mod")
        reader.post("/tag/news/follow")
        reader.get("/tag/news")  # shows the flashed message
        reader.get("/followed")
        self.until_hit(reader)
        self.assertNotIn("First words", self.state(reader)[1])
        alice = self.signed_in("alice")
        alice.post(f"/edit/{self.post_id}", data={"body": "First words, more"})  # no tag
        self.assertEqual(self.state(reader)[0], "hit")  # not in the reader's list: unchanged
        alice.post(f"/edit/{self.post_id}", data={"body": "First words #News"})
        state, page = self.state(reader)
        self.assertEqual(state, "miss")
        self.assertIn("First words", page)

    def test_a_tag_follow_changes_its_followers_pages_only(self):
        bob = self.create_user("bob")
        db.session.add(Post(body="Bob on #news", author=bob))
        db.session.commit()
        self.warm("/")
        reader = self.signed_in("mod")
        reader.get("/followed")
        self.until_hit(reader)
        reader.post("/tag/news/follow")
        self.anonymous("/", "hit")
        reader.get("/tag/news")
        state, page = self.state(reader)
        self.assertEqual(state, "miss")
        self.assertIn("Bob on", page)
