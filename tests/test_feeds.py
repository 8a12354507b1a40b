"""Atom feeds: well-formed Atom 1.0 read by a real feed parser, absolute links,
drafts left out, autodiscovery links, and 304s for readers that poll."""

import re
from datetime import timedelta

import feedparser

from app import db
from app.models import Post, utcnow
from tests.base import FlaskyTestCase
from tests.test_api_base import ApiTestCase

FEEDS = ("/feed.atom", "/user/john/feed.atom", "/tag/cats/feed.atom")


class FeedTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.john = self.create_user("john")
        self.susan = self.create_user("susan")
        now = utcnow()
        self.titled = Post(body="About #cats, see [me](/user/john) & <b>", title="Cats & me",
                           author=self.john, timestamp=now - timedelta(hours=2))
        self.untitled = Post(body="Short #cats note " + "word " * 30, author=self.susan,
                             timestamp=now - timedelta(hours=1))
        self.draft = Post(body="Secret #cats", author=self.john, draft=True)
        db.session.add_all([self.titled, self.untitled, self.draft])
        db.session.commit()

    def parsed(self, path: str):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response.mimetype, "application/atom+xml")
        feed = feedparser.parse(response.data)
        self.assertFalse(feed.bozo, f"{path}: {feed.get('bozo_exception')}")
        self.assertEqual(feed.version, "atom10", path)
        return feed

    def test_every_feed_is_well_formed_atom(self):
        for path in FEEDS:
            feed = self.parsed(path)
            self.assertTrue(feed.feed.title, path)
            self.assertTrue(feed.feed.updated, path)
            self.assertEqual(feed.feed.links[1]["href"], f"http://localhost{path}")
            for entry in feed.entries:
                self.assertTrue(entry.id.startswith("http://localhost/post/"), path)
                self.assertTrue(entry.author, path)
                self.assertTrue(entry.updated, path)
                self.assertTrue(entry.link.startswith("http://localhost/post/"), path)

    def test_entries_newest_first_with_title_author_and_absolute_html(self):
        feed = self.parsed("/feed.atom")
        self.assertEqual([entry.author for entry in feed.entries], ["susan", "john"])
        titled = feed.entries[1]
        self.assertEqual(titled.title, "Cats & me")
        self.assertEqual(titled.link, f"http://localhost/post/{self.titled.id}/cats-me")
        self.assertEqual(titled.id, f"http://localhost/post/{self.titled.id}")
        html = titled.content[0].value
        self.assertIn('href="http://localhost/tag/cats"', html)
        self.assertIn('href="http://localhost/user/john"', html)
        self.assertIn("&lt;b&gt;", html)
        self.assertNotIn("<b>", html)
        self.assertTrue(feed.entries[0].title.startswith("Short #cats note word"))
        self.assertLessEqual(len(feed.entries[0].title), 61)

    def test_drafts_are_in_no_feed(self):
        for path in FEEDS:
            self.assertNotIn(b"Secret", self.client.get(path).data, path)
        self.assertEqual(len(self.parsed("/user/john/feed.atom").entries), 1)
        self.assertEqual(len(self.parsed("/tag/cats/feed.atom").entries), 2)

    def test_conditional_get_answers_304_until_something_changes(self):
        for path in FEEDS:
            first = self.client.get(path)
            etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
            again = self.client.get(path, headers={"If-None-Match": etag})
            self.assertEqual((again.status_code, again.data), (304, b""), path)
            since = self.client.get(path, headers={"If-Modified-Since": modified})
            self.assertEqual(since.status_code, 304, path)
        etag = self.client.get("/feed.atom").headers["ETag"]
        self.titled.body = "Edited #cats"
        db.session.commit()
        changed = self.client.get("/feed.atom", headers={"If-None-Match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertIn(b"Edited", changed.data)

    def test_pages_link_their_feeds(self):
        expected = {"/": ["/feed.atom"], "/user/john": ["/user/john/feed.atom", "/feed.atom"],
                    "/tag/cats": ["/tag/cats/feed.atom", "/feed.atom"]}
        for page, feeds in expected.items():
            html = self.client.get(page).get_data(as_text=True)
            for feed in feeds:
                self.assertRegex(html, '<link rel="alternate" type="application/atom\\+xml" '
                                       f'title="[^"]+" href="{re.escape(feed)}">', page)

    def test_unknown_user_or_tag_is_404_and_case_redirects(self):
        self.assertEqual(self.client.get("/user/nobody/feed.atom").status_code, 404)
        self.assertEqual(self.client.get("/tag/!!!/feed.atom").status_code, 404)
        self.assertRedirectsTo(self.client.get("/tag/CATS/feed.atom"), "/tag/cats/feed.atom")
        self.assertEqual(len(self.parsed("/user/JOHN/feed.atom").entries), 1)

    def test_an_empty_feed_is_valid_too(self):
        self.create_user("quiet")
        self.assertEqual(self.parsed("/user/quiet/feed.atom").entries, [])


class SuspendedAuthorFeedTestCase(ApiTestCase):
    """A suspended account's posts leave the feeds and the tag pages while it lasts."""

    def test_suspended_author_is_in_no_feed_and_no_tag_list(self):
        john = self.create_user("john")
        mary = self.create_user("mary")
        db.session.add_all([Post(body="Open #cats", author=john),
                            Post(body="Banned #cats", author=mary)])
        db.session.commit()
        for path in ("/feed.atom", "/tag/cats/feed.atom", "/tag/cats"):
            self.assertIn(b"Banned", self.client.get(path).data, path)
        self.assertIn(b"Banned", self.call("GET", "/tags/cats/posts/", john).data)
        mary.suspended_until = utcnow() + timedelta(days=1)
        db.session.commit()
        for path in ("/feed.atom", "/tag/cats/feed.atom", "/tag/cats", "/user/mary/feed.atom"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertNotIn(b"Banned", response.data, path)
        self.assertIn(b"Open", self.client.get("/tag/cats").data)
        answer = self.call("GET", "/tags/cats/posts/", john)
        self.assertEqual([post["body"] for post in answer.json["posts"]], ["Open #cats"])
