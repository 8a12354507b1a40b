"""Drafts: saved beside Publish and by the autosave, seen by their author only
(pages, API, search, counts), dated when published."""

from datetime import timedelta

from sqlalchemy import func, select

from app import db
from app.models import Comment, Post, utcnow
from app.queries import post_counts
from app.search import counts, search
from tests.test_api_base import ApiTestCase


class DraftTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")
        self.other = self.create_user("susan")
        self.admin = self.create_user("root", role="Administrator")

    def draft(self, body: str = "Secret words", title: str | None = None) -> Post:
        post = Post(body=body, title=title, author=self.author, draft=True,
                    timestamp=utcnow() - timedelta(days=3))
        db.session.add(post)
        db.session.commit()
        return post

    def page(self, path: str, client=None) -> str:
        response = (client or self.client).get(path)
        return response.get_data(as_text=True)


class DraftPagesTestCase(DraftTestCase):
    def test_save_draft_beside_publish_keeps_it_to_the_author(self):
        self.login()
        home = self.page("/")
        self.assertIn('value="Save draft"', home)
        self.assertIn('value="Publish"', home)
        response = self.client.post("/", data={"title": "Half done", "body": "Secret words",
                                               "save_draft": "Save draft"})
        post = db.session.scalar(select(Post))
        self.assertTrue(post.draft)
        self.assertRedirectsTo(response, f"/edit/{post.id}")
        self.assertIn("Half done", self.page("/drafts"))
        self.assertNotIn("Secret words", self.page("/"))
        self.assertEqual(self.client.get(f"/post/{post.id}").status_code, 200)

    def test_nobody_else_sees_a_draft_anywhere_on_the_pages(self):
        post = self.draft(title="Hidden title")
        for who in (None, "susan@example.com", "root@example.com"):
            self.logout()
            if who:
                self.login(who)
            for path in ("/", "/user/john", "/search?q=secret", "/drafts"):
                response = self.client.get(path)
                self.assertNotIn("Secret words", response.get_data(as_text=True), (who, path))
            self.assertEqual(self.client.get(f"/post/{post.id}").status_code, 404, who)
            self.assertEqual(self.client.get(f"/post/{post.id}/hidden-title").status_code,
                             404, who)
        self.logout()
        self.login("root@example.com")
        self.assertEqual(self.client.get(f"/edit/{post.id}").status_code, 404)

    def test_publishing_dates_the_post_now(self):
        post = self.draft()
        started = post.timestamp
        self.login()
        edit = self.page(f"/edit/{post.id}")
        self.assertIn("data-autosave-for", edit)
        response = self.client.post(f"/edit/{post.id}", data={"body": "Ready now",
                                                              "submit": "Publish"})
        self.assertRedirectsTo(response, f"/post/{post.id}")
        db.session.refresh(post)
        self.assertFalse(post.draft)
        self.assertGreater(post.timestamp, started + timedelta(days=2))
        self.logout()
        self.assertIn("Ready now", self.page("/"))

    def test_saving_a_draft_from_its_page_keeps_it_a_draft(self):
        post = self.draft()
        self.login()
        response = self.client.post(f"/edit/{post.id}", data={"body": "More words",
                                                              "save_draft": "Save draft"})
        self.assertRedirectsTo(response, f"/edit/{post.id}")
        db.session.refresh(post)
        self.assertEqual((post.draft, post.body), (True, "More words"))

    def test_a_published_post_has_no_draft_button(self):
        post = Post(body="Out there", author=self.author)
        db.session.add(post)
        db.session.commit()
        self.login()
        edit = self.page(f"/edit/{post.id}")
        self.assertNotIn("Save draft", edit)
        self.assertNotIn("data-autosave-for", edit)

    def test_drafts_take_no_comments(self):
        post = self.draft()
        self.login()
        response = self.client.post(f"/post/{post.id}", data={"body": "me first"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Comment)), 0)


class AutosaveTestCase(DraftTestCase):
    def test_autosave_starts_a_draft_then_continues_it_and_publish_uses_it(self):
        self.login()
        headers = {"Accept": "application/json"}
        first = self.client.post("/drafts/autosave", data={"body": "Typing", "title": ""},
                                 headers=headers)
        self.assertEqual(first.status_code, 200, first.json)
        draft_id = first.json["id"]
        self.assertEqual(first.json["edit_url"], f"/edit/{draft_id}")
        again = self.client.post("/drafts/autosave", headers=headers, data={
            "body": "Typing more", "draft_id": str(draft_id)})
        self.assertEqual(again.json["id"], draft_id)
        self.client.post("/", data={"body": "Typing done", "draft_id": str(draft_id),
                                    "submit": "Publish"})
        posts = db.session.scalars(select(Post)).all()
        self.assertEqual([(p.id, p.body, p.draft) for p in posts],
                         [(draft_id, "Typing done", False)])

    def test_autosave_never_touches_someone_elses_post(self):
        theirs = Post(body="Susan's", author=self.other, draft=True)
        db.session.add(theirs)
        db.session.commit()
        self.login()
        response = self.client.post("/drafts/autosave", headers={"Accept": "application/json"},
                                    data={"body": "Mine", "draft_id": str(theirs.id)})
        self.assertNotEqual(response.json["id"], theirs.id)
        db.session.refresh(theirs)
        self.assertEqual(theirs.body, "Susan's")

    def test_bad_autosaves_are_json_errors(self):
        self.login()
        for data in ({"body": ""}, {"body": "x" * 10_001}, {"body": "ok", "title": "t" * 201},
                     {"body": "ok", "draft_id": "9" * 40}):
            response = self.client.post("/drafts/autosave", data=data,
                                        headers={"Accept": "application/json"})
            if data.get("draft_id"):  # an id that is no draft starts a new one
                self.assertEqual(response.status_code, 200)
                continue
            self.assertEqual(response.status_code, 400, data)
            self.assertTrue(response.json["message"])
        self.assertEqual(db.session.scalar(select(func.count()).select_from(Post)), 1)

    def test_autosave_needs_a_writer(self):
        self.assertEqual(self.client.post("/drafts/autosave", data={"body": "x"}).status_code,
                         302)


class DraftVisibilityTestCase(DraftTestCase):
    def test_api_shows_a_draft_to_its_author_only(self):
        post = self.draft()
        mine = self.call("GET", f"/posts/{post.id}", self.author)
        self.assertEqual((mine.status_code, mine.json["draft"]), (200, True))
        for caller in (self.other, self.admin):
            self.assertEqual(self.call("GET", f"/posts/{post.id}", caller).status_code, 404)
            self.assertEqual(self.call("PUT", f"/posts/{post.id}", caller,
                                       json={"body": "x"}).status_code, 404)
            self.assertEqual(self.call("DELETE", f"/posts/{post.id}", caller).status_code, 404)
        for path in ("/posts/", f"/users/{self.author.id}/posts/",
                     f"/users/{self.other.id}/timeline/", f"/users/{self.author.id}/timeline/"):
            self.assertEqual(self.call("GET", path, self.other).json["count"], 0, path)
        self.assertEqual(self.call("GET", f"/users/{self.author.id}", self.other)
                         .json["post_count"], 0)
        self.assertEqual(self.call("GET", "/drafts/", self.author).json["count"], 1)
        self.assertEqual(self.call("GET", "/drafts/", self.other).json["count"], 0)

    def test_api_writes_and_publishes_drafts(self):
        response = self.call("POST", "/posts/", self.author, json={"body": "API", "draft": True})
        self.assertEqual((response.status_code, response.json["draft"]), (201, True))
        url = response.json["url"].removeprefix("http://localhost/api/v1")
        self.assertEqual(self.call("POST", f"{url}/comments/", self.other,
                                   json={"body": "hi"}).status_code, 404)
        published = self.call("PUT", url, self.author, json={"body": "API", "draft": False})
        self.assertFalse(published.json["draft"])
        back = self.call("PUT", url, self.author, json={"body": "API", "draft": True})
        self.assertEqual(back.status_code, 400)
        self.assertEqual(self.call("POST", "/posts/", self.author,
                                   json={"body": "x", "draft": "yes"}).status_code, 400)

    def test_search_and_counts_leave_drafts_out(self):
        self.draft("Secret zebra")
        for viewer in (self.author, self.other):
            self.assertEqual(counts("zebra", viewer=viewer)["posts"], 0)
            self.assertEqual(search("zebra", "posts", viewer=viewer).total, 0)
        self.assertEqual(post_counts([self.author.id]), {self.author.id: 0})
        self.assertIn("<strong>0</strong> posts", self.page("/user/john"))


class TitleSearchTestCase(DraftTestCase):
    def test_posts_are_found_by_their_title_marked_in_the_results(self):
        titled = Post(body="Nothing about it here", title="Zeppelin memories",
                      author=self.author)
        plain = Post(body="A zeppelin flew by", author=self.author)
        db.session.add_all([titled, plain])
        db.session.commit()
        hits = search("zeppelin", "posts", viewer=self.other).items
        self.assertEqual([hit.item.id for hit in hits], [titled.id, plain.id])  # title weighs more
        self.assertEqual(str(hits[0].title), "<mark>Zeppelin</mark> memories")
        self.assertIsNone(hits[1].title)
        page = self.page("/search?q=memories")
        self.assertIn("<mark>memories</mark>", page)
        titled.title = "Airships"
        db.session.commit()
        self.assertEqual(search("memories", "posts", viewer=self.other).total, 0)
