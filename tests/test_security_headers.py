"""Response headers, cookies, request size and proxy trust."""

from html.parser import HTMLParser

from app import db
from app.models import OutboxMail, Role, User
from app.security.headers import MOMENT_STYLE
from tests.base import FlaskyTestCase
from tests.hostile import disposable_app

PRODUCTION = {
    "SECRET_KEY": "a-real-secret-for-the-production-config-tests",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "RATELIMIT_ENABLED": False,
}


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineMarkupParser(HTMLParser):
    """Collects what a strict CSP would block: scripts without the nonce,
    inline event handlers, javascript: URLs and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.script_nonces: list[str | None] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self.javascript_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if name == "style":
                self.styles.append(value or "")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.javascript_urls.append(value or "")
        if tag == "script":
            self.script_nonces.append(dict(attrs).get("nonce"))


class SecurityHeadersTestCase(FlaskyTestCase):
    def test_hardening_headers_on_pages(self):
        response = self.client.get("/auth/login")
        headers = response.headers
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        self.assertEqual(headers["Referrer-Policy"], "strict-origin-when-cross-origin")
        self.assertIn("camera=()", headers["Permissions-Policy"])
        self.assertIn("geolocation=()", headers["Permissions-Policy"])
        self.assertNotIn("Strict-Transport-Security", headers)

    def test_headers_on_errors_and_json_too(self):
        for response in (self.client.get("/no-such-page"),
                         self.client.get("/api/v1/no-such-thing")):
            self.assertEqual(response.status_code, 404)
            self.assertIn("Content-Security-Policy", response.headers)
            self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")

    def test_content_security_policy(self):
        csp = parse_csp(self.client.get("/").headers["Content-Security-Policy"])
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertEqual(csp["img-src"], ["'self'", "data:"])
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])
        self.assertEqual(csp["form-action"], ["'self'"])
        self.assertEqual(csp["base-uri"], ["'self'"])
        self.assertNotIn("'unsafe-inline'", csp["script-src"])
        self.assertNotIn("'unsafe-eval'", csp["script-src"])
        self.assertNotIn("'unsafe-inline'", csp["style-src"])
        self.assertEqual(csp["style-src"], ["'self'", "'unsafe-hashes'", MOMENT_STYLE])

    def test_script_nonce_matches_the_page_and_changes(self):
        nonces = set()
        for _ in range(2):
            response = self.client.get("/auth/login")
            csp = parse_csp(response.headers["Content-Security-Policy"])
            nonce_sources = [s for s in csp["script-src"] if s.startswith("'nonce-")]
            self.assertEqual(len(nonce_sources), 1)
            nonce = nonce_sources[0][len("'nonce-"):-1]
            self.assertGreaterEqual(len(nonce), 16)
            parser = InlineMarkupParser()
            parser.feed(response.get_data(as_text=True))
            self.assertTrue(parser.script_nonces)
            self.assertEqual(set(parser.script_nonces), {nonce})
            nonces.add(nonce)
        self.assertEqual(len(nonces), 2)

    def test_cached_pages_carry_the_fresh_nonce(self):
        self.app.config["FLASKY_CACHE"] = True
        seen = []
        for _ in range(3):
            response = self.client.get("/")
            csp = parse_csp(response.headers["Content-Security-Policy"])
            nonce = next(s for s in csp["script-src"] if s.startswith("'nonce-"))[7:-1]
            parser = InlineMarkupParser()
            parser.feed(response.get_data(as_text=True))
            self.assertEqual(set(parser.script_nonces), {nonce})
            seen.append((nonce, response.headers.get("X-Flasky-Cache")))
        self.assertEqual(len({nonce for nonce, _ in seen}), 3)
        self.assertIn("hit", {state for _, state in seen})

    def test_gravatar_origin_only_when_gravatar_is_on(self):
        self.app.config["FLASKY_GRAVATAR"] = True
        csp = parse_csp(self.client.get("/").headers["Content-Security-Policy"])
        self.assertEqual(csp["img-src"], ["'self'", "data:", "https://secure.gravatar.com"])

    def test_a_view_may_set_its_own_policy(self):
        @self.app.route("/own-policy")
        def own_policy():
            return "x", 200, {"Content-Security-Policy": "default-src 'none'"}

        response = self.client.get("/own-policy")
        self.assertEqual(response.headers["Content-Security-Policy"], "default-src 'none'")


class StrictPagesTestCase(FlaskyTestCase):
    """Pages must work under the CSP: no inline handlers or styles, every
    script carries the nonce. Covers every argument-free GET page."""

    def page_paths(self) -> list[str]:
        paths = []
        for rule in self.app.url_map.iter_rules():
            if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(
                    ("/api/", "/static/", "/bootstrap/")):
                paths.append(rule.rule)
        return sorted(paths)

    def check_pages(self) -> int:
        checked = 0
        for path in self.page_paths():
            response = self.client.get(path, follow_redirects=True)
            self.assertLess(response.status_code, 500, path)
            if not response.mimetype == "text/html":
                continue
            parser = InlineMarkupParser()
            parser.feed(response.get_data(as_text=True))
            self.assertEqual(parser.handlers, [], path)
            self.assertEqual(parser.javascript_urls, [], path)
            self.assertTrue(all(style == "display: none" for style in parser.styles),
                            (path, parser.styles))
            self.assertNotIn(None, parser.script_nonces, path)
            checked += 1
        return checked

    def test_pages_as_anonymous(self):
        self.assertGreater(self.check_pages(), 2)

    def test_pages_as_administrator(self):
        self.create_user("admin", role="Administrator", about_me="**hello**")
        self.login("admin@example.com")
        self.assertGreater(self.check_pages(), 2)


class ProductionHeadersTestCase(FlaskyTestCase):
    def production_app(self, **overrides):
        app = disposable_app(self, "production", {**PRODUCTION, **overrides})
        with app.app_context():
            db.create_all()
            Role.insert_roles()
        return app

    def test_hsts_in_production(self):
        app = self.production_app()
        response = app.test_client().get("/auth/login")
        self.assertRegex(response.headers["Strict-Transport-Security"], r"^max-age=\d{7,}")

    def test_cookies_are_secure_httponly_and_lax_in_production(self):
        app = self.production_app(WTF_CSRF_ENABLED=False)
        with app.app_context():
            db.session.add(User(email="jo@example.com", username="jo", password="a-long-pass",
                                confirmed=True))
            db.session.commit()
        client = app.test_client()
        response = client.post("/auth/login", data={
            "email": "jo@example.com", "password": "a-long-pass", "remember_me": "y"})
        self.assertEqual(response.status_code, 302)
        cookies = {header.split("=", 1)[0]: header
                   for header in response.headers.getlist("Set-Cookie")}
        self.assertIn("session", cookies)
        self.assertIn("remember_token", cookies)
        for header in cookies.values():
            self.assertIn("; Secure", header)
            self.assertIn("; HttpOnly", header)
            self.assertIn("; SameSite=Lax", header)

    def test_cookies_are_httponly_and_lax_in_development_too(self):
        self.create_user()
        response = self.login(remember_me="y", follow_redirects=False)
        headers = response.headers.getlist("Set-Cookie")
        self.assertEqual(len(headers), 2)
        for header in headers:
            self.assertIn("; HttpOnly", header)
            self.assertIn("; SameSite=Lax", header)
            self.assertNotIn("; Secure", header)


class RequestSizeTestCase(FlaskyTestCase):
    too_big = "x" * (1024 * 1024 + 1)

    def test_oversized_form_is_a_413_page(self):
        response = self.client.post("/auth/login", data={"email": self.too_big})
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.mimetype, "text/html")
        self.assertIn(b"Too large", response.data)

    def test_oversized_json_is_a_413_json_error(self):
        response = self.client.post("/api/v1/posts/", data=self.too_big,
                                    content_type="application/json")
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.get_json()["error"], "request entity too large")


class ProxyTrustTestCase(FlaskyTestCase):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
                 "X-Forwarded-Host": "flasky.example.org"}

    def seen_by(self, app) -> str:
        @app.route("/whoami")
        def whoami():
            from flask import request

            return f"{request.remote_addr} {request.scheme} {request.host}"

        client = app.test_client()
        return client.get("/whoami", headers=self.forwarded,
                          environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_data(as_text=True)

    def test_forwarded_headers_ignored_by_default(self):
        app = disposable_app(self, "production", PRODUCTION)
        self.assertEqual(self.seen_by(app), "10.0.0.2 http localhost")

    def test_forwarded_headers_honoured_behind_a_trusted_proxy(self):
        app = disposable_app(self, "production", {**PRODUCTION, "FLASKY_TRUSTED_PROXIES": 1})
        self.assertEqual(self.seen_by(app), "203.0.113.9 https flasky.example.org")

    def test_only_the_trusted_number_of_hops_counts(self):
        app = disposable_app(self, "production", {**PRODUCTION, "FLASKY_TRUSTED_PROXIES": 1})
        self.forwarded = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
        self.assertTrue(self.seen_by(app).startswith("203.0.113.9 "))



class TrustedHostTestCase(FlaskyTestCase):
    """Links in mails are built from the Host header; with FLASKY_TRUSTED_HOSTS
    set, a forged host is refused before any mail can carry it."""

    def app_for(self, **overrides):
        app = disposable_app(self, "testing", {
            "FLASKY_TRUSTED_HOSTS": ["flasky.example.org"],
            "SQLALCHEMY_DATABASE_URI": "sqlite://", **overrides})
        with app.app_context():
            db.create_all()
            Role.insert_roles()
            db.session.add(User(email="jo@example.com", username="jo", password="a-long-pass"))
            db.session.commit()
        return app

    def mails(self, app) -> list[str]:
        with app.app_context():
            return list(db.session.scalars(db.select(OutboxMail.body_text)))

    def test_forged_host_is_refused_and_no_reset_mail_is_sent(self):
        app = self.app_for()
        client = app.test_client()
        for path in ("/", "/auth/login", "/api/v1/posts/"):
            response = client.get(path, headers={"Host": "evil.example"})
            self.assertEqual(response.status_code, 400, path)
        response = client.post("/auth/reset", data={"email": "jo@example.com"},
                               headers={"Host": "evil.example"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.mails(app), [])

    def test_reset_link_names_the_trusted_host(self):
        app = self.app_for()
        response = app.test_client().post("/auth/reset", data={"email": "jo@example.com"},
                                          headers={"Host": "flasky.example.org"})
        self.assertEqual(response.status_code, 302)
        [mail] = self.mails(app)
        self.assertIn("http://flasky.example.org/auth/reset/", mail)

    def test_behind_a_proxy_the_forwarded_host_is_checked(self):
        app = self.app_for(FLASKY_TRUSTED_PROXIES=1)
        client = app.test_client()
        forged = client.get("/", headers={"Host": "flasky.example.org",
                                          "X-Forwarded-Host": "evil.example"})
        self.assertEqual(forged.status_code, 400)
        proxied = client.get("/", headers={"Host": "127.0.0.1:8000",
                                           "X-Forwarded-Host": "flasky.example.org"})
        self.assertEqual(proxied.status_code, 200)

    def test_any_host_when_unset(self):
        response = self.client.get("/", headers={"Host": "anything.example"})
        self.assertEqual(response.status_code, 200)
