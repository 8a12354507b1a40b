"""The page cache's stores: the versions (SQLite file, Redis, memory) and the disk store."""

import shutil
import tempfile
import time
import unittest
from pathlib import Path

from redis import Redis

from app.caching.disk_store import DiskCache
from app.caching.versions import MemoryVersions, RedisVersions, SqliteVersions
from tests.redisserver import flush, shared_redis_url, unavailable_reason


class VersionStoreContract:
    """What every version store does; subclasses make ``self.versions`` and ``reopen()``."""

    def test_an_unknown_tag_reads_zero(self):
        stamp, numbers = self.versions.read(["post:1", "user:2"])
        self.assertEqual(numbers, [0, 0])
        self.assertGreaterEqual(stamp.clock, 0)

    def test_a_bump_moves_the_clock_and_stamps_its_tags_only(self):
        before, _ = self.versions.read([])
        self.versions.bump(["post:1", "table:posts"])
        after, numbers = self.versions.read(["post:1", "table:posts", "post:2"])
        self.assertEqual(after.clock, before.clock + 1)
        self.assertEqual(after.epoch, before.epoch)
        self.assertEqual(numbers, [after.clock, after.clock, 0])
        self.versions.bump(["post:2"])
        _, numbers = self.versions.read(["post:1", "post:2"])
        self.assertEqual(numbers, [after.clock, after.clock + 1])

    def test_another_worker_sees_the_same_versions(self):
        self.versions.bump(["user:3"])
        other = self.reopen()
        self.assertEqual(other.read(["user:3"]), self.versions.read(["user:3"]))


class SqliteVersionsTestCase(VersionStoreContract, unittest.TestCase):
    def setUp(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="flasky-versions-"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        self.versions = self.reopen()

    def reopen(self) -> SqliteVersions:
        return SqliteVersions(self.directory / "versions.sqlite")

    def test_a_lost_file_starts_a_new_epoch(self):
        self.versions.bump(["post:1"])
        before, _ = self.versions.read([])
        shutil.rmtree(self.directory)
        after, numbers = self.reopen().read(["post:1"])
        self.assertNotEqual(after.epoch, before.epoch)  # old entries are never fresh again
        self.assertEqual(numbers, [0])


class MemoryVersionsTestCase(VersionStoreContract, unittest.TestCase):
    def setUp(self) -> None:
        self.versions = MemoryVersions()

    def reopen(self) -> MemoryVersions:
        return self.versions  # one process: one store


@unittest.skipIf(unavailable_reason(), unavailable_reason())
class RedisVersionsTestCase(VersionStoreContract, unittest.TestCase):
    def setUp(self) -> None:
        self.url = shared_redis_url()
        flush(self.url)
        self.versions = self.reopen()

    def reopen(self) -> RedisVersions:
        client = Redis.from_url(self.url)
        self.addCleanup(client.close)
        return RedisVersions(client, "flasky-test:versions")

    def test_a_flushed_redis_starts_a_new_epoch(self):
        before, _ = self.versions.read([])
        flush(self.url)
        after, _ = self.versions.read([])
        self.assertNotEqual(after.epoch, before.epoch)


class DiskCacheTestCase(unittest.TestCase):
    def setUp(self) -> None:
        directory = tempfile.mkdtemp(prefix="flasky-disk-cache-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        self.store = DiskCache(directory, size_limit=2**20, default_timeout=600,
                               key_prefix="flasky:")

    def test_get_set_add_delete(self):
        self.assertIsNone(self.store.get("page"))
        self.assertTrue(self.store.set("page", "<p>Hello</p>"))
        self.assertEqual(self.store.get("page"), "<p>Hello</p>")
        self.assertFalse(self.store.add("page", "other"))
        self.assertEqual(self.store.get_many("page", "none"), ["<p>Hello</p>", None])
        self.assertTrue(self.store.has("page"))
        self.assertTrue(self.store.delete("page"))
        self.assertFalse(self.store.has("page"))

    def test_entries_expire_after_their_timeout(self):
        self.store.set("short", "value", timeout=1)
        self.store.set("forever", "value", timeout=0)
        time.sleep(1.1)
        self.assertIsNone(self.store.get("short"))
        self.assertEqual(self.store.get("forever"), "value")

    def test_a_page_stays_in_the_database_not_a_file_beside_it(self):
        self.store.set("page", "x" * 100_000)
        files = [path for path in Path(self.store._cache.directory).rglob("*")
                 if path.is_file() and not path.name.startswith("cache.db")]
        self.assertEqual(files, [])
