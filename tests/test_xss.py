"""User-written text never reaches a page as live markup."""

from app import db
from app.models import Post
from tests.base import FlaskyTestCase
from tests.social import XSS_PAYLOADS, live_markup_problems, make_comment, make_post


class MarkupCheckTestCase(FlaskyTestCase):
    """The checker itself must catch what it is meant to catch."""

    def test_checker_finds_live_markup(self):
        self.assertTrue(live_markup_problems('<img src=x onerror="alert(1)">'))
        self.assertTrue(live_markup_problems('<a href=" javascript:alert(1)">x</a>'))
        self.assertTrue(live_markup_problems("<script>alert(1)</script>"))
        self.assertTrue(live_markup_problems("<svg onload=alert(1)>"))
        self.assertEqual(live_markup_problems("&lt;script&gt;alert(1)&lt;/script&gt;"), [])

    def test_pages_without_user_input_are_clean(self):
        self.assertEqual(live_markup_problems(self.client.get("/").get_data(as_text=True)), [])


class CrossSiteScriptingTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mod = self.create_user("mod", role="Moderator")

    def assertPageClean(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(live_markup_problems(response.get_data(as_text=True)), [], url)

    def test_payloads_in_posts_comments_and_profiles(self):
        self.login()
        for payload in XSS_PAYLOADS:
            with self.subTest(payload=payload):
                self.client.post("/", data={"body": payload})
                post = db.session.scalars(db.select(Post).order_by(Post.id.desc())).first()
                self.client.post(f"/post/{post.id}", data={"body": payload})
                self.client.post("/edit-profile", data={
                    "name": payload[:64], "location": payload[:64], "about_me": payload})
                for url in ("/", f"/post/{post.id}", "/user/john", f"/edit/{post.id}",
                            "/edit-profile", f"/post/{post.id}/delete"):
                    self.assertPageClean(url)
                preview = self.client.post("/preview", data={"body": payload})
                self.assertEqual(live_markup_problems(preview.get_json()["html"]), [])

    def test_payloads_on_moderation_and_follow_pages(self):
        post = make_post(self.john, "Plain")
        for payload in XSS_PAYLOADS:
            make_comment(post, self.john, payload, disabled=True)
        self.john.about_me = XSS_PAYLOADS[1]
        self.john.name = XSS_PAYLOADS[4]
        db.session.commit()
        self.login("mod@example.com")
        self.client.post("/follow/john")
        for url in ("/moderate", f"/post/{post.id}", "/followers/john", "/followed_by/mod"):
            self.assertPageClean(url)

    def test_escaped_text_stays_visible(self):
        self.login()
        self.client.post("/edit-profile", data={"name": "<b>Bold</b> & co", "location": "",
                                                "about_me": ""})
        self.assertIn(b"&lt;b&gt;Bold&lt;/b&gt; &amp; co", self.client.get("/user/john").data)
