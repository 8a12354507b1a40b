"""Each worker answers a hit from its own copy of the page (``caching.near``), and a
write by another worker shows there at the next request."""

import shutil
import tempfile
import unittest
from unittest import mock

from app import create_app, db
from app.caching import entries, stores
from app.caching.entries import Entry
from app.caching.near import NearEntries
from app.caching.versions import Stamp
from app.models import Post, Role, User


class TwoWorkersTestCase(unittest.TestCase):
    """Two apps on one database and one disk store, as two gunicorn workers are."""

    def setUp(self) -> None:
        directory = tempfile.mkdtemp(prefix="flasky-near-test-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        overrides = {"FLASKY_CACHE": True, "CACHE_TYPE": stores.DISK_STORE,
                     "CACHE_DIR": f"{directory}/cache",
                     "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/flasky.sqlite"}
        self.first = create_app("testing", overrides=overrides)
        self.second = create_app("testing", overrides=overrides)
        with self.first.app_context():
            db.create_all()
            Role.insert_roles()
            self.author = User(email="ann@example.com", username="ann", password="x" * 12,
                               confirmed=True)
            db.session.add(Post(body="First words", author=self.author))
            db.session.commit()
        for app in (self.first, self.second):
            self.addCleanup(self.dispose, app)

    @staticmethod
    def dispose(app) -> None:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    def test_a_hit_reads_this_workers_copy_not_the_shared_store(self):
        client = self.first.test_client()
        self.assertEqual(client.get("/").headers.get("X-Flasky-Cache"), "miss")
        with mock.patch.object(entries, "get", wraps=stores.get) as shared:
            response = client.get("/")
        self.assertEqual(response.headers.get("X-Flasky-Cache"), "hit")
        self.assertIn("First words", response.get_data(as_text=True))
        shared.assert_not_called()

    def test_a_page_another_worker_stored_is_read_from_the_shared_store_once(self):
        self.assertEqual(self.second.test_client().get("/").headers.get("X-Flasky-Cache"),
                         "miss")
        client = self.first.test_client()
        with mock.patch.object(entries, "get", wraps=stores.get) as shared:
            states = [client.get("/").headers.get("X-Flasky-Cache") for _ in range(3)]
        self.assertEqual(states, ["hit"] * 3)
        self.assertEqual(shared.call_count, 1)

    def test_another_workers_write_shows_at_the_next_request(self):
        client = self.first.test_client()
        for _ in range(2):
            client.get("/")
        with self.second.app_context():
            author = db.session.scalar(db.select(User).filter_by(username="ann"))
            db.session.add(Post(body="Written by the other worker", author=author))
            db.session.commit()
        response = client.get("/")
        self.assertEqual(response.headers.get("X-Flasky-Cache"), "miss")
        self.assertIn("Written by the other worker", response.get_data(as_text=True))


class NearEntriesTestCase(unittest.TestCase):
    stamp = Stamp(epoch=1, clock=1)

    def entry(self, value) -> Entry:
        return Entry(value, ("*",), self.stamp)

    def test_the_least_recently_used_go_first_once_over_the_bound(self):
        near = NearEntries(limit=10_000)
        for name in "abcd":
            near.put(name, self.entry(name * 2000), None)
        near.get("a")  # used: "b" is now the oldest
        near.put("e", self.entry("e" * 2000), None)
        self.assertIsNone(near.get("b"))
        self.assertEqual([near.get(name).value[0] for name in "acde"], list("acde"))
        self.assertLessEqual(near.size, near.limit)

    def test_only_text_is_kept_and_a_copy_expires(self):
        near = NearEntries()
        near.put("cards", self.entry(["a list a caller could change"]), None)
        self.assertIsNone(near.get("cards"))
        near.put("page", self.entry("<p>page</p>"), 0.01)
        self.assertIsNotNone(near.get("page"))
        with mock.patch("app.caching.near.time.monotonic", return_value=float("1e12")):
            self.assertIsNone(near.get("page"))
        self.assertEqual((len(near), near.size), (0, 0))
