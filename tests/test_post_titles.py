"""Titles, readable permalinks and the "Read more" cut."""

from sqlalchemy import select

from app import db
from app.excerpts import EXCERPT_LENGTH
from app.models import Post
from app.slugs import slugify
from tests.test_api_base import ApiTestCase


class SlugTestCase(ApiTestCase):
    def test_slug_keeps_words_and_drops_markup(self):
        self.assertEqual(slugify("Hello, <b>World</b>!"), "hello-b-world-b")
        self.assertEqual(slugify("Ça va? Très bien"), "ça-va-très-bien")
        self.assertEqual(slugify("!!! ???"), "")
        self.assertEqual(slugify(None), "")
        self.assertEqual(slugify("Delete"), "delete-post")  # /post/<id>/delete is taken
        self.assertLessEqual(len(slugify("word " * 100)), 80)


class TitledPostPagesTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")
        self.login()

    def publish(self, **data) -> Post:
        response = self.client.post("/", data={"body": "Some words", **data})
        self.assertEqual(response.status_code, 302, response.data[:500])
        return db.session.scalars(select(Post).order_by(Post.id.desc())).first()

    def test_title_is_the_card_heading_and_the_page_h1(self):
        post = self.publish(title="My <first> piece")
        self.assertEqual(post.title, "My <first> piece")
        home = self.client.get("/").get_data(as_text=True)
        self.assertIn(f'<a class="text-body text-decoration-none" href="/post/{post.id}/'
                      'my-first-piece">My &lt;first&gt; piece</a></h2>', home)
        page = self.client.get(f"/post/{post.id}/my-first-piece").get_data(as_text=True)
        self.assertIn('<h1 class="h3 post-title mt-1">My &lt;first&gt; piece</h1>', page)
        self.assertEqual(page.count("<h1"), 1)
        self.assertIn("<title>My &lt;first&gt; piece", page)

    def test_plain_id_works_and_a_wrong_slug_redirects(self):
        post = self.publish(title="Right title")
        self.assertEqual(self.client.get(f"/post/{post.id}").status_code, 200)
        for wrong in ("wrong", "<script>alert(1)</script>", "RIGHT-TITLE"):
            response = self.client.get(f"/post/{post.id}/{wrong}?page=2")
            self.assertEqual(response.status_code, 301, wrong)
            self.assertRedirectsTo(response, f"/post/{post.id}/right-title?page=2")

    def test_untitled_post_with_a_slug_redirects_to_the_plain_permalink(self):
        post = self.publish()
        self.assertIsNone(post.title)
        self.assertRedirectsTo(self.client.get(f"/post/{post.id}/anything"), f"/post/{post.id}")

    def test_blank_title_is_no_title_and_a_long_one_is_refused(self):
        self.assertIsNone(self.publish(title="   ").title)
        response = self.client.post("/", data={"body": "x", "title": "t" * 201})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Please keep the title under 200 characters.",
                      response.get_data(as_text=True))
        self.assertEqual(db.session.scalar(select(db.func.count()).select_from(Post)), 1)

    def test_editing_the_title_moves_the_permalink(self):
        post = self.publish(title="Old name")
        response = self.client.post(f"/edit/{post.id}", data={"title": "New name",
                                                               "body": "Some words"})
        self.assertRedirectsTo(response, f"/post/{post.id}/new-name")
        self.assertRedirectsTo(self.client.get(f"/post/{post.id}/old-name"),
                               f"/post/{post.id}/new-name")


class ReadMoreTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")

    def write(self, body: str) -> Post:
        post = Post(body=body, author=self.author)
        db.session.add(post)
        db.session.commit()
        return post

    def test_marker_cuts_timelines_and_vanishes_from_the_permalink(self):
        post = self.write("Intro words\n\n<!-- more -->\n\nHidden rest")
        home = self.client.get("/").get_data(as_text=True)
        self.assertIn("Intro words", home)
        self.assertNotIn("Hidden rest", home)
        self.assertIn('class="read-more"', home)
        page = self.client.get(f"/post/{post.id}").get_data(as_text=True)
        self.assertIn("Hidden rest", page)
        self.assertNotIn("more --", page)
        self.assertNotIn('class="read-more"', page)

    def test_long_post_is_cut_at_a_paragraph_before_the_limit(self):
        first = "word " * 150
        post = self.write(f"{first}\n\n{'tail ' * 150}\n\nEND-OF-POST")
        self.assertIn("word", post.summary_html)
        self.assertNotIn("tail", post.summary_html)
        self.assertIn("END-OF-POST", post.body_html)
        self.assertNotIn("END-OF-POST", self.client.get("/").get_data(as_text=True))

    def test_short_post_is_whole_and_a_cut_never_splits_code(self):
        self.assertIsNone(self.write("Short").summary_html)
        post = self.write("a " * 100 + "\n\n```\n" + "code\n\n" * 300 + "```\n")
        self.assertNotIn("<pre>", post.summary_html)
        self.assertLessEqual(len(post.summary_html), EXCERPT_LENGTH + 100)


class TitleApiTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("john")

    def test_title_in_and_out(self):
        response = self.call("POST", "/posts/", self.author,
                             json={"body": "Text", "title": "Über uns"})
        self.assertEqual(response.status_code, 201, response.json)
        self.assertEqual(response.json["title"], "Über uns")
        post_id = response.json["url"].rsplit("/", 1)[1]
        self.assertEqual(response.json["html_url"],
                         f"http://localhost/post/{post_id}/%C3%BCber-uns")
        edited = self.call("PUT", f"/posts/{post_id}", self.author, json={"body": "New"})
        self.assertEqual(edited.json["title"], "Über uns")
        cleared = self.call("PUT", f"/posts/{post_id}", self.author,
                            json={"body": "New", "title": None})
        self.assertIsNone(cleared.json["title"])

    def test_bad_titles_are_400(self):
        for title in ("t" * 201, 7, ["x"], "nul\x00"):
            response = self.call("POST", "/posts/", self.author,
                                 json={"body": "Text", "title": title})
            self.assertEqual(response.status_code, 400, title)
            self.assertRegex(response.json["message"], "title|NUL")
        self.assertIsNone(db.session.scalar(select(Post)))
