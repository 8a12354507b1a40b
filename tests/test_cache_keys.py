"""Page cache keys: only the canonical address of a page is stored, so no client
can mint new entries, and no number of entries pushes a version out."""

import shutil
import tempfile

from app import db
from app.extensions import cache
from app.models import Post
from tests.base import FlaskyTestCase


class PageKeyTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True, "FLASKY_POSTS_PER_PAGE": 2}
    overfill = 300

    def setUp(self) -> None:
        super().setUp()
        self.author = self.create_user("alice")
        db.session.add_all(Post(body=f"Post number {n}", author=self.author) for n in range(5))
        db.session.commit()
        self.post_id = db.session.scalar(db.select(Post.id).limit(1))
        self.visitor = self.app.test_client()

    def state(self, path: str, client=None) -> str | None:
        """What the page cache did with ``path``: "hit", "miss" (stored) or None."""
        response = (client or self.visitor).get(path)
        self.assertEqual(response.status_code, 200, path)
        return response.headers.get("X-Flasky-Cache")

    def assertCached(self, path: str, client=None) -> None:
        """``path`` comes from the cache by the third request (a signed-in
        session gets its CSRF secret, part of its keys, on the first)."""
        states = [self.state(path, client) for _ in range(3)]
        self.assertEqual(states[-1], "hit", f"{path}: {states}")

    def assertNotStored(self, path: str, client=None) -> None:
        """``path`` is served without the page cache (its first rendering may
        still store the post cards and counts any address of the page shares)."""
        states = [self.state(path, client)]
        before = self.stored_entries()
        states += [self.state(path, client) for _ in range(2)]
        self.assertEqual(states, [None] * 3, path)
        self.assertEqual(self.stored_entries(), before, path)

    def stored_entries(self) -> int:
        return len(cache.cache._cache)  # SimpleCache

    def fill(self, count: int, name: str = "filler") -> None:
        """Write ``count`` new entries, as many different pages would."""
        for n in range(count):
            cache.set(f"{name}:{n}", "x" * 200)


class CanonicalKeyTestCase(PageKeyTestCase):
    def page(self, path: str) -> str:
        return self.visitor.get(path).get_data(as_text=True)

    def test_unknown_parameters_are_not_stored(self):
        self.assertCached("/user/alice?page=2")
        self.assertCached("/user/alice")
        self.assertIn("Post number 2", self.page("/user/alice?page=2"))
        self.assertNotIn("Post number 2", self.page("/user/alice"))
        self.assertNotStored("/user/alice?page=2&x=1")
        self.assertIn("Post number 2", self.page("/user/alice?page=2&x=1"))
        self.assertNotStored("/user/alice?x=1")
        self.assertNotStored("/?utm_source=mail")

    def test_page_one_is_the_page_without_a_number(self):
        self.assertCached("/")
        self.assertEqual(self.state("/?page=1"), "hit")
        self.assertCached("/followers/alice?page=1")
        self.assertEqual(self.state("/followers/alice"), "hit")

    def test_other_spellings_of_a_page_number_are_not_stored(self):
        for path in ("/?page=abc", "/?page=01", "/?page=%2B2", "/?page=2&page=3",
                     "/?PAGE=2", "/?page="):
            self.assertNotStored(path)

    def test_other_spellings_of_a_path_are_not_stored(self):
        self.assertCached(f"/post/{self.post_id}")
        self.assertNotStored(f"/post/00{self.post_id}")
        self.assertNotStored("/user/alice%20")

    def test_letter_case_of_a_username_shares_one_entry(self):
        self.assertCached("/user/alice")
        self.assertEqual(self.state("/user/ALICE"), "hit")
        self.assertEqual(self.state("/user/Alice"), "hit")

    def test_the_followed_tab_cookie_counts_only_as_on_or_off(self):
        member = self.app.test_client()
        member.post("/auth/login", data={"email": "alice@example.com",
                                         "password": self.password})
        member.set_cookie("show_followed", "1")
        self.assertCached("/", member)
        for value in ("yes", "2", "anything at all"):
            member.set_cookie("show_followed", value)
            self.assertEqual(self.state("/", member), "hit", value)


class FloodTestCase(PageKeyTestCase):
    flood = 2000

    def stamp(self):
        from app.caching.stores import versions

        return versions().read(["user:1"])

    def test_junk_parameters_neither_add_entries_nor_move_a_version(self):
        self.assertCached("/user/alice")
        versions = self.stamp()
        self.state("/followers/alice?f=first")
        before = self.stored_entries()
        states = {self.state(f"/followers/alice?f={n}") for n in range(self.flood)}
        self.assertEqual(self.state("/user/alice"), "hit")
        self.assertEqual(self.stamp(), versions)
        self.assertEqual(self.stored_entries(), before)
        self.assertEqual(states, {None})

    def test_versions_survive_a_cache_filled_beyond_its_bound(self):
        self.assertCached("/user/alice")
        versions = self.stamp()
        self.fill(self.overfill)
        self.assertEqual(self.stamp(), versions)
        self.assertCached("/followers/alice")


class DiskCacheTestCase(PageKeyTestCase):
    """The same on the default store (``disk_store``), bounded to 1 MB."""

    config = {**PageKeyTestCase.config, "CACHE_TYPE": "app.caching.disk_store.DiskCache",
              "CACHE_SIZE_MB": 1}

    def setUp(self) -> None:
        directory = tempfile.mkdtemp(prefix="flasky-cache-test-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        self.config = {**self.config, "CACHE_DIR": directory}
        super().setUp()

    def stored_entries(self) -> int:
        return len(cache.cache)


class DiskFloodTestCase(DiskCacheTestCase, FloodTestCase):
    flood = 300
    overfill = 3000  # 3000 entries of 1 KB: three times the bound

    def fill(self, count: int, name: str = "filler") -> None:
        for n in range(count):
            cache.set(f"{name}:{n}", "x" * 1024)

    def test_the_store_stays_within_its_bound(self):
        self.fill(self.overfill)
        store = cache.cache._cache
        self.assertLess(len(store), self.overfill)
        self.assertLessEqual(store.volume(), 1.2 * 2**20)
        self.assertIsNotNone(cache.get(f"filler:{self.overfill - 1}"), "the newest stays")
        self.assertIsNone(cache.get("filler:0"), "the oldest stored goes first")


class DiskCanonicalKeyTestCase(DiskCacheTestCase, CanonicalKeyTestCase):
    pass
