"""Activities sent for local changes, grouped by shared inbox, and the
delivery job that signs and sends them."""

import json

from sqlalchemy import func, select

from app.extensions import db
from app.federation.delivery import deliver, queue_deliveries
from app.federation.keys import key_of, load_public_key
from app.federation.remote import RemoteError
from app.federation.signatures import verify
from app.models import Comment, Delivery, DomainBlock, Follow, Job, Post, RemoteFollow, RemoteObject
from tests.base import FlaskyTestCase
from tests.federation import RecordingServer, make_remote_account, post_activity

JOHN = "http://localhost/federation/users/john"


class OutgoingTestCase(FlaskyTestCase):
    # Deliveries stay queued (no worker runs here); FLASKY_BASE_URL gives ids outside requests.
    config = {"FLASKY_JOBS_EAGER": False, "FLASKY_BASE_URL": "http://localhost"}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")

    def follower(self, name, host):
        actor, key = make_remote_account(name, host)
        db.session.add(Follow(follower_id=actor.user_id, followed_id=self.john.id))
        db.session.commit()
        return actor, key

    def sent(self):
        deliveries = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
        return [(delivery.inbox, json.loads(delivery.activity)) for delivery in deliveries]

    def test_a_new_post_goes_once_to_each_server_of_the_followers(self):
        self.follower("remy", "remote.example")
        self.follower("rita", "remote.example")
        self.follower("olga", "other.example")
        db.session.add(Post(body="Hello *fediverse*", author_id=self.john.id))
        db.session.commit()
        sent = self.sent()
        self.assertEqual(sorted(inbox for inbox, _ in sent),
                         ["https://other.example/inbox", "https://remote.example/inbox"])
        create = sent[0][1]
        self.assertEqual(create["type"], "Create")
        self.assertEqual(create["actor"], JOHN)
        self.assertEqual(create["object"]["type"], "Note")
        self.assertIn("<em>fediverse</em>", create["object"]["content"])
        self.assertEqual(db.session.scalar(select(func.count(Job.id)).where(
            Job.task == "app.federation.delivery:deliver")), 2)

    def test_edit_and_delete_follow_the_post(self):
        self.follower("remy", "remote.example")
        post = Post(body="first", author_id=self.john.id)
        db.session.add(post)
        db.session.commit()
        post.body = "second"
        db.session.commit()
        post_id = post.id
        db.session.delete(post)
        db.session.commit()
        kinds = [activity["type"] for _, activity in self.sent()]
        self.assertEqual(kinds, ["Create", "Update", "Delete"])
        update, delete = self.sent()[1][1], self.sent()[2][1]
        self.assertIn("second", update["object"]["content"])
        self.assertEqual(delete["object"]["id"], f"http://localhost/federation/posts/{post_id}")
        self.assertNotEqual(update["id"], self.sent()[0][1]["id"])

    def test_drafts_are_sent_only_when_published(self):
        self.follower("remy", "remote.example")
        draft = Post(body="not yet", author_id=self.john.id, draft=True)
        db.session.add(draft)
        db.session.commit()
        self.assertEqual(self.sent(), [])
        draft.publish()
        db.session.commit()
        self.assertEqual([activity["type"] for _, activity in self.sent()], ["Create"])

    def test_nothing_is_sent_without_remote_followers_or_to_a_blocked_server(self):
        mary = self.create_user("mary")
        mary.follow(self.john)
        db.session.commit()
        db.session.add(Post(body="local only", author_id=self.john.id))
        db.session.commit()
        self.assertEqual(self.sent(), [])
        self.follower("remy", "remote.example")
        db.session.add(DomainBlock(domain="remote.example"))
        db.session.add(Post(body="blocked", author_id=self.john.id))
        db.session.commit()
        self.assertEqual(self.sent(), [])

    def test_a_comment_on_a_remote_post_replies_to_its_author(self):
        actor, _ = make_remote_account("remy", "remote.example")
        post = Post(body="theirs", author_id=actor.user_id)
        db.session.add(post)
        db.session.flush()
        db.session.add(RemoteObject(uri="https://remote.example/notes/1", actor_id=actor.id,
                                    post_id=post.id))
        db.session.commit()
        db.session.add(Comment(body="my reply", post_id=post.id, author_id=self.john.id))
        db.session.commit()
        [(inbox, create)] = self.sent()
        self.assertEqual(inbox, actor.inbox)
        self.assertEqual(create["object"]["inReplyTo"], "https://remote.example/notes/1")
        self.assertIn(actor.uri, create["object"]["to"])

    def test_following_a_remote_account_sends_follow_then_undo(self):
        actor, key = make_remote_account("remy", "remote.example")
        self.john.follow(actor.user)
        db.session.commit()
        [(inbox, follow)] = self.sent()
        self.assertEqual((inbox, follow["type"], follow["object"]), (actor.inbox, "Follow",
                                                                      actor.uri))
        asked = db.session.get(RemoteFollow, (self.john.id, actor.id))
        self.assertFalse(asked.accepted)
        accept = {"id": "https://remote.example/accepts/1", "type": "Accept",
                  "actor": actor.uri, "object": follow}
        self.assertEqual(post_activity(self.client, accept, actor, key,
                                       path="/federation/users/john/inbox").status_code, 202)
        db.session.expire_all()
        self.assertTrue(db.session.get(RemoteFollow, (self.john.id, actor.id)).accepted)
        self.john.unfollow(actor.user)
        db.session.commit()
        undo = self.sent()[-1][1]
        self.assertEqual(undo["type"], "Undo")
        self.assertEqual(undo["object"]["id"], follow["id"])
        self.assertIsNone(db.session.get(RemoteFollow, (self.john.id, actor.id)))

    def test_blocking_a_followed_remote_account_sends_block_and_undo(self):
        from app.social.blocking import block

        actor, _ = make_remote_account("remy", "remote.example")
        self.john.follow(actor.user)
        db.session.commit()
        self.assertIsNone(block(self.john, actor.user))
        db.session.commit()
        kinds = [activity["type"] for _, activity in self.sent()]
        self.assertEqual(kinds, ["Follow", "Block", "Undo"])
        self.assertEqual(self.sent()[1][1]["object"], actor.uri)
        self.assertIsNone(db.session.get(RemoteFollow, (self.john.id, actor.id)))


class DeliveryJobTestCase(FlaskyTestCase):
    config = {"FLASKY_JOBS_EAGER": False, "FLASKY_BASE_URL": "http://localhost"}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")

    def queue(self, server):
        queue_deliveries({"id": "x", "type": "Create", "actor": JOHN}, self.john,
                         [f"{server.url}/inbox"])
        db.session.commit()
        return db.session.scalar(select(Delivery))

    def test_the_post_is_signed_by_the_sender_with_a_digest(self):
        server = RecordingServer(202)
        self.addCleanup(server.close)
        delivery = self.queue(server)
        self.assertEqual(deliver(delivery.id), "delivered")
        [(method, path, headers, body)] = server.requests
        headers = {name.lower(): value for name, value in headers.items()}
        self.assertEqual(json.loads(body)["type"], "Create")
        self.assertIn('keyId="http://localhost/federation/users/john#main-key"',
                      headers["signature"])
        verify(method, path, headers, body, load_public_key(key_of(self.john).public_pem))
        self.assertEqual(db.session.get(Delivery, delivery.id).state, Delivery.DELIVERED)

    def test_a_refusal_is_final_and_a_server_error_is_retried(self):
        server = RecordingServer(410)
        self.addCleanup(server.close)
        delivery = self.queue(server)
        self.assertEqual(deliver(delivery.id), "refused")
        self.assertEqual(db.session.get(Delivery, delivery.id).state, Delivery.FAILED)
        server.status = 503
        db.session.delete(db.session.get(Delivery, delivery.id))
        db.session.commit()
        retried = self.queue(server)
        with self.assertRaises(RemoteError):
            deliver(retried.id)
        again = db.session.get(Delivery, retried.id)
        self.assertEqual((again.state, again.attempts), (Delivery.QUEUED, 1))
        self.assertIn("503", again.last_error)


class RemoteFollowFormTestCase(FlaskyTestCase):
    def test_the_form_needs_a_handle_and_refuses_this_site(self):
        self.create_user("john")
        self.login()
        page = self.client.get("/federation/follow")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Follow an account on another server", page.get_data(as_text=True))
        for handle, message in (("nobody", "@name@server.example"),
                                ("@mary@localhost", "on this site"),
                                ("@x@127.0.0.1:1", "cannot be followed")):
            response = self.client.post("/federation/follow", data={"handle": handle})
            self.assertEqual(response.status_code, 200, handle)
            self.assertIn(message, response.get_data(as_text=True), handle)

    def test_the_profile_shows_the_handle_and_the_form_link(self):
        self.create_user("john")
        self.login()
        page = self.client.get("/user/john").get_data(as_text=True)
        self.assertIn("@john@localhost", page)
        self.assertIn("/federation/follow", page)
