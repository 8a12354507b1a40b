"""The live workload's tables and targets (``bench.live`` measures them)."""

import json

from bench.live import LIVE_PAGES, Block, to_json
from bench.report import RESULTS

LABELS = {"home": "home, anonymous", "followed": "home, Followed", "profile": "profile",
          "post": "post with comments"}
# At 10 writes/s with the cache on, on small: each page's share of hello-world.
LIVE_TARGETS = {"home": 0.30, "followed": 0.25, "profile": 0.25, "post": 0.25}
UNCACHED_TARGET = 0.15
P99_LIMIT_MS = 50.0
NOISE = 0.95  # "never slower with the cache on": within 5 % of the cache-off figure


def _block(measured: dict, cache: bool, rate: float) -> Block | None:
    return next((block for block in measured["blocks"]
                 if block.cache == cache and block.rate == rate), None)


def _rates(measured: dict) -> list[float]:
    return sorted({block.rate for block in measured["blocks"]})


def summary_table(measured: dict) -> list[str]:
    """Ratio to hello-world (p99 ms) per page, rate and cache setting."""
    rates = _rates(measured)
    columns = [(cache, rate) for cache in (True, False) for rate in rates]
    lines = ["| page | " + " | ".join(f"cache {'on' if cache else 'off'}, {rate:g} writes/s"
                                      for cache, rate in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for name in LIVE_PAGES:
        cells = []
        for cache, rate in columns:
            block = _block(measured, cache, rate)
            result = block.pages[name]
            cells.append(f"{result.requests_per_second / block.hello_rps:.2f} "
                         f"({result.p99_ms:.0f} ms)")
        lines.append(f"| {LABELS[name]} | " + " | ".join(cells) + " |")
    return lines


def _hits(result) -> str:
    rate = result.hit_rate
    return "–" if rate is None else f"{rate:.0%}"


def detail_table(measured: dict) -> list[str]:
    lines = ["| page | cache | writes/s | hello-world req/s | req/s | ratio | p50 ms | "
             "p99 ms | non-2xx | server CPU ms per request | cache hit rate |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for block in measured["blocks"]:
        for name, result in block.pages.items():
            lines.append(
                f"| {LABELS[name]} | {'on' if block.cache else 'off'} | {block.rate:g} | "
                f"{block.hello_rps:,.0f} | {result.requests_per_second:,.0f} | "
                f"{result.requests_per_second / block.hello_rps:.2f} | "
                f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.non_2xx} | "
                f"{result.cpu_ms_per_request:.2f} | {_hits(result)} |")
    return lines


def writes_table(measured: dict) -> list[str]:
    lines = ["| cache | writes/s | writes | failed | late (> 1 s behind) | write p50 / p99 ms | "
             "stale after | cache entries | cache MB |",
             "|---|---:|---:|---:|---:|---:|---|---:|---:|"]
    for block in measured["blocks"]:
        entries = "–" if block.cache_entries is None else f"{block.cache_entries:,}"
        timing = ("–" if block.write_p50_ms is None
                  else f"{block.write_p50_ms:.0f} / {block.write_p99_ms:.0f}")
        lines.append(f"| {'on' if block.cache else 'off'} | {block.rate:g} | {block.attempted} | "
                     f"{block.failed} | {block.late} | {timing} | "
                     f"{'; '.join(block.stale) or 'nothing'} | {entries} | "
                     f"{block.cache_megabytes:.1f} |")
    return lines


def tables(measured: dict, connections: int, seconds: int, workers: int) -> str:
    hello = measured["hello"]
    return "\n".join([
        f"Live workload: gunicorn -w {workers}, wrk -c{connections} for {seconds}s per page "
        f"while the writer writes. Hello-world is measured before the first block and after "
        f"each one ({', '.join(f'{result.requests_per_second:,.0f}' for result in hello)} "
        f"req/s; server CPU per request {min(r.cpu_ms_per_request for r in hello):.2f}–"
        f"{max(r.cpu_ms_per_request for r in hello):.2f} ms); each block's ratios use the "
        f"mean of the figures around it. Server CPU per request includes the writes'.",
        "", "Ratio to hello-world (p99):", "", *summary_table(measured), "",
        *detail_table(measured), "", "Writes, and the cache after each block:", "",
        *writes_table(measured)])


def check_targets(size: str, measured: dict) -> list[tuple[str, bool]]:
    checks = []
    for block in measured["blocks"]:
        state = f"cache {'on' if block.cache else 'off'}, {block.rate:g} writes/s"
        checks.append((f"{state}: {block.failed} failed writes, {block.late} late, "
                       f"{'nothing' if not block.stale else 'something'} stale",
                       block.failed == 0 and block.late == 0 and not block.stale))
        for name, result in block.pages.items():
            ratio = result.requests_per_second / block.hello_rps
            if size == "small" and block.cache and block.rate == 10:
                target = LIVE_TARGETS[name]
                checks.append((f"{LABELS[name]}, {state}: ratio {ratio:.2f} >= {target}",
                               ratio >= target))
                checks.append((f"{LABELS[name]}, {state}: p99 {result.p99_ms:.1f} ms "
                               f"< {P99_LIMIT_MS:.0f} ms", result.p99_ms < P99_LIMIT_MS))
            if size == "small" and not block.cache:
                checks.append((f"{LABELS[name]}, {state}: ratio {ratio:.2f} >= "
                               f"{UNCACHED_TARGET}", ratio >= UNCACHED_TARGET))
            uncached = _block(measured, False, block.rate) if block.cache else None
            if uncached is not None:
                off = uncached.pages[name].requests_per_second
                checks.append((f"{LABELS[name]}, {block.rate:g} writes/s: cache on "
                               f"{result.requests_per_second:,.0f} req/s >= {NOISE:.0%} of off "
                               f"({off:,.0f})", result.requests_per_second >= NOISE * off))
    return checks


def publish(size: str, args, machine_info: dict, measured: dict) -> None:
    text = (f"### {size}, live workload\n\n"
            + tables(measured, args.connections, args.live_seconds, args.workers)
            + "\n\nMachine: " + "; ".join(f"{key} {value}" for key, value
                                          in machine_info.items()) + ".")
    checks = check_targets(size, measured)
    print()
    print(text)
    print()
    for description, passed in checks:
        print(f"[{'PASS' if passed else 'FAIL'}] {description}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{size}-live.md").write_text(text + "\n")
    data = {"machine": machine_info, **to_json(measured),
            "checks": [{"check": text, "passed": passed} for text, passed in checks]}
    (RESULTS / f"{size}-live.json").write_text(json.dumps(data, indent=2) + "\n")
