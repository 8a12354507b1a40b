"""How a page store's get and set cost grows with its size.

    .venv/bin/python -m bench.stores --entries 1000,1000000

fills the default store (``app.caching.disk_store.DiskCache``, diskcache's SQLite
cache) in a temporary folder with N entries of ``--size`` bytes, then times
``--samples`` gets of random stored keys and as many sets of new keys (unbounded
here: eviction is not timed). Answers microseconds per call (median and p99).
"""

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from app.caching.disk_store import DiskCache


def fill(store: DiskCache, entries: int, value: str, batch: int = 10_000) -> None:
    """N entries in transactions of ``batch`` (a page cache fills one set at a time;
    batching only makes the filling itself quick)."""
    cache = store._cache
    for start in range(0, entries, batch):
        with cache.transact():
            for n in range(start, min(entries, start + batch)):
                cache.set(f"page:{n}", value)


def time_calls(call, keys: list[str]) -> dict[str, float]:
    timings = []
    for key in keys:
        started = time.perf_counter()
        call(key)
        timings.append((time.perf_counter() - started) * 1e6)
    return {"median_us": statistics.median(timings),
            "p99_us": statistics.quantiles(timings, n=100)[98]}


def measure(entries: int, size: int, samples: int, directory: Path) -> dict:
    value = "x" * size
    store = DiskCache(str(directory), size_limit=2**40, default_timeout=600)
    fill(store, entries, value)
    chooser = random.Random(entries)
    stored = [f"page:{chooser.randrange(entries)}" for _ in range(samples)]
    fresh = [f"new:{n}" for n in range(samples)]
    return {"entries": entries, "get": time_calls(store.get, stored),
            "set": time_calls(lambda key: store.set(key, value), fresh)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", default="1000,100000,1000000")
    parser.add_argument("--size", type=int, default=1024, help="bytes per entry")
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()
    print("| entries | get median µs | get p99 µs | set median µs | set p99 µs |")
    print("|---:|---:|---:|---:|---:|")
    for entries in (int(value) for value in args.entries.split(",")):
        with tempfile.TemporaryDirectory(prefix="flasky-store-") as directory:
            row = measure(entries, args.size, args.samples, Path(directory))
        print(f"| {entries:,} | {row['get']['median_us']:.0f} | {row['get']['p99_us']:.0f} | "
              f"{row['set']['median_us']:.0f} | {row['set']['p99_us']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
