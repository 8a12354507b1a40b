"""FLASKY_TRUSTED_HOSTS names hosts *and* ports: another port of a trusted
host is refused like another host."""

from app import create_app, db
from app.models import OutboxMail
from app.security.hosts import host_is_trusted
from tests.base import FlaskyTestCase
from tests.hostile import disposable_app


class HostMatchingTestCase(FlaskyTestCase):
    def test_an_entry_without_a_port_allows_only_the_default_port(self):
        entries = ["localhost", ".flasky.example.org"]
        for host, scheme in (("localhost", "http"), ("LocalHost", "http"),
                             ("www.flasky.example.org", "https"), ("flasky.example.org", "http")):
            with self.subTest(host=host):
                self.assertTrue(host_is_trusted(host, scheme, entries))
        for host in ("localhost:6666", "localhost:443", "localhost:80x", "evil.example",
                     "flasky.example.org:8443", "evilflasky.example.org", ""):
            with self.subTest(host=host):
                self.assertFalse(host_is_trusted(host, "http", entries))

    def test_an_entry_with_a_port_allows_that_port(self):
        entries = ["flasky.example.org:8443", "[::1]:5000", "localhost:443"]
        self.assertTrue(host_is_trusted("flasky.example.org:8443", "https", entries))
        self.assertTrue(host_is_trusted("[::1]:5000", "http", entries))
        self.assertTrue(host_is_trusted("localhost", "https", entries))  # 443 is https' default
        self.assertFalse(host_is_trusted("flasky.example.org", "https", entries))
        self.assertFalse(host_is_trusted("[::1]", "http", entries))
        self.assertFalse(host_is_trusted("localhost", "http", entries))


class TrustedPortTestCase(FlaskyTestCase):
    config = {"FLASKY_TRUSTED_HOSTS": ["localhost"]}

    def setUp(self) -> None:
        super().setUp()
        self.create_user("jo")

    def test_another_port_of_a_trusted_host_is_refused(self):
        response = self.client.get("/", headers={"Host": "localhost:6666"})
        self.assertEqual(response.status_code, 400)
        response = self.client.post("/auth/reset", data={"email": "jo@example.com"},
                                    headers={"Host": "localhost:6666"})
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(db.session.scalar(db.select(OutboxMail)))

    def test_the_trusted_host_on_its_default_port_is_served(self):
        for host in ("localhost", "localhost:80"):
            self.assertEqual(self.client.get("/", headers={"Host": host}).status_code, 200)

    def test_behind_a_proxy_the_forwarded_port_is_checked(self):
        app = disposable_app(self, "testing", {"FLASKY_TRUSTED_HOSTS": ["flasky.example.org"],
                                               "FLASKY_TRUSTED_PROXIES": 1})
        client = app.test_client()
        path = "/api/v1/openapi.json"
        forged = client.get(path, headers={"X-Forwarded-Host": "flasky.example.org",
                                           "X-Forwarded-Port": "6666"})
        self.assertEqual(forged.status_code, 400)
        proxied = client.get(path, headers={"X-Forwarded-Host": "flasky.example.org",
                                            "X-Forwarded-Proto": "https"})
        self.assertEqual(proxied.status_code, 200)

    def test_a_mistyped_entry_stops_the_start(self):
        with self.assertRaises(ValueError):
            create_app("testing", {"FLASKY_TRUSTED_HOSTS": ["flasky.example.org:https"]})
