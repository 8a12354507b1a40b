"""Each timeline at its own URL: ``/all`` and ``/followed`` (and their pages), and
``/``, which shows the tab the reader last chose; a page number on ``/`` is the All
timeline's, so a remembered tab never turns it into a 404."""

from tests.base import FlaskyTestCase
from tests.social import make_follow, make_posts


class TimelineUrlTestCase(FlaskyTestCase):
    config = {"FLASKY_POSTS_PER_PAGE": 2}

    def setUp(self):
        super().setUp()
        self.john = self.create_user("john")
        self.mary = self.create_user("mary")
        self.susan = self.create_user("susan")
        make_follow(self.john, self.mary)
        make_posts(self.mary, 3)  # Followed: 2 pages
        make_posts(self.susan, 5, start_minute=10)  # All: 4 pages
        self.login()

    def test_each_tab_is_its_own_page_and_links_to_the_other(self):
        followed = self.client.get("/followed").get_data(as_text=True)
        self.assertIn('class="nav-link active" href="/followed" aria-current="page"', followed)
        self.assertIn('class="nav-link" href="/all"', followed)
        self.assertIn('<a href="/user/mary" class="entry-avatar"', followed)
        self.assertNotIn('<a href="/user/susan" class="entry-avatar"', followed)
        everything = self.client.get("/all").get_data(as_text=True)
        self.assertIn('class="nav-link active" href="/all" aria-current="page"', everything)

    def test_pagination_keeps_the_tab(self):
        page = self.client.get("/followed").get_data(as_text=True)
        self.assertIn('href="/followed?page=2"', page)
        second = self.client.get("/followed?page=2")
        self.assertEqual(second.status_code, 200)
        self.assertIn("Post number 0", second.get_data(as_text=True))
        self.assertEqual(self.client.get("/followed?page=3").status_code, 404)
        self.assertIn('href="/followed?page=2"', self.client.get("/").get_data(as_text=True))
        self.assertIn('href="/all?page=4"', self.client.get("/all?page=3").get_data(as_text=True))

    def test_a_remembered_followed_tab_never_makes_a_home_page_number_404(self):
        self.client.get("/followed")
        self.assertIn("Post number 2", self.client.get("/").get_data(as_text=True))
        response = self.client.get("/?page=4")  # past Followed's end, within All's
        self.assertEqual(response.status_code, 200)
        self.assertIn('class="nav-link active" href="/all" aria-current="page"',
                      response.get_data(as_text=True))

    def test_the_cookie_is_set_only_when_the_choice_changes(self):
        self.assertIn("show_followed=1", self.client.get("/followed").headers["Set-Cookie"])
        self.assertNotIn("Set-Cookie", self.client.get("/followed?page=2").headers)
        self.assertNotIn("Set-Cookie", self.client.get("/").headers)
        self.assertIn("show_followed=;", self.client.get("/all").headers["Set-Cookie"])
        self.assertIn('href="/all?page=2"', self.client.get("/").get_data(as_text=True))

    def test_only_the_home_page_takes_posts(self):
        self.assertEqual(self.client.post("/all", data={"body": "x"}).status_code, 405)
        self.assertEqual(self.client.post("/followed", data={"body": "x"}).status_code, 405)


class VisitorTimelineTestCase(FlaskyTestCase):
    config = {"FLASKY_POSTS_PER_PAGE": 2}

    def test_visitors_read_all_at_both_addresses_and_followed_asks_them_to_log_in(self):
        make_posts(self.create_user("susan"), 3)
        self.assertIn('href="/?page=2"', self.client.get("/").get_data(as_text=True))
        everything = self.client.get("/all")
        self.assertEqual(everything.status_code, 200)
        self.assertIn("Post number 2", everything.get_data(as_text=True))
        self.assertRedirectsTo(self.client.get("/followed?page=2"),
                               "/auth/login?next=%2Ffollowed%3Fpage%3D2")


class CachedTimelineTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def test_tab_addresses_are_cached_apart(self):
        john, mary = self.create_user("john"), self.create_user("mary")
        make_follow(john, mary)
        make_posts(self.create_user("susan"), 1)
        self.login()
        self.client.get("/followed")  # remembers the tab: a cookie, so not stored
        states = [self.client.get(path).headers.get("X-Flasky-Cache")
                  for path in ("/followed", "/followed", "/all", "/all", "/all")]
        self.assertEqual(states, ["miss", "hit", None, "miss", "hit"])  # /all: a cookie again
        self.assertNotIn("Post number 0", self.client.get("/followed").get_data(as_text=True))
        self.assertIn("Post number 0", self.client.get("/all").get_data(as_text=True))
        self.assertIn("Post number 0", self.client.get("/").get_data(as_text=True))
