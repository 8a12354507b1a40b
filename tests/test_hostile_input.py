"""Hostile input through the front door: scripts in everything people write,
redirects off the site, and forged cross-site POSTs on every route."""

import re
from base64 import b64encode
from urllib.parse import quote

from app import db
from app.models import Comment, Post, User
from tests.hostile import SEARCH_QUERIES, XSS, HostileTestCase, inspect, is_local

OPEN_REDIRECTS = [
    "//evil.com", "https://evil.com", "http://evil.com/", "javascript:alert(1)",
    "/\\evil.com", "\\\\evil.com", "%2F%2Fevil.com", "/%2F/evil.com", "///evil.com",
    "https:evil.com", "//evil.com@localhost", " //evil.com", "\t//evil.com",
    "/\t/evil.com", "data:text/html,<script>alert(1)</script>", "evil.com",
    "http://localhost@evil.com", "/%5Cevil.com", "/.//evil.com",
]


def basic_auth(email: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{email}:{password}".encode()).decode()}


class XssTestCase(HostileTestCase):
    """Every payload is written through the real forms, then every page (as
    the author and as a visitor) and the API are checked."""

    def write_everything(self, payload: str) -> None:
        self.client.post("/", data={"body": payload})
        self.client.post("/post/1", data={"body": payload})
        self.client.post("/edit-profile", data={
            "name": payload[:64], "location": payload[:64], "about_me": payload})

    def assertPagesSafe(self, client, label: str) -> int:
        checked = 0
        for path in self.page_paths():
            response = client.get(path, follow_redirects=True)
            self.assertLess(response.status_code, 500, path)
            if response.mimetype != "text/html":
                continue
            problems = inspect(response.get_data(as_text=True)).problems
            self.assertEqual(problems, [], f"{label} {path}")
            checked += 1
        return checked

    def test_payloads_in_posts_comments_and_profile(self):
        self.login_mallory()
        for payload in XSS:
            self.write_everything(payload)
        count = db.session.scalar(db.select(db.func.count(Post.id)))
        self.assertEqual(count, len(XSS) + 1, "the posts should have been saved")
        bodies = set(db.session.scalars(db.select(Comment.body)))
        self.assertTrue(set(XSS) <= bodies, "the comments should have been kept verbatim")
        self.assertGreater(self.assertPagesSafe(self.client, "author"), 5)
        self.assertGreater(self.assertPagesSafe(self.app.test_client(), "visitor"), 3)

    def test_payload_text_is_shown_escaped(self):
        self.login_mallory()
        self.write_everything('<b id="x">bold?</b> <script>alert(1)</script>')
        page = self.client.get("/user/mallory").get_data(as_text=True)
        self.assertNotIn("<script>alert(1)", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)

    def test_profile_fields_one_by_one(self):
        self.login_mallory()
        for payload in XSS:
            self.client.post("/edit-profile", data={
                "name": payload[:64], "location": payload[:64], "about_me": payload})
            user = db.session.get(User, self.mallory.id)
            db.session.refresh(user)
            self.assertEqual(user.name, payload[:64].strip())
            for path in ("/user/mallory", "/edit-profile", "/edit-profile/1", "/admin/users"):
                with self.subTest(payload=payload, path=path):
                    problems = inspect(self.client.get(path).get_data(as_text=True)).problems
                    self.assertEqual(problems, [])

    def test_usernames_with_markup_are_refused(self):
        for username in XSS:
            response = self.client.post("/auth/register", data={
                "email": "new@example.com", "username": username,
                "password": "a-long-password", "password2": "a-long-password"})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(inspect(response.get_data(as_text=True)).problems, [], username)
        self.assertIsNone(User.by_email("new@example.com"))

    def test_administrators_cannot_set_markup_usernames_either(self):
        self.login_mallory()
        for username in XSS:
            response = self.client.post(f"/edit-profile/{self.victim.id}", data={
                "email": "victim@example.com", "username": username, "role": "1",
                "name": username[:64], "location": "", "about_me": username})
            self.assertEqual(response.status_code, 200, username)
            self.assertEqual(inspect(response.get_data(as_text=True)).problems, [], username)
        db.session.refresh(self.victim)
        self.assertEqual(self.victim.username, "victim")

    def test_payloads_reflected_from_the_address(self):
        self.login_mallory()
        for payload in XSS:
            for path in (f"/user/{quote(payload, safe='')}",
                         f"/admin/users?q={quote(payload)}",
                         f"/followers/{quote(payload, safe='')}",
                         f"/?page={quote(payload)}", f"/search?q={quote(payload)}"):
                response = self.client.get(path)
                self.assertLess(response.status_code, 500, path)
                self.assertEqual(inspect(response.get_data(as_text=True)).problems, [], path)

    def test_preview_html_is_sanitised(self):
        self.login_mallory()
        for kind in ("post", "comment", "profile"):
            for payload in XSS:
                response = self.client.post("/preview", data={"kind": kind, "body": payload})
                self.assertEqual(response.status_code, 200, (kind, payload))
                self.assertEqual(inspect(response.get_json()["html"]).problems, [],
                                 (kind, payload))

    def test_api_returns_payloads_as_json_strings_and_sanitised_html(self):
        self.login_mallory()
        for payload in XSS:
            self.write_everything(payload)
        auth = basic_auth("victim@example.com", self.password)
        posts = self.client.get("/api/v1/posts/?per_page=100", headers=auth)
        comments = self.client.get("/api/v1/posts/1/comments/?per_page=100", headers=auth)
        for response, key in ((posts, "posts"), (comments, "comments")):
            self.assertEqual(response.mimetype, "application/json")
            self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
            items = response.get_json()[key]
            self.assertTrue(set(XSS) <= {item["body"] for item in items}, key)
            for item in items:
                self.assertEqual(inspect(item["body_html"] or "").problems, [], item["body"])
        user = self.client.get("/api/v1/users/1", headers=auth)
        self.assertEqual(user.mimetype, "application/json")
        self.assertNotIn(b"<script", user.data)


class SearchBoxTestCase(HostileTestCase):
    """The search box and the search API take anything (tests/hostile.py,
    SEARCH_QUERIES): each query answers results or an empty page, never an error
    page, and the page runs nothing of what was typed."""

    KINDS = (("posts", "relevance"), ("comments", "newest"), ("people", "relevance"))

    def setUp(self) -> None:
        super().setUp()
        for payload in XSS:  # something to find, markup included
            db.session.add(Post(body=f"found {payload} here", author=self.mallory))
            db.session.add(Comment(body=f"found {payload}", post=self.post, author=self.victim,
                                   disabled=True))
        db.session.commit()

    def assertSafePage(self, response, label: str) -> None:
        self.assertEqual(response.status_code, 200, label)
        self.assertEqual(inspect(response.get_data(as_text=True)).problems, [], label)

    def test_every_query_answers_a_page_for_every_kind(self):
        self.login_mallory()  # an administrator: disabled comments are found too
        visitor = self.app.test_client()
        for query in SEARCH_QUERIES:
            for kind, sort in self.KINDS:
                response = self.client.get("/search", query_string={
                    "q": query, "kind": kind, "sort": sort, "page": "1"})
                self.assertSafePage(response, f"{kind} {query[:40]!r}")
            self.assertSafePage(visitor.get("/search", query_string={"q": query}),
                                f"visitor {query[:40]!r}")

    def test_every_query_answers_the_api_for_every_kind(self):
        auth = basic_auth("victim@example.com", self.password)
        for query in SEARCH_QUERIES:
            for kind in ("posts", "comments", "users"):
                response = self.client.get("/api/v1/search/", headers=auth,
                                           query_string={"q": query, "kind": kind})
                label = f"{kind} {query[:40]!r}"
                self.assertEqual(response.status_code, 200, label)
                self.assertEqual(set(response.get_json()), {"results", "prev", "next", "count"},
                                 label)

    def test_markup_that_was_written_is_found_and_shown_escaped(self):
        self.login_mallory()
        for payload in XSS:
            for kind in ("posts", "comments"):
                response = self.client.get("/search", query_string={"q": payload, "kind": kind})
                self.assertSafePage(response, f"{kind} {payload!r}")
        page = self.client.get("/search?q=script+alert").get_data(as_text=True)
        self.assertIn("&lt;<mark>script</mark>&gt;<mark>alert</mark>(", page)


class OpenRedirectTestCase(HostileTestCase):
    def login_with_next(self, target: str):
        client = self.app.test_client()
        return client.post(f"/auth/login?next={quote(target, safe='')}", data={
            "email": "victim@example.com", "password": self.password})

    def test_foreign_next_goes_home(self):
        for target in OPEN_REDIRECTS + [quote(t, safe="") for t in OPEN_REDIRECTS]:
            with self.subTest(next=target):
                response = self.login_with_next(target)
                self.assertEqual(response.status_code, 302)
                location = response.headers["Location"]
                self.assertTrue(is_local(location), location)
                if not target.startswith(("/%", "/.")):  # local paths with odd characters
                    self.assertEqual(re.sub(r"^http://localhost", "", location), "/")

    def test_local_next_is_kept(self):
        self.assertRedirectsTo(self.login_with_next("/user/mallory?page=1"),
                               "/user/mallory?page=1")

    def test_role_change_next_stays_local(self):
        self.login_mallory()
        for target in OPEN_REDIRECTS:
            with self.subTest(next=target):
                response = self.client.post(f"/admin/users/{self.victim.id}/role",
                                            data={"role": "", "next": target})
                self.assertIn(response.status_code, (302, 303))
                self.assertTrue(is_local(response.headers["Location"]),
                                response.headers["Location"])


class CsrfTestCase(HostileTestCase):
    """Every POST route outside the API, found in the URL map (so routes added
    later are covered), refuses a request without this session's token."""

    config = {"WTF_CSRF_ENABLED": True}

    def session_token(self, client, path: str = "/auth/login") -> str:
        page = client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def login_with_token(self, client, email: str) -> None:
        token = self.session_token(client)
        response = client.post("/auth/login", data={
            "email": email, "password": self.password, "csrf_token": token})
        self.assertEqual(response.status_code, 302)

    def test_every_post_route_needs_the_token(self):
        self.login_with_token(self.client, "mallory@example.com")
        other = self.app.test_client()
        foreign_token = self.session_token(other)
        paths = self.post_paths()
        self.assertIn("/", paths)
        self.assertIn("/auth/login", paths)
        for path in paths + ["/auth/logout"]:
            for token in (None, "", "forged-token", foreign_token):
                with self.subTest(path=path, token=token):
                    data = {"body": "x"} if token is None else {"body": "x", "csrf_token": token}
                    response = self.client.post(path, data=data)
                    self.assertEqual(response.status_code, 400)
                    self.assertIn(b"CSRF", response.data)
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 1)

    def test_the_header_token_of_another_session_fails_too(self):
        self.login_with_token(self.client, "mallory@example.com")
        foreign_token = self.session_token(self.app.test_client())
        response = self.client.post("/", data={"body": "x"},
                                    headers={"X-CSRFToken": foreign_token})
        self.assertEqual(response.status_code, 400)

    def test_a_valid_token_is_accepted(self):
        self.login_with_token(self.client, "mallory@example.com")
        token = self.session_token(self.client, "/")
        response = self.client.post("/", data={"body": "with a token", "csrf_token": token})
        self.assertEqual(response.status_code, 302)

    def test_api_needs_no_token_but_never_uses_the_cookie(self):
        self.login_with_token(self.client, "mallory@example.com")
        response = self.client.post("/api/v1/posts/", json={"body": "riding the cookie"})
        self.assertEqual(response.status_code, 401)
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 1)


class CachedPagesDoNotLeakTestCase(HostileTestCase):
    """With page caching on, what one viewer may see (a disabled comment, a
    CSRF token) never reaches another viewer."""

    config = {"FLASKY_CACHE": True}
    secret = "This comment was disabled by a moderator."

    def setUp(self) -> None:
        super().setUp()
        post = db.session.get(Post, 1)
        db.session.add(Comment(body=self.secret, post=post, author=self.victim, disabled=True))
        db.session.commit()

    def visit_everything(self, client) -> str:
        responses = [client.get(path) for path in self.page_paths()]
        self.cache_hits += sum(r.headers.get("X-Flasky-Cache") == "hit" for r in responses)
        return "".join(response.get_data(as_text=True) for response in responses)

    def test_moderator_pages_then_visitors(self):
        self.cache_hits = 0
        self.login_mallory()
        moderator_pages = self.visit_everything(self.client)
        self.assertIn(self.secret, moderator_pages, "moderators read disabled comments")
        token = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"',
                          moderator_pages).group(1)
        visitor = self.app.test_client()
        member = self.app.test_client()
        member.post("/auth/login", data={"email": "victim@example.com",
                                         "password": self.password})
        for client in (visitor, member, visitor):
            pages = self.visit_everything(client)
            self.assertNotIn(self.secret, pages)
            self.assertNotIn(token, pages)
        self.assertGreater(self.cache_hits, 0, "the visitor's second round comes from the cache")

    def test_api_lists_per_role(self):
        moderator = basic_auth("mallory@example.com", self.password)
        member = basic_auth("victim@example.com", self.password)
        for path in ("/api/v1/posts/1/comments/", "/api/v1/comments/"):
            self.assertIn(self.secret, self.client.get(path, headers=moderator).get_data(
                as_text=True))
            self.assertNotIn(self.secret, self.client.get(path, headers=member).get_data(
                as_text=True))
