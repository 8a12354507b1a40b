"""Hostile Markdown: bodies within the length limits built to make rendering
slow, its HTML huge, or its text vanish, sent through every way in."""

from base64 import b64encode

from app import db
from app.main.forms import ABOUT_ME_MAX_LENGTH
from app.models import Comment, Post, User
from tests.hostile import HostileTestCase, markdown_bombs


def basic_auth(email: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(f"{email}:{password}".encode()).decode()}


class MarkdownBombTestCase(HostileTestCase):
    """The costliest Markdown under each length limit is refused with a
    message, or becomes at most 20 times its length in HTML; never a 500."""

    LIMITS = {"post": Post.BODY_MAX_LENGTH, "comment": Comment.BODY_MAX_LENGTH,
              "profile": ABOUT_ME_MAX_LENGTH}

    def preview(self, kind: str, body: str):
        return self.client.post("/preview", data={"kind": kind, "body": body})

    def test_worst_bodies_are_refused_or_bounded(self):
        self.login_mallory()
        for kind, length in self.LIMITS.items():
            for name, body in markdown_bombs(length).items():
                with self.subTest(kind=kind, body=name):
                    response = self.preview(kind, body)
                    self.assertIn(response.status_code, (200, 400))
                    if response.status_code == 400:
                        self.assertRegex(response.get_json()["message"], r"^[A-Z].{20,}\.$")
                    else:
                        self.assertLessEqual(len(response.get_json()["html"]), 20 * len(body))

    def test_what_markdown_would_cut_off_is_refused(self):
        self.login_mallory()
        bombs = markdown_bombs(Post.BODY_MAX_LENGTH)
        for name in ("nested lists", "nested ordered lists", "nested quotes", "quote markers"):
            with self.subTest(body=name):
                response = self.preview("post", bombs[name])
                self.assertEqual(response.status_code, 400)
                self.assertIn("nested", response.get_json()["message"])

    def test_forms_show_the_refusal_and_keep_everything_as_it_was(self):
        self.login_mallory()
        table = markdown_bombs(Post.BODY_MAX_LENGTH)["wide table, empty rows"]
        references = markdown_bombs(Comment.BODY_MAX_LENGTH)["one reference, many uses"]
        profile = {"name": "", "location": "", "about_me": references}
        admin = {**profile, "email": "mallory@example.com", "username": "mallory",
                 "role": str(self.mallory.role_id)}
        for path, data, reason in (("/", {"body": table}, "columns"),
                                   ("/edit/1", {"body": table}, "columns"),
                                   ("/post/1", {"body": references}, "too large"),
                                   ("/edit-profile", profile, "too large"),
                                   ("/edit-profile/1", admin, "too large")):
            with self.subTest(path=path):
                response = self.client.post(path, data=data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(reason, response.get_data(as_text=True))
        self.assertEqual(db.session.scalars(db.select(Post.body)).all(), ["A first post."])
        self.assertEqual(db.session.scalar(db.select(db.func.count(Comment.id))), 1)
        self.assertIsNone(db.session.get(User, self.mallory.id).about_me)

    def test_the_api_refuses_with_a_json_error(self):
        auth = basic_auth("mallory@example.com", self.password)
        table = markdown_bombs(Post.BODY_MAX_LENGTH)["wide table, empty rows"]
        references = markdown_bombs(Comment.BODY_MAX_LENGTH)["one reference, many uses"]
        for method, path, body in (("POST", "/api/v1/posts/", table),
                                   ("PUT", "/api/v1/posts/1", table),
                                   ("POST", "/api/v1/posts/1/comments/", references)):
            with self.subTest(method=method, path=path):
                response = self.client.open(path, method=method, json={"body": body},
                                            headers=auth)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.get_json()["error"], "bad request")
                self.assertIn("'body' is refused: ", response.get_json()["message"])
        self.assertEqual(db.session.scalars(db.select(Post.body)).all(), ["A first post."])

    def test_posts_saved_before_the_limits_still_show(self):
        table = markdown_bombs(Post.BODY_MAX_LENGTH)["wide table, empty rows"]
        db.session.execute(db.update(Post).values(body=table, body_html="<p>kept as saved</p>"))
        db.session.commit()
        auth = basic_auth("victim@example.com", self.password)
        for path, headers in (("/", {}), ("/post/1", {}), ("/user/mallory", {}),
                              ("/api/v1/posts/1", auth)):
            with self.subTest(path=path):
                response = self.client.get(path, headers=headers)
                self.assertEqual(response.status_code, 200)
                self.assertIn("kept as saved", response.get_data(as_text=True))

    def test_generous_tables_lists_and_links_still_render(self):
        self.login_mallory()
        table = "|" + "|".join(f"h{n}" for n in range(32)) + "|\n" + "|-" * 32 + "|\n"
        table += ("|" + "|".join(str(n) for n in range(32)) + "|\n") * 60
        lists = "".join("  " * depth + f"- level {depth + 1}\n" for depth in range(8))
        quotes = "> " * 8 + "eight quotes deep"
        links = " ".join(f"[link {n}](https://example.com/{n})" for n in range(100))
        for body, last in ((table, "<td>31</td>"), (lists, "level 8"),
                           (quotes, "eight quotes deep"), (links, "link 99")):
            with self.subTest(body=body[:20]):
                response = self.preview("post", body)
                self.assertEqual(response.status_code, 200, response.get_json())
                self.assertIn(last, response.get_json()["html"])

    def test_table_cells_are_counted_over_all_tables(self):
        self.login_mallory()

        def table(rows: int) -> str:  # 25 columns, a header and ``rows`` - 1 short rows
            return "|h" * 25 + "|\n" + "|-" * 25 + "|\n" + "x\n" * (rows - 1)

        self.assertEqual(self.preview("post", table(100)).status_code, 200)  # 2,500 cells
        aligned = table(100).replace("|-", "|:-:")  # alignment styles, removed by cleaning
        self.assertEqual(self.preview("post", aligned).status_code, 200)
        for body in (table(101), table(50) + "\n" + table(51)):
            response = self.preview("post", body)
            self.assertEqual(response.status_code, 400)
            self.assertIn("2,500 cells", response.get_json()["message"])
        self.assertEqual(self.preview("post", table(50) + "\n" + table(50)).status_code, 200)

    def test_a_refusal_that_escapes_the_checks_is_a_400_not_a_500(self):
        table = markdown_bombs(Post.BODY_MAX_LENGTH)["wide table, empty rows"]

        def unchecked():
            db.session.add(Post(body=table, author=self.mallory))
            db.session.commit()
            return "saved"

        self.app.add_url_rule("/unchecked", view_func=unchecked)
        response = self.client.get("/unchecked")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Tables may have at most 32 columns.", response.get_data(as_text=True))
        self.assertEqual(db.session.scalar(db.select(db.func.count(Post.id))), 1)
