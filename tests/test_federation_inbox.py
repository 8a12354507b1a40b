"""The inbox: activities from a remote account, verified and applied once."""

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Block,
    Comment,
    Delivery,
    DomainBlock,
    Follow,
    Post,
    Reaction,
    RemoteActor,
    RemoteObject,
    User,
)
from app.social.suspensions import suspend
from tests.base import FlaskyTestCase
from tests.federation import json_of, make_remote_account, post_activity

ACTOR_URL = "http://localhost/federation/users/john"


class InboxTestCase(FlaskyTestCase):
    # Deliveries stay queued (no worker runs here): the tests read what would be sent.
    config = {"FLASKY_JOBS_EAGER": False}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.remote, self.key = make_remote_account("remy")
        self.counter = 0

    def send(self, kind, object_, path="/federation/inbox", **extra):
        self.counter += 1
        activity = {"@context": "https://www.w3.org/ns/activitystreams",
                    "id": f"{self.remote.uri}/activities/{self.counter}", "type": kind,
                    "actor": self.remote.uri, "object": object_, **extra}
        return post_activity(self.client, activity, self.remote, self.key, path=path), activity

    def note(self, number=1, content="<p>Hello <script>x()</script>there</p>", **extra):
        return {"id": f"{self.remote.uri}/notes/{number}", "type": "Note",
                "attributedTo": self.remote.uri, "content": content, **extra}

    def john_post(self):
        post = Post(body="a post", author_id=self.john.id)
        db.session.add(post)
        db.session.commit()
        return post

    def count(self, model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


class FollowTestCase(InboxTestCase):
    def test_a_follow_is_accepted_and_answered(self):
        response, follow = self.send("Follow", ACTOR_URL, path="/federation/users/john/inbox")
        self.assertEqual(response.status_code, 202, response.get_data(as_text=True))
        self.assertIsNotNone(db.session.get(Follow, (self.remote.user_id, self.john.id)))
        delivery = db.session.scalar(select(Delivery))
        self.assertEqual(delivery.inbox, self.remote.inbox)
        accept = json.loads(delivery.activity)
        self.assertEqual(accept["type"], "Accept")
        self.assertEqual(accept["actor"], ACTOR_URL)
        self.assertEqual(accept["object"]["id"], follow["id"])
        self.assertEqual(delivery.key_id, ACTOR_URL + "#main-key")

    def test_the_same_activity_twice_changes_nothing(self):
        response, follow = self.send("Follow", ACTOR_URL)
        again = post_activity(self.client, follow, self.remote, self.key)
        self.assertEqual(again.status_code, 202)
        self.assertEqual(json_of(again)["status"], "already handled")
        self.assertEqual(self.count(Delivery), 1)

    def test_undo_follow(self):
        _, follow = self.send("Follow", ACTOR_URL)
        response, _ = self.send("Undo", follow)
        self.assertEqual(response.status_code, 202)
        self.assertIsNone(db.session.get(Follow, (self.remote.user_id, self.john.id)))

    def test_a_follow_of_someone_who_blocked_the_account_is_rejected(self):
        db.session.add(Block(blocker_id=self.john.id, blocked_id=self.remote.user_id))
        db.session.commit()
        response, _ = self.send("Follow", ACTOR_URL)
        self.assertEqual(json_of(response)["status"], "rejected")
        self.assertEqual(self.count(Follow), 0)
        self.assertEqual(json.loads(db.session.scalar(select(Delivery.activity)))["type"],
                         "Reject")

    def test_a_follow_of_nobody_here_is_422(self):
        for target in ("http://localhost/federation/users/nobody", "https://else.example/u/x",
                       {"id": 5}):
            response, _ = self.send("Follow", target)
            self.assertEqual(response.status_code, 422, target)
        self.assertEqual(self.count(Delivery), 0)


class RepliesTestCase(InboxTestCase):
    def test_a_reply_becomes_a_sanitised_comment_then_is_edited_and_deleted(self):
        post = self.john_post()
        note = self.note(inReplyTo=f"http://localhost/federation/posts/{post.id}")
        response, _ = self.send("Create", note)
        self.assertEqual(json_of(response)["status"], "comment")
        comment = db.session.scalar(select(Comment).where(Comment.post_id == post.id))
        self.assertEqual(comment.author.username, "remy@remote.example")
        self.assertIn("Hello", comment.body_html)
        self.assertNotIn("<script", comment.body_html)
        edited = {**note, "content": "<p>Edited words</p>"}
        self.assertEqual(json_of(self.send("Update", edited)[0])["status"], "updated")
        db.session.expire_all()
        self.assertIn("Edited words", db.session.get(Comment, comment.id).body_html)
        self.assertEqual(json_of(self.send("Delete", note["id"])[0])["status"], "deleted")
        self.assertEqual(self.count(Comment), 0)
        self.assertEqual(self.count(RemoteObject), 0)

    def test_a_reply_to_the_posts_page_url_counts_too(self):
        post = self.john_post()
        self.send("Create", self.note(inReplyTo=f"http://localhost/post/{post.id}"))
        self.assertEqual(self.count(Comment, Comment.post_id == post.id), 1)

    def test_a_reply_is_created_once(self):
        post = self.john_post()
        note = self.note(inReplyTo=f"http://localhost/federation/posts/{post.id}")
        self.send("Create", note)
        response, _ = self.send("Create", note)
        self.assertEqual(json_of(response)["status"], "already here")
        self.assertEqual(self.count(Comment), 1)

    def test_refused_replies(self):
        post = self.john_post()
        reply_to = f"http://localhost/federation/posts/{post.id}"
        cases = [
            (self.note(inReplyTo="http://localhost/federation/posts/999"), 422),
            (self.note(inReplyTo=reply_to, attributedTo="https://remote.example/users/eve"), 403),
            ({**self.note(inReplyTo=reply_to), "id": "https://other.example/notes/1"}, 422),
            ({**self.note(inReplyTo=reply_to), "content": ["not", "a", "string"]}, 422),
            ({**self.note(inReplyTo=reply_to), "type": "Person"}, 422),
            ([self.note(inReplyTo=reply_to)], 422),
            ("https://remote.example/notes/1", 422),
        ]
        for note, status in cases:
            response, _ = self.send("Create", note)
            self.assertEqual(response.status_code, status, note)
            self.assertIn("message", json_of(response))
        self.assertEqual(self.count(Comment), 0)

    def test_text_beyond_the_rendering_bounds_and_a_bad_profile_update_get_422(self):
        post = self.john_post()
        nested = "<p>" + "> " * 40 + "deep</p>"
        response, _ = self.send("Create", self.note(
            content=nested, inReplyTo=f"http://localhost/federation/posts/{post.id}"))
        self.assertEqual(response.status_code, 422, response.get_data(as_text=True))
        self.assertEqual(self.count(Comment), 0)
        profile = {"id": self.remote.uri, "type": "Person", "preferredUsername": "remy",
                   "inbox": f"{self.remote.uri}/inbox", "publicKey": "not an object"}
        response, _ = self.send("Update", profile)
        self.assertEqual(response.status_code, 422, response.get_data(as_text=True))
        db.session.expire_all()
        self.assertEqual(db.session.get(RemoteActor, self.remote.id).inbox, self.remote.inbox)

    def test_a_blocked_account_cannot_reply(self):
        post = self.john_post()
        db.session.add(Block(blocker_id=self.john.id, blocked_id=self.remote.user_id))
        db.session.commit()
        response, _ = self.send("Create", self.note(
            inReplyTo=f"http://localhost/federation/posts/{post.id}"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.count(Comment), 0)

    def test_posts_arrive_only_when_someone_here_follows_the_account(self):
        response, _ = self.send("Create", self.note(1))
        self.assertEqual(json_of(response)["status"], "ignored")
        db.session.add(Follow(follower_id=self.john.id, followed_id=self.remote.user_id))
        db.session.commit()
        article = self.note(2, type="Article", name="A title", content="<p>Long text</p>")
        self.assertEqual(json_of(self.send("Create", article)[0])["status"], "post")
        post = db.session.scalar(select(Post).where(Post.author_id == self.remote.user_id))
        self.assertEqual(post.title, "A title")
        self.assertIn("Long text", post.body_html)

    def test_an_account_deleted_takes_its_comments_and_follows(self):
        post = self.john_post()
        self.send("Follow", ACTOR_URL)
        self.send("Create", self.note(inReplyTo=f"http://localhost/federation/posts/{post.id}"))
        user_id = self.remote.user_id
        response, _ = self.send("Delete", self.remote.uri)
        self.assertEqual(json_of(response)["status"], "account deleted")
        self.assertIsNone(db.session.get(User, user_id))
        self.assertEqual(self.count(RemoteActor), 0)
        self.assertEqual(self.count(Comment), 0)
        self.assertEqual(self.count(Follow), 0)


class ReactionsAndBlocksTestCase(InboxTestCase):
    def test_likes_and_announces_are_counted_once_and_undone(self):
        post = self.john_post()
        uri = f"http://localhost/federation/posts/{post.id}"
        _, like = self.send("Like", uri)
        self.send("Like", uri)
        self.send("Announce", uri)
        self.assertEqual(self.count(Reaction, Reaction.kind == "like"), 1)
        self.assertEqual(self.count(Reaction, Reaction.kind == "announce"), 1)
        self.send("Undo", like)
        self.assertEqual(self.count(Reaction, Reaction.kind == "like"), 0)
        response, _ = self.send("Like", "http://localhost/federation/posts/999")
        self.assertEqual(response.status_code, 422)

    def test_a_block_ends_follows_and_is_honoured(self):
        self.send("Follow", ACTOR_URL)
        response, _ = self.send("Block", ACTOR_URL)
        self.assertEqual(json_of(response)["status"], "blocked")
        self.assertIsNotNone(db.session.get(Block, (self.remote.user_id, self.john.id)))
        self.assertEqual(self.count(Follow), 0)

    def test_unknown_types_are_accepted_and_ignored(self):
        for kind in ("Flag", "Move", "EmojiReact", "Question"):
            response, _ = self.send(kind, ACTOR_URL)
            self.assertEqual(response.status_code, 202)
            self.assertEqual(json_of(response)["status"], "ignored")

    def test_an_activity_about_itself_is_refused(self):
        self.counter += 1
        uri = f"{self.remote.uri}/activities/loop"
        response = post_activity(self.client, {"id": uri, "type": "Announce",
                                               "actor": self.remote.uri, "object": uri},
                                 self.remote, self.key)
        self.assertEqual(response.status_code, 400)


class VerificationTestCase(InboxTestCase):
    def activity(self, **changes):
        return {"id": f"{self.remote.uri}/activities/v", "type": "Follow",
                "actor": self.remote.uri, "object": ACTOR_URL, **changes}

    def assert_refused(self, response, status):
        self.assertEqual(response.status_code, status, response.get_data(as_text=True))
        self.assertEqual(response.mimetype, "application/json")
        self.assertIn("message", json_of(response))
        self.assertEqual(self.count(Follow), 0)

    def test_unsigned_and_forged_requests_get_401(self):
        from app.federation.keys import load_private_key, new_key_pair

        self.assert_refused(post_activity(self.client, self.activity()), 401)
        forger = load_private_key(new_key_pair()[1])
        self.assert_refused(post_activity(self.client, self.activity(), self.remote, forger), 401)

    def test_key_ids_no_parser_reads_get_401(self):
        from app.federation.signatures import sign

        body = json.dumps(self.activity()).encode()
        for key_id in ("https://[bad/key", "https://remote.example:99999/k", "not a url",
                       "file:///etc/passwd#k", "http://127.0.0.1:1/k"):
            headers = sign("POST", "http://localhost/federation/inbox", key_id, self.key,
                           body=body)
            response = self.client.post("/federation/inbox", data=body, headers=headers,
                                        content_type="application/activity+json")
            self.assert_refused(response, 401)

    def test_a_changed_body_or_a_stale_date_gets_401(self):
        changed = json.dumps(self.activity(object="http://localhost/federation/users/x"))
        self.assert_refused(post_activity(self.client, self.activity(), self.remote, self.key,
                                          body=changed.encode()), 401)
        stale = datetime.now(UTC) - timedelta(hours=13)
        self.assert_refused(post_activity(self.client, self.activity(), self.remote, self.key,
                                          now=stale), 401)

    def test_an_activity_by_another_actor_than_the_key_gets_401(self):
        other, _ = make_remote_account("eve", "remote.example")
        self.assert_refused(post_activity(self.client, self.activity(actor=other.uri),
                                          self.remote, self.key), 401)

    def test_a_blocked_domain_and_a_suspended_account_get_403(self):
        db.session.add(DomainBlock(domain="remote.example"))
        db.session.commit()
        self.assert_refused(post_activity(self.client, self.activity(), self.remote,
                                          self.key), 403)
        db.session.execute(DomainBlock.__table__.delete())
        suspend(self.remote.user, None)
        db.session.commit()
        self.assert_refused(post_activity(self.client, self.activity(), self.remote,
                                          self.key), 403)

    def test_malformed_bodies_get_400_or_413(self):
        cases = [(b"not json", 400), (b"[1, 2]", 400), (b'"text"', 400), (b"{}", 400),
                 (json.dumps({"id": "x", "type": ["Follow"], "actor": "y"}).encode(), 400),
                 (json.dumps({"id": {"a": 1}, "type": "Follow", "actor": "y"}).encode(), 400),
                 (json.dumps({"id": "x", "type": "Follow", "actor": "y" * 600}).encode(), 400),
                 (json.dumps(self.activity(object=[[[[[[[[[["deep"]]]]]]]]]])).encode(), 400),
                 (b"{" + b'"a": "' + b"x" * 300_000 + b'"}', 413),
                 (b"\xff\xfe", 400)]
        for body, status in cases:
            response = self.client.post("/federation/inbox", data=body,
                                        content_type="application/activity+json")
            self.assert_refused(response, status)


class InboxRateLimitTestCase(InboxTestCase):
    config = {**InboxTestCase.config, "RATELIMIT_ENABLED": True,
              "FLASKY_RATELIMIT_FEDERATION_INBOX": "3 per minute"}

    def test_one_server_is_limited_and_another_is_not(self):
        statuses = [self.send("Like", ACTOR_URL)[0].status_code for _ in range(4)]
        self.assertEqual(statuses[-1], 429)
        self.assertNotIn(429, statuses[:3])
        other, key = make_remote_account("olga", "other.example")
        activity = {"id": f"{other.uri}/1", "type": "Flag", "actor": other.uri,
                    "object": ACTOR_URL}
        self.assertEqual(post_activity(self.client, activity, other, key).status_code, 202)
