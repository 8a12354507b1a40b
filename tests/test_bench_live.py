"""The live workload's helpers: the writer's plan, wrk's cache counts, the cache's size,
and the targets the report checks (no timing here: only what the figures mean)."""

import random
import shutil
import sqlite3
import tempfile
import unittest
from pathlib import Path

from app.caching.disk_store import DiskCache
from bench import live_report, wrk
from bench.live import Block, cache_size
from bench.writer import Writes, plan

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:5000/
  Latency Distribution
     50%    6.50ms
     99%   12.00ms
  2000 requests in 8.00s, 60.00MB read
Requests/sec:    250.00
non2xx 3
cache hits 1900 misses 97
"""


def result(rps: float, p99: float = 10.0) -> wrk.Result:
    return wrk.Result(requests_per_second=rps, p50_ms=5.0, p99_ms=p99, non_2xx=0,
                      requests=int(rps * 8), cache_hits=90, cache_misses=10)


def block(cache: bool, rate: float, rps: float, failed: int = 0, stale=(),
          p99: float = 10.0) -> Block:
    pages = {name: result(rps, p99) for name in live_report.LIVE_PAGES}
    return Block(cache, rate, pages, attempted=80, failed=failed, late=0, stale=list(stale),
                 cache_entries=10, cache_megabytes=1.0, hello_rps=1000.0)


class WriterPlanTestCase(unittest.TestCase):
    def test_a_cycle_of_ten_writes(self):
        chooser = random.Random(1)
        writes = [plan(index, 42, 500, chooser) for index in range(20)]
        self.assertEqual([kind for kind, _ in writes].count("post"), 2)
        self.assertEqual(writes[0], ("post", 0))
        self.assertEqual(writes[1], ("comment", 42))  # the measured post, once per cycle
        self.assertTrue(all(1 <= post <= 500 for kind, post in writes if kind == "comment"))

    def test_percentiles_of_the_writes(self):
        writes = Writes(milliseconds=[float(n) for n in range(1, 101)])
        self.assertAlmostEqual(writes.percentile(0.5), 50.5)
        self.assertGreater(writes.percentile(0.99), 99)
        self.assertIsNone(Writes().percentile(0.5))


class WrkCountsTestCase(unittest.TestCase):
    def test_cache_answers_are_read(self):
        parsed = wrk.parse(WRK_OUTPUT)
        self.assertEqual((parsed.cache_hits, parsed.cache_misses, parsed.non_2xx), (1900, 97, 3))
        self.assertAlmostEqual(parsed.hit_rate, 1900 / 1997)
        self.assertIsNone(wrk.Result(1, 1, 1, 0, 1).hit_rate)  # no cacheable answer


class CacheSizeTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="flasky-bench-cache-"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)

    def test_entries_of_the_disk_store(self):
        store = DiskCache(str(self.directory / "pages"), size_limit=2**30)
        for n in range(25):
            store.set(f"page:{n}", "x" * 100)
        entries, megabytes = cache_size(self.directory)
        self.assertEqual(entries, 25)
        self.assertGreater(megabytes, 0)

    def test_entries_of_a_file_store(self):
        (self.directory / "pages").mkdir()
        for n in range(3):
            (self.directory / "pages" / f"{n}").write_text("page")
        self.assertEqual(cache_size(self.directory)[0], 3)

    def test_no_cache_yet(self):
        self.assertEqual(cache_size(self.directory / "missing"), (None, 0))

    def test_a_database_that_is_not_a_cache_fails(self):
        sqlite3.connect(self.directory / "cache.db").close()
        with self.assertRaises(sqlite3.OperationalError):
            cache_size(self.directory)


class LiveTargetsTestCase(unittest.TestCase):
    def checks(self, *blocks: Block) -> dict[str, bool]:
        return dict(live_report.check_targets("small", {"blocks": list(blocks), "hello": []}))

    def test_all_targets_hold(self):
        checks = self.checks(block(True, 10, 400), block(False, 10, 200))
        self.assertTrue(all(checks.values()), checks)

    def test_a_failed_write_a_stale_page_a_slow_page_each_fail(self):
        checks = self.checks(block(True, 10, 400, failed=1), block(False, 10, 200))
        self.assertFalse(all(checks.values()))
        checks = self.checks(block(True, 10, 400, stale=["/post/1 lacks it"]),
                             block(False, 10, 200))
        self.assertFalse(all(checks.values()))
        checks = self.checks(block(True, 10, 400, p99=80), block(False, 10, 200))
        slow = [text for text, passed in checks.items() if not passed and "p99" in text]
        self.assertEqual(len(slow), len(live_report.LIVE_PAGES))

    def test_cache_on_slower_than_off_fails(self):
        checks = self.checks(block(True, 10, 300), block(False, 10, 400))
        failing = [text for text, passed in checks.items() if not passed]
        self.assertTrue(any("cache on" in text for text in failing), failing)

    def test_the_summary_has_a_row_per_page_and_a_column_per_block(self):
        lines = live_report.summary_table({"blocks": [block(True, 0, 500), block(False, 0, 100)],
                                           "hello": []})
        self.assertEqual(len(lines), 2 + len(live_report.LIVE_PAGES))
        self.assertIn("0.50 (10 ms)", lines[2])
        self.assertIn("0.10 (10 ms)", lines[2])
