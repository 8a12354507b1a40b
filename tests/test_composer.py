"""The composer's server side: no maxlength (the counter's limit instead), line
breaks counted as the counter counts them, the server's refusal keeping the text,
the preview's notes on what saving leaves out, the edit page's own words, and the
timestamp macro's <time> with the exact time and "edited"."""

import re
from datetime import timedelta
from html import unescape

from app import db
from app.dates import was_edited
from app.models import Post
from app.models.base import utcnow
from tests.base import FlaskyTestCase
from tests.social import make_post


class ComposerFormTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.login()

    def test_the_text_area_has_no_maxlength_but_the_counters_limit(self):
        page = self.client.get("/").get_data(as_text=True)
        [area] = re.findall(r"<textarea[^>]*>", page)
        self.assertNotIn("maxlength", area)
        self.assertIn(f'data-limit="{Post.BODY_MAX_LENGTH}"', area)
        self.assertIn('src="/static/js/composer.js"', page)

    def test_a_too_long_title_is_refused_and_given_back_not_cut(self):
        page = self.client.get("/").get_data(as_text=True)
        self.assertNotIn("maxlength", re.search(r'<input[^>]*id="title"[^>]*>', page).group(0))
        title = "T" * (Post.TITLE_MAX_LENGTH + 5)
        page = self.client.post("/", data={"title": title, "body": "Text"}).get_data(as_text=True)
        self.assertIn("Please keep the title under 200 characters.", page)
        self.assertIn(f'value="{title}"', page)

    def test_a_refused_long_text_comes_back_whole(self):
        text = "word " * 2_091  # 10,455 characters
        response = self.client.post("/", data={"body": text})
        page = response.get_data(as_text=True)
        self.assertIn("Please keep it under 10,000 characters.", page)
        body = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
        self.assertEqual(unescape(body).strip("\r\n"), text.strip("\r\n"))
        self.assertIsNone(db.session.scalar(db.select(Post)))

    def test_line_breaks_count_once_as_the_counter_counts_them(self):
        text = "x" * 4_000 + "\r\n" * 2_000 + "y" * 4_000  # 12,000 sent, 10,000 written
        response = self.client.post("/", data={"body": text})
        self.assertRedirectsTo(response, "/")
        self.assertEqual(db.session.scalar(db.select(Post)).body,
                         "x" * 4_000 + "\n" * 2_000 + "y" * 4_000)

    def test_the_edit_page_asks_its_own_question(self):
        post = make_post(self.john, "Mine")
        page = self.client.get(f"/edit/{post.id}").get_data(as_text=True)
        self.assertIn(">Your post</label>", page)
        self.assertNotIn("What&#39;s on your mind?", page)
        self.assertIn('class="col-lg-8"', page)  # as wide as the post's own page


class PreviewNotesTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.create_user("john")
        self.login()

    def preview(self, body: str, kind: str = "post") -> dict:
        response = self.client.post("/preview", data={"body": body, "kind": kind})
        self.assertEqual(response.status_code, 200)
        return response.get_json()

    def test_a_markdown_image_is_named_as_left_out(self):
        shown = self.preview("Look:\n\n![sky](https://example.com/a.png) ![sea](b.png)")
        self.assertNotIn("<img", shown["html"])
        self.assertEqual(shown["notes"], [
            "2 images written in Markdown are left out: images are attached, not linked. "
            "Add pictures under “Images (optional)”."])

    def test_the_image_leaves_no_empty_paragraph_behind(self):
        shown = self.preview("Before\n\n![sky](https://example.com/a.png)\n\nAfter")
        self.assertEqual(shown["html"], "<p>Before</p>\n<p>After</p>")

    def test_text_without_images_and_comments_have_no_notes(self):
        self.assertEqual(self.preview("Just *words* and [a link](https://example.com)")["notes"],
                         [])
        # A comment keeps an image's Markdown as its text and link: nothing is left out.
        shown = self.preview("![sky](https://example.com/a.png)", kind="comment")
        self.assertEqual(shown["notes"], [])
        self.assertIn('href="https://example.com/a.png"', shown["html"])


class TimestampTestCase(FlaskyTestCase):
    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")

    def test_a_post_shows_its_date_and_the_exact_time_on_hover(self):
        post = make_post(self.john, "Dated")  # 2026-01-01 12:00 UTC
        page = self.client.get(f"/post/{post.id}").get_data(as_text=True)
        stamp = re.search(r'<time class="timestamp"[^>]*>[^<]*</time>', page).group(0)
        self.assertIn('datetime="2026-01-01T12:00:00Z"', stamp)
        self.assertRegex(unescape(stamp), r'title="Jan 1, 2026, 12:00:00\sPM"')
        self.assertIn('data-zone="UTC"', stamp)
        this_year = post.timestamp.year == utcnow().year
        self.assertIn(">Jan 1</time>" if this_year else ">Jan 1, 2026</time>", stamp)
        self.assertNotIn("edited", page)

    def test_the_readers_zone_and_language_write_the_exact_time(self):
        self.john.timezone, self.john.language = "Asia/Tokyo", "de"
        post = make_post(self.john, "Datiert")
        db.session.commit()
        self.login()
        page = unescape(self.client.get(f"/post/{post.id}").get_data(as_text=True))
        self.assertRegex(page, r'title="01\.01\.2026, 21:00:00" data-zone="Asia/Tokyo"')

    def test_an_edit_is_marked_with_its_time_but_publishing_a_draft_is_not(self):
        post = make_post(self.john, "Edited")
        post.updated = post.timestamp + timedelta(hours=5)
        db.session.commit()
        page = unescape(self.client.get(f"/post/{post.id}").get_data(as_text=True))
        self.assertRegex(page, r'<span class="edited text-body-secondary">edited <time '
                               r'class="timestamp" datetime="2026-01-01T17:00:00Z" '
                               r'title="Edited Jan 1, 2026, 5:00:00\sPM"')
        self.assertFalse(was_edited(post.timestamp, post.timestamp + timedelta(seconds=1)))
        self.assertFalse(was_edited(post.timestamp, None))

    def test_comments_use_the_same_time(self):
        from tests.social import make_comment

        post = make_post(self.john, "Talked about")
        make_comment(post, self.john, "A reply", minutes=3)
        page = self.client.get(f"/post/{post.id}").get_data(as_text=True)
        self.assertIn('<time class="timestamp" datetime="2026-01-01T12:03:00Z"', page)
        self.assertNotIn("flask-moment", page.split('id="comments"')[1])


class KeptComposerTestCase(FlaskyTestCase):
    """The composer is rendered once per language and session while nobody typed
    into it (app/caching/forms.py), and its kept token still works."""

    config = {"WTF_CSRF_ENABLED": True}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.sign_in_directly(self.john)
        self.memo = self.app.extensions["flasky_forms"]

    def composer(self, client=None, **kwargs) -> str:
        page = (client or self.client).get("/all", **kwargs).get_data(as_text=True)
        return re.search(r'<form method="post" action="/" novalidate id="post-form".*?</form>',
                         page, re.S).group(0)

    def test_it_is_rendered_once_per_session_and_its_token_still_works(self):
        first, second = self.composer(), self.composer()
        self.assertEqual(first, second)
        self.assertEqual((self.memo.renders, self.memo.hits), (1, 1))
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', second).group(1)
        response = self.client.post("/", data={"csrf_token": token, "body": "Kept and sent"})
        self.assertEqual(response.status_code, 302)
        self.assertIsNotNone(db.session.scalar(db.select(Post).filter_by(body="Kept and sent")))

    def test_a_refused_form_is_shown_as_typed_and_never_kept(self):
        self.composer()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          self.composer()).group(1)
        title = "T" * (Post.TITLE_MAX_LENGTH + 5)
        refused = self.client.post("/", data={"csrf_token": token, "title": title, "body": "x"})
        self.assertIn(f'value="{title}"', refused.get_data(as_text=True))
        self.assertEqual(len(self.memo.cards), 1)
        again = self.composer()
        self.assertNotIn(title, again)
        self.assertNotIn("Please keep the title", again)

    def test_each_language_and_each_session_has_its_own(self):
        self.assertIn('value="Publish"', self.composer())
        self.assertIn('value="Publicar"', self.composer(headers={"Accept-Language": "es"}))
        other = self.app.test_client()
        self.sign_in_directly(self.john, other)
        mine = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.composer())
        theirs = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                           self.composer(other))
        self.assertNotEqual(mine.group(1), theirs.group(1))
        self.assertEqual(self.memo.renders, 3)


class ExpiringTokensComposerTestCase(KeptComposerTestCase):
    config = {"WTF_CSRF_ENABLED": True, "WTF_CSRF_TIME_LIMIT": 3600}

    def test_nothing_is_kept_while_tokens_expire(self):
        self.composer()
        self.composer()
        self.assertEqual((self.memo.renders, self.memo.hits, len(self.memo.cards)), (0, 0, 0))

    # The kept-form tests of the parent need kept forms.
    test_it_is_rendered_once_per_session_and_its_token_still_works = None
    test_a_refused_form_is_shown_as_typed_and_never_kept = None
    test_each_language_and_each_session_has_its_own = None
