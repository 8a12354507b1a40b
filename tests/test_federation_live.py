"""Two live Flasky servers federating over loopback, each with its own SQLite
database: WebFinger, follow and accept, a post arriving in the follower's
Followed timeline, an edit and a delete following it, a reply coming back as
a comment, a blocked server refused and a forged signature refused.

Site A answers as ``localhost:<port>``, site B as ``127.0.0.1:<port>``, so the
two are different servers (and domains) to each other. Deliveries run as jobs
at each commit (FLASKY_JOBS_EAGER), over real HTTP between the two servers.
"""

import json
import shutil
import tempfile
import threading
import unittest
from pathlib import Path

from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app, db
from app.federation.keys import load_private_key, new_key_pair
from app.federation.signatures import sign
from app.models import Comment, Delivery, DomainBlock, Follow, Post, RemoteFollow, Role, User


class LiveSite:
    """A Flasky app served on a loopback port from a thread, with its own database."""

    def __init__(self, host: str, folder: Path) -> None:
        self._app = None
        self.server = make_server("127.0.0.1", 0, self._serve, threaded=True)
        self.base = f"http://{host}:{self.server.server_port}"
        self.host = f"{host}:{self.server.server_port}"
        self._app = create_app("testing", overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / (host + '.sqlite')}",
            "FLASKY_BASE_URL": self.base, "FLASKY_JOBS_EAGER": True,
            "FLASKY_FEDERATION_INSECURE_PEERS": True})
        with self._app.app_context():
            db.create_all()
            Role.insert_roles()
        self.client = self._app.test_client()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _serve(self, environ, start_response):
        return self._app(environ, start_response)

    def context(self):
        return self._app.app_context()

    def add_user(self, username: str) -> None:
        with self.context():
            db.session.add(User(username=username, email=f"{username}@example.com",
                                password="correct-horse-7", confirmed=True))
            db.session.commit()

    def sign_in(self, username: str) -> None:
        response = self.client.post("/auth/login", data={
            "email": f"{username}@example.com", "password": "correct-horse-7"})
        assert response.status_code == 302, response.status_code

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        with self.context():
            db.session.remove()
            db.engine.dispose()


class TwoServersTestCase(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="flasky-federation-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.a = LiveSite("localhost", self.folder)
        self.addCleanup(self.a.stop)
        self.b = LiveSite("127.0.0.1", self.folder)
        self.addCleanup(self.b.stop)
        self.a.add_user("alice")
        self.b.add_user("bob")
        self.alice = f"alice@{self.a.host}"  # as site B names her

    def bob_follows_alice(self):
        self.b.sign_in("bob")
        response = self.b.client.post("/federation/follow", data={"handle": f"@{self.alice}"})
        self.assertEqual(response.status_code, 302, response.get_data(as_text=True))
        self.assertTrue(response.location.endswith(f"/user/{self.alice}"))

    def alice_writes(self, body: str) -> int:
        self.a.sign_in("alice")
        response = self.a.client.post("/", data={"body": body})
        self.assertEqual(response.status_code, 302, response.get_data(as_text=True))
        with self.a.context():
            return db.session.scalar(select(Post.id).order_by(Post.id.desc()))

    def bobs_followed_timeline(self) -> str:
        self.b.client.get("/followed")
        return self.b.client.get("/").get_data(as_text=True)

    def test_webfinger_follow_accept_post_edit_delete_and_reply(self):
        self.bob_follows_alice()
        with self.b.context():  # A answered the Follow with an Accept
            remote_alice = User.by_username(self.alice)
            self.assertTrue(db.session.scalar(select(RemoteFollow.accepted)))
        with self.a.context():  # and counts bob among alice's followers
            alice = User.by_username("alice")
            bob = User.by_username(f"bob@{self.b.host}")
            self.assertIsNotNone(db.session.get(Follow, (bob.id, alice.id)))

        post_id = self.alice_writes("Hello from **site A**")
        self.assertIn("Hello from <strong>site A</strong>", self.bobs_followed_timeline())
        profile = self.b.client.get(f"/user/{self.alice}").get_data(as_text=True)
        self.assertIn("Hello from", profile)

        response = self.a.client.post(f"/edit/{post_id}", data={"body": "Edited on site A"})
        self.assertEqual(response.status_code, 302, response.get_data(as_text=True))
        timeline = self.bobs_followed_timeline()
        self.assertIn("Edited on site A", timeline)
        self.assertNotIn("Hello from", timeline)

        with self.b.context():
            mirrored_id = db.session.scalar(select(Post.id).where(
                Post.author_id == remote_alice.id))
        response = self.b.client.post(f"/post/{mirrored_id}", data={"body": "Nice one, Alice"})
        self.assertEqual(response.status_code, 302, response.get_data(as_text=True))
        with self.a.context():
            comment = db.session.scalar(select(Comment).where(Comment.post_id == post_id))
            self.assertIsNotNone(comment, "the reply did not come back to site A")
            self.assertEqual(comment.author.username, f"bob@{self.b.host}")
            self.assertIn("Nice one, Alice", comment.body_html)
        page = self.a.client.get(f"/post/{post_id}").get_data(as_text=True)
        self.assertIn("Nice one, Alice", page)
        self.assertIn(f"bob@{self.b.host}", page)

        response = self.a.client.post(f"/post/{post_id}/delete")
        self.assertIn(response.status_code, (302, 303), response.get_data(as_text=True))
        self.assertNotIn("Edited on site A", self.bobs_followed_timeline())
        with self.b.context():
            self.assertIsNone(db.session.get(Post, mirrored_id))

    def test_a_blocked_server_is_refused(self):
        with self.b.context():
            db.session.add(DomainBlock(domain="localhost"))
            db.session.commit()
        self.b.sign_in("bob")
        response = self.b.client.post("/federation/follow", data={"handle": f"@{self.alice}"})
        self.assertEqual(response.status_code, 200)  # B does not even ask a blocked server
        self.assertIn("cannot be followed", response.get_data(as_text=True))
        with self.a.context():  # and refuses what it sends: a signed Follow from alice
            from app.federation.addresses import actor_uri, key_id
            from app.federation.keys import key_of
            from app.federation.remote import signed_request

            alice = User.by_username("alice")
            with self.a._app.test_request_context():
                follow = {"id": f"{actor_uri(alice)}#follows/1", "type": "Follow",
                          "actor": actor_uri(alice),
                          "object": f"{self.b.base}/federation/users/bob"}
                status, body, _ = signed_request(
                    "POST", f"{self.b.base}/federation/inbox", key_id(alice),
                    key_of(alice).private_pem, body=json.dumps(follow).encode())
                db.session.commit()
        self.assertEqual(status, 403, body)
        with self.b.context():
            self.assertEqual(db.session.scalar(select(db.func.count(Follow.follower_id))), 0)

    def test_a_forged_signature_is_refused(self):
        forger = load_private_key(new_key_pair()[1])
        actor = f"{self.a.base}/federation/users/alice"
        follow = json.dumps({"id": f"{actor}#follows/forged", "type": "Follow", "actor": actor,
                             "object": f"{self.b.base}/federation/users/bob"}).encode()
        headers = sign("POST", f"{self.b.base}/federation/inbox", f"{actor}#main-key", forger,
                       body=follow)
        response = self.b.client.post("/federation/inbox", data=follow, headers=headers,
                                      content_type="application/activity+json")
        self.assertEqual(response.status_code, 401, response.get_data(as_text=True))
        self.assertIn("signature", json.loads(response.get_data())["message"])
        with self.b.context():
            self.assertEqual(db.session.scalar(select(db.func.count(Follow.follower_id))), 0)
            self.assertEqual(db.session.scalar(select(db.func.count(Delivery.id))), 0)
