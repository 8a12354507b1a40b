"""Hostile requests: broken encodings, huge and NUL-laden fields, SQL
metacharacters in every form and lookup, absurd ids and page numbers.
None may give a 500 or reveal someone else's data."""

from base64 import b64encode
from urllib.parse import quote

from app import db
from app.models import Post, User
from tests.hostile import BIG_INT, SQL, XSS, HostileTestCase, inspect

BAD_PAGES = ["-1", "0", "abc", BIG_INT, "1e3", "", "1.5", "0x10", "%00", "9" * 400]
BAD_IDS = [BIG_INT, str(2**63), str(2**63 - 1), str(2**31), "0"]
INVALID_UTF8 = [b"\xff\xfe\xfd", b"\xc0\xaf", b"\xed\xa0\x80", b"caf\xe9", b"\x80abc"]


def basic_auth(email: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{email}:{password}".encode()).decode()}


class FormFuzzTestCase(HostileTestCase):
    """Each form found on the pages is sent with every text field set to a
    hostile value, logged in as an Administrator so no form is out of reach."""

    def forms(self, method: str = "post") -> list[tuple[str, dict]]:
        found = {}
        for path in self.page_paths():
            page = self.client.get(path).get_data(as_text=True)
            for form in inspect(page).forms:
                if form["method"] == method and form["text"]:
                    action = form["action"] or path
                    found.setdefault((action, tuple(form["text"])), form)
        return [(action, form) for (action, _), form in sorted(found.items())]

    def send_everywhere(self, value: str) -> int:
        sent = 0
        for action, form in self.forms():
            data = {**form["fixed"], **{name: value for name in form["text"]}}
            response = self.client.post(action, data=data)
            self.assertLess(response.status_code, 500, (action, value[:40]))
            sent += 1
            if not self.logged_in():  # a changed password or email ends the session
                self.login_mallory()
        return sent

    def logged_in(self) -> bool:
        return self.client.get("/auth/change-password").status_code == 200

    def test_sql_metacharacters_in_every_form(self):
        self.login_mallory()
        for value in SQL:
            self.assertGreater(self.send_everywhere(value), 5)
        self.assertEqual(db.session.scalar(db.select(db.func.count(User.id))), 2)

    def test_search_forms(self):
        self.login_mallory()
        forms = self.forms("get")
        self.assertTrue(forms, "the user list has a search form")
        for action, form in forms:
            for value in SQL + XSS[:3] + ["x" * 5000, "\u202e"]:
                query = {**form["fixed"], **{name: value for name in form["text"]}}
                response = self.client.get(action, query_string=query)
                self.assertLess(response.status_code, 500, (action, value[:40]))
                self.assertEqual(inspect(response.get_data(as_text=True)).problems, [])

    def test_xss_and_huge_values_in_every_form(self):
        self.login_mallory()
        for value in XSS[:3] + ["x" * 100_000, "é" * 60_000, " ", "\u202e\u200b\ufeff"]:
            self.send_everywhere(value)

    def test_nul_characters_are_refused(self):
        self.login_mallory()
        for action, form in self.forms():
            data = {**form["fixed"], **{name: "a\x00b" for name in form["text"]}}
            self.assertEqual(self.client.post(action, data=data).status_code, 400, action)
        for path in ("/user/mal%00lory", "/?page=1%00", "/admin/users?q=%00"):
            self.assertEqual(self.client.get(path).status_code, 400, path)
        response = self.client.post("/api/v1/posts/", data='{"body": "a\\u0000b"}',
                                    content_type="application/json",
                                    headers=basic_auth("mallory@example.com", self.password))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 1)
        writing_about_it = '{"body": "JSON writes NUL as \\\\u0000"}'
        response = self.client.post("/api/v1/posts/", data=writing_about_it,
                                    content_type="application/json",
                                    headers=basic_auth("mallory@example.com", self.password))
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.get_json()["body"], "JSON writes NUL as \\u0000")


class RawBodyTestCase(HostileTestCase):
    def test_invalid_utf8_form_bodies_on_every_post_route(self):
        self.login_mallory()
        for path in self.post_paths():
            for raw in INVALID_UTF8:
                body = b"body=" + raw + b"&name=" + raw + b"&email=" + raw + b"%FF&q=%C0%AF"
                response = self.client.post(path, data=body,
                                            content_type="application/x-www-form-urlencoded")
                self.assertLess(response.status_code, 500, (path, raw))

    def test_invalid_utf8_in_addresses(self):
        self.login_mallory()
        for path in ("/user/%FF%FE", "/followers/%C0%AF", "/?page=%FF", "/admin/users?q=%ED%A0%80",
                     "/post/1?page=%80"):
            self.assertLess(self.client.get(path).status_code, 500, path)

    def test_broken_bodies_to_the_api(self):
        auth = basic_auth("mallory@example.com", self.password)
        bodies = [b"\xff\xfe{", b'{"body": "\xff"}', b"[]", b"null", b'{"body": 1}',
                  b'{"body": ["x"]}', b'{"body": {"$gt": ""}}', b"{" * 10_000,
                  b'{"body": "x", "author_id": 2}', b'{"body": "' + b"x" * 900_000 + b'"}']
        for path in ("/api/v1/posts/", "/api/v1/posts/1/comments/", "/api/v1/tokens/"):
            for body in bodies:
                response = self.client.post(path, data=body, content_type="application/json",
                                            headers=auth)
                self.assertLess(response.status_code, 500, (path, body[:30]))
                self.assertEqual(response.mimetype, "application/json")
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 1)


class LookupTestCase(HostileTestCase):
    def test_sql_metacharacters_in_lookups_find_nobody(self):
        self.login_mallory()
        for value in SQL + ["mallory' --", "MALLORY%", "m_llory"]:
            for path in ("/user/{}", "/followers/{}", "/followed_by/{}"):
                response = self.client.get(path.format(quote(value, safe="")))
                self.assertEqual(response.status_code, 404, (path, value))

    def test_admin_search_takes_metacharacters_literally(self):
        self.login_mallory()
        for value in ("%", "_", "' OR 1=1 --", "%llory", "m_llory"):
            page = self.client.get(f"/admin/users?q={quote(value)}").get_data(as_text=True)
            self.assertNotIn("victim@example.com", page, value)
            self.assertIn("0 users found", page, value)
        page = self.client.get("/admin/users?q=ICTI").get_data(as_text=True)
        self.assertIn("victim@example.com", page)

    def test_login_and_reset_with_metacharacters(self):
        for value in SQL + ["mallory@example.com' --", "%@example.com"]:
            client = self.app.test_client()
            response = client.post("/auth/login", data={"email": value, "password": value})
            self.assertEqual(response.status_code, 200, value)
            self.assertEqual(client.get("/auth/change-password").status_code, 302)
            response = client.post("/auth/reset", data={"email": value})
            self.assertLess(response.status_code, 500, value)


class NumbersTestCase(HostileTestCase):
    def test_absurd_ids_on_every_route(self):
        self.login_mallory()
        auth = basic_auth("mallory@example.com", self.password)
        for rule in self.app.url_map.iter_rules():
            if "id" not in rule.arguments:
                continue
            for number in BAD_IDS:
                path = rule.rule.replace("<int:id>", number)
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    response = self.client.open(path, method=method, headers=auth)
                    self.assertLess(response.status_code, 500, (method, path))
                    if number != "0":
                        self.assertIn(response.status_code, (400, 404, 405), (method, path))

    def test_bad_page_numbers_on_every_page(self):
        self.login_mallory()
        auth = basic_auth("mallory@example.com", self.password)
        for path in self.page_paths() + self.page_paths(api=True):
            for page in BAD_PAGES:
                for name in ("page", "per_page"):
                    response = self.client.get(f"{path}?{name}={page}", headers=auth)
                    self.assertLess(response.status_code, 500, f"{path}?{name}={page}")


class ForgedCredentialsTestCase(HostileTestCase):
    JUNK = ["x", "' OR 1=1 --", "%", "_", "<script>alert(1)</script>", "é" * 50, "a." * 2000,
            "eyJ1c2VyIjoxfQ.ZZZ.ZZZ", "null", "."]

    def test_junk_in_every_token_link(self):
        self.login_mallory()
        rules = [rule for rule in self.app.url_map.iter_rules() if "token" in rule.arguments]
        self.assertGreaterEqual(len(rules), 3)
        for rule in rules:
            for junk in self.JUNK:
                path = rule.rule.replace("<token>", quote(junk, safe=""))
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    response = self.client.open(path, method=method, data={
                        "password": "the-attackers-pass", "password2": "the-attackers-pass"})
                    self.assertLess(response.status_code, 500, (method, path[:60]))
        user = db.session.get(User, self.mallory.id)
        db.session.refresh(user)
        self.assertEqual(user.email, "mallory@example.com")
        self.assertTrue(user.verify_password(self.password))

    def test_malformed_authorization_headers(self):
        headers = ["Basic", "Basic !!!", "Basic " + b64encode(b"\xff\xfe:\xfd").decode(),
                   "Basic " + b64encode(b"no-colon").decode(), "Bearer x", "Basic " + "A" * 5000,
                   "Basic " + b64encode(b"mallory@example.com:" + b"\xff").decode()]
        for header in headers:
            response = self.client.get("/api/v1/posts/", headers={"Authorization": header})
            self.assertEqual(response.status_code, 401, header[:40])
            self.assertEqual(response.mimetype, "application/json")

    def test_forged_cookies_are_ignored(self):
        for name in ("session", "remember_token", "show_followed"):
            for value in ("garbage", "1|" + "a" * 128, "eyJfdXNlcl9pZCI6IjEifQ.x.y", "\"'<>"):
                client = self.app.test_client()
                client.set_cookie(name, value)
                self.assertEqual(client.get("/").status_code, 200, (name, value))
                self.assertEqual(client.get("/auth/change-password").status_code, 302,
                                 (name, value))
