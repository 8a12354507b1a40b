"""Blocking and muting: the POST routes, their refusals, and what they hide."""

from flask import g

from app import db
from app.models import Block, Follow, Mute
from tests.base import FlaskyTestCase
from tests.social import make_comment, make_follow, make_post


class BlockingTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")

    def rows(self, model):
        db.session.expire_all()
        return db.session.scalars(db.select(model)).all()

    def test_block_ends_follows_both_ways_and_refuses_new_ones(self):
        make_follow(self.john, self.mary)
        make_follow(self.mary, self.john)
        self.login()
        response = self.client.post("/block/mary", follow_redirects=True)
        self.assertIn(b"You have blocked mary.", response.data)
        self.assertEqual(self.rows(Follow), [])
        self.assertEqual([(b.blocker_id, b.blocked_id) for b in self.rows(Block)],
                         [(self.john.id, self.mary.id)])
        self.assertIn(b'action="/unblock/mary"', response.data)
        response = self.client.post("/follow/mary", follow_redirects=True)
        self.assertIn(b"You have blocked mary: unblock them to follow them.", response.data)
        self.logout()
        self.login("mary@example.com")
        response = self.client.post("/follow/john", follow_redirects=True)
        self.assertIn(b"john has blocked you: you cannot follow them.", response.data)
        self.assertEqual(self.rows(Follow), [])

    def test_blocking_oneself_twice_or_nobody_is_a_clear_message(self):
        self.login()
        response = self.client.post("/block/john", follow_redirects=True)
        self.assertIn(b"You cannot block yourself.", response.data)
        self.client.post("/block/mary")
        response = self.client.post("/block/MARY", follow_redirects=True)
        self.assertIn(b"You have already blocked mary.", response.data)
        self.assertEqual(len(self.rows(Block)), 1)
        response = self.client.post("/block/nobody")
        self.assertEqual(response.status_code, 404)
        self.assertIn(b"There is no user called", response.data)
        response = self.client.post("/unmute/mary", follow_redirects=True)
        self.assertIn(b"You had not muted mary.", response.data)
        response = self.client.post("/mute/john", follow_redirects=True)
        self.assertIn(b"You cannot mute yourself.", response.data)
        self.assertEqual(self.client.get("/block/mary").status_code, 405)

    def test_unblock_and_the_settings_list(self):
        self.login()
        self.client.post("/block/mary")
        self.client.post("/mute/mary")
        page = self.client.get("/settings/blocks").get_data(as_text=True)
        self.assertIn('action="/unblock/mary?next=/settings/blocks"', page)
        self.assertIn('action="/unmute/mary?next=/settings/blocks"', page)
        response = self.client.post("/unblock/mary?next=/settings/blocks")
        self.assertRedirectsTo(response, "/settings/blocks")
        response = self.client.post("/unblock/mary?next=//evil.example", follow_redirects=True)
        self.assertIn(b"You had not blocked mary.", response.data)
        self.assertEqual(response.request.path, "/user/mary")
        self.client.post("/unmute/mary")
        self.assertEqual(self.rows(Block), [])
        self.assertEqual(self.rows(Mute), [])
        self.assertIn(b"You have not blocked anyone.", self.client.get("/settings/blocks").data)

    def test_blocked_person_cannot_comment_on_my_posts(self):
        post = make_post(self.john, "John's thoughts")
        self.login()
        self.client.post("/block/mary")
        self.logout()
        self.login("mary@example.com")
        response = self.client.post(f"/post/{post.id}", data={"body": "hello"})
        self.assertEqual(response.status_code, 403)
        self.assertIn(b"john has blocked you: you cannot comment on their posts.", response.data)
        self.assertEqual(db.session.scalar(db.select(db.func.count()).select_from(
            db.select(Block).subquery())), 1)

    def test_blocked_content_leaves_timelines_and_collapses_on_post_pages(self):
        own = make_post(self.john, "Post by john")
        make_post(self.mary, "Post by mary")
        make_comment(own, self.mary, "Comment by mary")
        self.login()
        self.assertIn(b"Post by mary", self.client.get("/").data)
        self.client.post("/block/mary")
        self.assertNotIn(b"Post by mary", self.client.get("/").data)
        self.assertNotIn(b"Post by mary", self.client.get("/user/mary").data)
        page = self.client.get(f"/post/{own.id}").get_data(as_text=True)
        self.assertNotIn("Comment by mary", page)
        self.assertIn("A comment from a blocked or suspended account.", page)
        self.assertNotIn("Post by mary", self.client.get("/search?q=mary").get_data(as_text=True))
        self.logout()  # others still see it all
        self.assertIn(b"Post by mary", self.client.get("/").data)
        self.assertIn(b"Comment by mary", self.client.get(f"/post/{own.id}").data)

    def test_lists_get_no_clause_while_nobody_is_hidden(self):
        from app import queries
        from app.models import AnonymousUser
        from app.social.visibility import timeline

        with self.app.test_request_context("/"):  # the whole table's count stays cached
            everyone = queries.all_posts()
            self.assertIs(timeline(everyone, AnonymousUser()), everyone)
        with self.app.test_request_context("/"):
            g.pop("flasky_hidden")  # the tests share one app context; requests do not
            db.session.add(Block(blocker_id=self.john.id, blocked_id=self.mary.id))
            db.session.commit()
            self.assertIn("NOT IN", str(timeline(queries.all_posts(), self.john).whereclause))

    def test_mute_hides_from_timelines_only(self):
        own = make_post(self.john, "Post by john")
        make_post(self.mary, "Post by mary")
        make_comment(own, self.mary, "Comment by mary")
        self.login()
        response = self.client.post("/mute/mary", follow_redirects=True)
        self.assertIn(b"You have muted mary.", response.data)
        self.assertNotIn(b"Post by mary", self.client.get("/").data)
        self.assertIn(b"Post by mary", self.client.get("/user/mary").data)
        self.assertIn(b"Comment by mary", self.client.get(f"/post/{own.id}").data)
        self.client.post("/unmute/mary")
        self.assertIn(b"Post by mary", self.client.get("/").data)

    def test_block_needs_login_and_csrf(self):
        self.assertRedirectsTo(self.client.post("/block/mary"), "/auth/login?next=%2Fblock%2Fmary")
        self.app.config["WTF_CSRF_ENABLED"] = True
        self.sign_in_directly(self.john)
        self.client.post("/block/mary")
        self.assertEqual(self.rows(Block), [])


class CachedBlockingTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def test_a_block_shows_on_the_next_cached_request(self):
        self.create_user("john")
        mary = self.create_user("mary")
        make_post(mary, "Post by mary")
        self.login()
        self.client.get("/")
        self.assertEqual(self.client.get("/").headers.get("X-Flasky-Cache"), "hit")
        self.client.post("/block/mary")
        response = self.client.get("/")
        self.assertNotIn(b"Post by mary", response.data)
        self.client.post("/unblock/mary")
        self.assertIn(b"Post by mary", self.client.get("/").data)


class ApiBlockingTestCase(FlaskyTestCase):
    def test_the_api_leaves_out_whom_the_caller_blocked(self):
        from tests.test_api_base import basic

        john, mary = self.create_user("john"), self.create_user("mary")
        post = make_post(john, "John's")
        make_comment(post, mary, "Mary's comment")
        make_post(mary, "Mary's post")
        self.login()
        self.client.post("/block/mary")
        headers = basic("john@example.com", self.password)
        for path in (f"/api/v1/users/{mary.id}/posts/", "/api/v1/comments/",
                     f"/api/v1/posts/{post.id}/comments/"):
            self.assertEqual(self.client.get(path, headers=headers).json["count"], 0, path)
        other = basic("mary@example.com", self.password)
        self.assertEqual(self.client.get("/api/v1/comments/", headers=other).json["count"], 1)
