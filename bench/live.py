"""The live workload: the busiest pages measured while a writer adds comments and
posts through the API (``writer``), at several write rates, cache on and off.

For each cache setting one server runs every rate in turn (0, 2, 10 writes/s by
default): the writer starts, wrk measures each page, the writer stops, and the
newest comment must then be on its post page and in the API (nothing stale).
"""

import sqlite3
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import servers, wrk
from bench.writer import Writer, check_not_stale

LIVE_PAGES = ("home", "followed", "profile", "post")
RATES = (0, 2, 10)


@dataclass
class Block:
    """One write rate with one cache setting: each page's figures and the writes."""

    cache: bool
    rate: float
    pages: dict[str, wrk.Result]
    attempted: int
    failed: int
    late: int
    stale: list[str]
    cache_entries: int | None
    cache_megabytes: float
    errors: list[str] = field(default_factory=list)
    write_p50_ms: float | None = None
    write_p99_ms: float | None = None
    hello_rps: float = 0.0  # hello-world around this block (the mean of before and after)


def cache_size(directory: Path) -> tuple[int | None, float]:
    """Entries and megabytes of the page cache kept under ``directory``: a SQLite
    store (``cache.db``, counted by its rows) or files (one per entry)."""
    files = [path for path in directory.rglob("*") if path.is_file()] if directory.exists() else []
    megabytes = sum(path.stat().st_size for path in files) / 2**20
    database = next((path for path in files if path.name == "cache.db"), None)
    if database is not None:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
            return connection.execute("SELECT count(*) FROM Cache").fetchone()[0], megabytes
    pages = directory / "pages"
    return (sum(1 for path in files if pages in path.parents) if pages.exists() else None,
            megabytes)


def run_block(server: servers.Server, plan: dict, load: dict, rate: float, cache: bool,
              authorization: str, post_id: int, posts: int, cache_dir: Path) -> Block:
    results = {}
    with Writer(server.base, authorization, rate, post_id, posts) as writer:
        for name in LIVE_PAGES:
            path, headers = plan[name]
            results[name] = wrk.measure(server, path, headers, **load)
        writes = writer.stop()
    stale = check_not_stale(server.base, authorization, writes)
    entries, megabytes = cache_size(cache_dir)
    print(f"    {rate:g} writes/s, cache {'on' if cache else 'off'}: "
          + ", ".join(f"{name} {result.requests_per_second:,.0f} req/s "
                      f"p99 {result.p99_ms:.0f} ms" for name, result in results.items())
          + f"; {writes.failed} of {writes.attempted} writes failed"
          + (f"; STALE: {stale}" if stale else ""), flush=True)
    return Block(cache, rate, results, writes.attempted, writes.failed, writes.late, stale,
                 entries, megabytes, writes.errors, writes.percentile(0.5),
                 writes.percentile(0.99))


def measure(env: dict[str, str], log: Path, workers: int, plan: dict, load: dict,
            rates: tuple[float, ...], authorize, post_id: int, posts: int) -> dict:
    """A Block per cache setting and rate, with hello-world measured between blocks
    (its server idles meanwhile): on a shared machine the load drifts, and each
    block's ratios use the hello-world figures just before and after it."""
    blocks, hello = [], []
    with servers.gunicorn("bench.hello:app", env, log, workers) as baseline_server:
        hello.append(wrk.measure(baseline_server, "/", {}, **load))
        for cache in (True, False):
            settings = {**env, "FLASKY_CACHE": "true" if cache else "false"}
            with servers.gunicorn("flasky:app", settings, log, workers) as server:
                authorization = authorize(server.base)
                for rate in rates:
                    block = run_block(server, plan, load, rate, cache, authorization,
                                      post_id, posts, Path(env["CACHE_DIR"]))
                    hello.append(wrk.measure(baseline_server, "/", {}, **load))
                    block.hello_rps = statistics.mean(
                        result.requests_per_second for result in hello[-2:])
                    blocks.append(block)
    return {"hello": hello, "blocks": blocks}


def to_json(measured: dict) -> dict:
    return {"hello": [asdict(result) for result in measured["hello"]],
            "blocks": [{**asdict(block), "pages": {key: asdict(value) for key, value
                                                   in block.pages.items()}}
                       for block in measured["blocks"]]}


def baseline(measured: dict) -> float:
    """Hello-world's requests/s over the whole run (each block has its own, ``hello_rps``)."""
    return statistics.mean(result.requests_per_second for result in measured["hello"])
