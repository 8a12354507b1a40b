"""Keeping the site safe: the administrators' block list of servers, and the
guard that keeps requests away from private and loopback addresses."""

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.federation.keys import new_key_pair
from app.federation.remote import Refused, check_url, signed_request
from app.models import AuditEntry, Comment, DomainBlock, Follow, Post, RemoteActor, User
from config import ConfigError
from tests.base import FlaskyTestCase
from tests.federation import RecordingServer, make_remote_account


class DomainBlockListTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.admin = self.create_user("root", role="Administrator")
        self.john = self.create_user("john")

    def test_only_administrators_see_the_list(self):
        self.login("john@example.com")
        self.assertEqual(self.client.get("/federation/admin/domains").status_code, 403)
        self.client.post("/auth/logout")
        self.login("root@example.com")
        page = self.client.get("/federation/admin/domains")
        self.assertEqual(page.status_code, 200)
        self.assertIn("No server is blocked.", page.get_data(as_text=True))

    def test_blocking_a_server_removes_its_accounts_and_what_they_wrote(self):
        actor, _ = make_remote_account("remy", "bad.example")
        other, _ = make_remote_account("olga", "good.example")
        post = Post(body="mine", author_id=self.john.id)
        db.session.add(post)
        db.session.flush()
        db.session.add_all([Comment(body="spam", post_id=post.id, author_id=actor.user_id),
                            Follow(follower_id=actor.user_id, followed_id=self.john.id),
                            Follow(follower_id=other.user_id, followed_id=self.john.id)])
        db.session.commit()
        self.login("root@example.com")
        page = self.client.get("/federation/admin/domains").get_data(as_text=True)
        self.assertIn("bad.example", page)
        response = self.client.post("/federation/admin/domains",
                                    data={"domain": "Bad.Example", "reason": "spam"},
                                    follow_redirects=True)
        self.assertIn("bad.example is blocked; 1 of its accounts was removed.",
                      response.get_data(as_text=True))
        self.assertIsNotNone(db.session.get(DomainBlock, "bad.example"))
        self.assertIsNone(User.by_username("remy@bad.example"))
        self.assertEqual(db.session.scalar(select(func.count(Comment.id))), 0)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Follow)), 1)
        self.assertEqual(db.session.scalar(select(func.count(RemoteActor.id))), 1)
        response = self.client.post("/federation/admin/domains/bad.example/unblock",
                                    follow_redirects=True)
        self.assertIn("bad.example is no longer blocked.", response.get_data(as_text=True))
        self.assertIsNone(db.session.get(DomainBlock, "bad.example"))
        logged = db.session.execute(select(AuditEntry.actor_name, AuditEntry.action,
                                           AuditEntry.target, AuditEntry.details)
                                    .order_by(AuditEntry.id)).all()
        self.assertEqual([tuple(row) for row in logged],
                         [("root", "block-domain", "domain:bad.example", "spam"),
                          ("root", "unblock-domain", "domain:bad.example", "")])

    def test_bad_entries_are_form_errors(self):
        self.login("root@example.com")
        for domain, message in (("", "This field is required"),
                                ("not a host", "host name"), ("localhost", "own host name"),
                                ("x" * 300, "253")):
            response = self.client.post("/federation/admin/domains", data={"domain": domain})
            self.assertEqual(response.status_code, 200, domain)
            self.assertIn(message, response.get_data(as_text=True), domain)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(DomainBlock)), 0)


class AddressGuardTestCase(FlaskyTestCase):
    config = {"FLASKY_FEDERATION_INSECURE_PEERS": False}

    def test_private_loopback_and_plain_http_addresses_are_refused(self):
        for url in ("http://93.184.216.34/inbox", "https://127.0.0.1/inbox",
                    "https://localhost/inbox", "https://[::1]/inbox", "https://10.1.2.3/",
                    "https://192.168.0.10/", "https://172.16.5.4/", "https://169.254.169.254/",
                    "https://0.0.0.0/", "https://[fd00::1]/", "https://[::ffff:127.0.0.1]/",
                    "https://user:pass@93.184.216.34/", "ftp://93.184.216.34/", "file:///etc",
                    "https:///nohost"):
            with self.assertRaises(Refused, msg=url):
                check_url(url)

    def test_a_public_address_passes(self):
        scheme, host, port, address = check_url("https://93.184.216.34:8443/inbox")
        self.assertEqual((scheme, host, port, address), ("https", "93.184.216.34", 8443,
                                                         "93.184.216.34"))


class InsecurePeersTestCase(FlaskyTestCase):
    def test_development_peers_are_allowed_in_tests_but_each_redirect_is_checked(self):
        server = RecordingServer(200)
        self.addCleanup(server.close)
        check_url(server.url)  # loopback and http:// allowed here (tests)
        server.redirect_to = "file:///etc/passwd"
        with self.assertRaises(Refused):
            signed_request("GET", f"{server.url}/actor", "https://x.example/a#k",
                           new_key_pair()[1])
        self.assertEqual(len(server.requests), 1)

    def test_production_refuses_to_start_with_insecure_peers(self):
        with self.assertRaisesRegex(ConfigError, "FLASKY_FEDERATION_INSECURE_PEERS"):
            create_app("production", overrides={
                "SECRET_KEY": "x" * 40, "FLASKY_FEDERATION_INSECURE_PEERS": True,
                "SQLALCHEMY_DATABASE_URI": "sqlite://"})
