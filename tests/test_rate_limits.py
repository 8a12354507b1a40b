"""Abuse limits: who is counted, what is counted, and how a throttled client is told."""

import shutil
import socket
import subprocess
import time
import unittest
from base64 import b64encode
from unittest import mock

from app import db, limiter
from app.models import Post, Role
from app.security.rate_limits import COUNTED_METHODS, EVERY_METHOD_BLUEPRINTS
from tests.base import FlaskyTestCase
from tests.hostile import disposable_app

TIGHT = "3 per minute"


def basic_auth(username: str, password: str = "") -> dict[str, str]:
    credentials = b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


class RateLimitTestCase(FlaskyTestCase):
    """Limits on, tight, and counted in a fresh store for each test."""

    config = {
        "RATELIMIT_ENABLED": True,
        "FLASKY_RATELIMIT_LOGIN": TIGHT,
        "FLASKY_RATELIMIT_ACCOUNT_MAIL": TIGHT,
        "FLASKY_RATELIMIT_POSTING": TIGHT,
        "FLASKY_RATELIMIT_API_AUTH_FAILURES": TIGHT,
        "FLASKY_RATELIMIT_EDITING": TIGHT,
        "FLASKY_RATELIMIT_PREVIEW": TIGHT,
        "FLASKY_RATELIMIT_FOLLOWING": TIGHT,
    }

    def setUp(self) -> None:
        super().setUp()
        limiter.init_app(self.app)  # again, now that the limits are switched on

    def assertThrottled(self, response, json: bool = False) -> None:
        self.assertEqual(response.status_code, 429, response.data[:300])
        retry_after = int(response.headers["Retry-After"])
        self.assertTrue(1 <= retry_after <= 60, retry_after)
        if json:
            self.assertEqual(response.get_json()["error"], "too many requests")
        else:
            self.assertEqual(response.mimetype, "text/html")
            self.assertIn(b"Try again in about", response.data)

    def post_until_throttled(self, path: str, data: dict | None = None, **kwargs):
        """POST three times (all answered) and return the fourth answer."""
        if "json" not in kwargs:
            kwargs["data"] = data or {}
        for attempt in range(3):
            response = self.client.post(path, **kwargs)
            self.assertNotEqual(response.status_code, 429, f"{path} attempt {attempt + 1}")
        return self.client.post(path, **kwargs)


class LoginLimitTestCase(RateLimitTestCase):
    wrong = {"email": "john@example.com", "password": "not-the-password"}

    def test_login_posts_are_limited(self):
        self.create_user()
        self.assertThrottled(self.post_until_throttled("/auth/login", self.wrong))

    def test_the_right_password_is_throttled_too(self):
        self.create_user()
        self.post_until_throttled("/auth/login", self.wrong)
        self.assertThrottled(self.login(follow_redirects=False))

    def test_showing_the_login_page_is_never_limited(self):
        self.post_until_throttled("/auth/login", self.wrong)
        for _ in range(10):
            self.assertEqual(self.client.get("/auth/login").status_code, 200)

    def test_throttled_json_client_gets_json(self):
        response = self.post_until_throttled("/auth/login", self.wrong,
                                             headers={"Accept": "application/json"})
        self.assertThrottled(response, json=True)

    def test_each_address_is_counted_alone(self):
        self.post_until_throttled("/auth/login", self.wrong,
                                  environ_base={"REMOTE_ADDR": "192.0.2.1"})
        other = self.client.post("/auth/login", data=self.wrong,
                                 environ_base={"REMOTE_ADDR": "192.0.2.2"})
        self.assertEqual(other.status_code, 200)

    def test_forged_forwarded_for_does_not_escape_the_limit(self):
        self.post_until_throttled("/auth/login", self.wrong,
                                  headers={"X-Forwarded-For": "198.51.100.1"})
        response = self.client.post("/auth/login", data=self.wrong,
                                    headers={"X-Forwarded-For": "198.51.100.2"})
        self.assertThrottled(response)

    def test_behind_a_trusted_proxy_each_client_is_counted_alone(self):
        app = disposable_app(self, "testing", {
            **self.config, "FLASKY_TRUSTED_PROXIES": 1, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        client = app.test_client()
        with app.app_context():
            db.create_all()
        for _ in range(3):
            client.post("/auth/login", data=self.wrong, headers={"X-Forwarded-For": "198.51.100.1"})
        first = client.post("/auth/login", data=self.wrong,
                            headers={"X-Forwarded-For": "198.51.100.1"})
        second = client.post("/auth/login", data=self.wrong,
                             headers={"X-Forwarded-For": "198.51.100.2"})
        self.assertEqual((first.status_code, second.status_code), (429, 200))

    def test_limits_are_off_unless_enabled(self):
        app = disposable_app(self, "testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
        client = app.test_client()
        with app.app_context():
            db.create_all()
            for _ in range(6):
                self.assertEqual(client.post("/auth/login", data=self.wrong).status_code, 200)


class FormLimitsTestCase(RateLimitTestCase):
    def test_every_limited_form(self):
        john = self.create_user()
        post = Post(body="first", author=john)
        db.session.add(post)
        db.session.commit()
        anonymous = ["/auth/register", "/auth/reset"]
        logged_in = ["/auth/change-password", "/auth/change_email", "/", f"/post/{post.id}",
                     f"/edit/{post.id}", "/preview"]
        for path in anonymous + logged_in:
            with self.subTest(path=path):
                limiter.reset()
                self.client = self.app.test_client()
                if path in logged_in:
                    self.login()
                self.assertThrottled(self.post_until_throttled(path))

    def test_resend_confirmation(self):
        self.create_user(confirmed=False)
        self.login()
        self.assertThrottled(self.post_until_throttled("/auth/confirm"))


class PostingLimitTestCase(RateLimitTestCase):
    def test_posting_is_counted_per_user_not_per_address(self):
        self.create_user("john")
        self.create_user("susan")
        self.login("john@example.com")
        for number in range(3):
            response = self.client.post("/", data={"body": f"post {number}"},
                                        environ_base={"REMOTE_ADDR": f"192.0.2.{number}"})
            self.assertEqual(response.status_code, 302)
        self.assertThrottled(self.client.post("/", data={"body": "one more"},
                                              environ_base={"REMOTE_ADDR": "192.0.2.99"}))
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 3)
        susan = self.app.test_client()
        susan.post("/auth/login", data={"email": "susan@example.com", "password": self.password})
        self.assertEqual(susan.post("/", data={"body": "hers"}).status_code, 302)

    def test_api_posts_and_comments(self):
        self.create_user()
        credentials = basic_auth("john@example.com", self.password)
        for number in range(3):
            response = self.client.post("/api/v1/posts/", json={"body": f"post {number}"},
                                        headers=credentials)
            self.assertEqual(response.status_code, 201)
        self.assertThrottled(self.client.post("/api/v1/posts/", json={"body": "more"},
                                              headers=credentials), json=True)
        # Posts and comments, pages and API, share one allowance per user.
        post_id = db.session.scalar(db.select(Post.id).limit(1))
        self.assertThrottled(self.client.post(f"/api/v1/posts/{post_id}/comments/",
                                              json={"body": "hi"}, headers=credentials),
                             json=True)
        self.login()
        self.assertThrottled(self.client.post(f"/post/{post_id}", data={"body": "hi"}))
        self.assertThrottled(self.client.post("/", data={"body": "and on the page"}))


class ApiAuthenticationLimitTestCase(RateLimitTestCase):
    def test_token_issue_is_limited(self):
        self.create_user()
        credentials = basic_auth("john@example.com", self.password)
        response = self.post_until_throttled("/api/v1/tokens/", headers=credentials)
        self.assertThrottled(response, json=True)

    def test_failed_authentications_are_limited_on_every_endpoint(self):
        self.create_user()
        wrong = basic_auth("john@example.com", "not-the-password")
        for path in ("/api/v1/posts/", "/api/v1/users/1", "/api/v1/comments/"):
            self.assertEqual(self.client.get(path, headers=wrong).status_code, 401)
        right = basic_auth("john@example.com", self.password)
        self.assertThrottled(self.client.get("/api/v1/posts/", headers=right), json=True)
        elsewhere = self.client.get("/api/v1/posts/", headers=right,
                                    environ_base={"REMOTE_ADDR": "192.0.2.7"})
        self.assertEqual(elsewhere.status_code, 200)

    def test_successful_calls_are_not_counted(self):
        self.create_user()
        right = basic_auth("john@example.com", self.password)
        for _ in range(8):
            self.assertEqual(self.client.get("/api/v1/posts/", headers=right).status_code, 200)


class ReadsTestCase(RateLimitTestCase):
    """Reads no limit counts skip the limiter (``counted_by_no_limit``): that holds
    only while every limit counts writes, or every method on the blueprints it names."""

    def test_every_limit_counts_what_the_read_filter_says(self):
        manager = limiter.limit_manager
        counted = {method.lower() for method in COUNTED_METHODS}
        route_limits = [limit for limits in manager._decorated_limits.values() for limit in limits]
        self.assertGreater(len(route_limits), 5)  # the limits were found where they live
        for limit in route_limits:
            self.assertTrue(limit.methods, f"{limit.limit_provider} counts every method")
            self.assertLessEqual(set(limit.methods), counted, limit.limit_provider)
        self.assertLessEqual(set(manager._blueprint_limits), EVERY_METHOD_BLUEPRINTS)

    def test_pages_are_never_limited_but_writes_and_api_failures_are(self):
        for _ in range(6):
            self.assertEqual(self.client.get("/auth/login").status_code, 200)
            self.assertEqual(self.client.get("/").status_code, 200)
        self.assertThrottled(self.post_until_throttled("/auth/login"))

    def test_a_deployments_default_limit_counts_reads_too(self):
        app = disposable_app(self, "testing", {**self.config, "RATELIMIT_DEFAULT": "2 per minute"})
        limiter.init_app(app)
        # Flask-Limiter keeps default limits once set: the next tests must not have them.
        self.addCleanup(limiter.limit_manager.set_default_limits, [])
        client = app.test_client()
        with app.app_context():
            db.create_all()
        statuses = [client.get("/auth/login").status_code for _ in range(3)]
        self.assertEqual(statuses, [200, 200, 429])


class EqualCostLoginTestCase(FlaskyTestCase):
    """Unknown emails and wrong passwords both run one password hash check of
    the same method, so their answers take the same time (not timed here:
    counted)."""

    def hash_checks(self, email: str, api: bool = False) -> list[str]:
        from werkzeug.security import check_password_hash

        checks: list[str] = []

        def counting(pwhash: str, password: str) -> bool:
            checks.append(pwhash.split("$", 1)[0])
            return check_password_hash(pwhash, password)

        with mock.patch("app.models.user.check_password_hash", counting):
            if api:
                response = self.client.get("/api/v1/posts/",
                                           headers=basic_auth(email, "not-the-password"))
                self.assertEqual(response.status_code, 401)
            else:
                response = self.client.post("/auth/login", data={
                    "email": email, "password": "not-the-password"})
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"Invalid email or password", response.data)
        return checks

    def test_unknown_email_and_wrong_password_cost_the_same(self):
        self.create_user()
        for api in (False, True):
            unknown = self.hash_checks("nobody@example.com", api)
            wrong_password = self.hash_checks("john@example.com", api)
            self.assertEqual(len(unknown), 1)
            self.assertEqual(unknown, wrong_password)
            self.assertEqual(unknown[0], self.app.config["FLASKY_PASSWORD_HASH_METHOD"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@unittest.skipUnless(shutil.which("redis-server"), "redis-server is not installed")
class RedisStorageTestCase(unittest.TestCase):
    """With RATELIMIT_STORAGE_URI set, counts live in Redis and survive the
    process (here: a new app), so several workers share one allowance."""

    def setUp(self) -> None:
        import redis

        self.port = free_port()
        self.server = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self._stop_server)
        connection = redis.Redis(port=self.port)
        self.addCleanup(connection.close)
        deadline = time.monotonic() + 10
        while True:
            try:
                connection.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    self.fail("redis-server did not start")
                time.sleep(0.05)

    def _stop_server(self) -> None:
        if self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=10)

    def worker(self, storage_uri: str):
        app = disposable_app(self, "testing", {
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri,
            "FLASKY_RATELIMIT_LOGIN": TIGHT, "SQLALCHEMY_DATABASE_URI": "sqlite://",
        })
        with app.app_context():
            db.create_all()
            Role.insert_roles()
        return app.test_client()

    def post_login(self, client) -> int:
        return client.post("/auth/login", data={"email": "x@example.com",
                                                "password": "wrong-password"}).status_code

    def test_workers_share_counts_in_redis(self):
        uri = f"redis://127.0.0.1:{self.port}/0"
        first = self.worker(uri)
        self.assertEqual([self.post_login(first) for _ in range(3)], [200] * 3)
        second = self.worker(uri)
        self.assertEqual(self.post_login(second), 429)

    def test_unreachable_store_falls_back_to_memory(self):
        self._stop_server()
        # The limiter object is shared by every app in this process; let later
        # tests start with a live store again.
        self.addCleanup(setattr, limiter, "_storage_dead", False)
        client = self.worker(f"redis://127.0.0.1:{self.port}/0")
        with self.assertLogs(level="WARNING"):
            self.assertEqual([self.post_login(client) for _ in range(3)], [200] * 3)
            self.assertEqual(self.post_login(client), 429)
            response = client.get("/api/v1/posts/", headers=basic_auth("x@example.com", "bad"))
        self.assertEqual(response.status_code, 401)

    def test_memory_counts_are_per_worker(self):
        first = self.worker("memory://")
        self.assertEqual([self.post_login(first) for _ in range(3)], [200] * 3)
        self.assertEqual(self.post_login(self.worker("memory://")), 200)
