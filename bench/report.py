"""The benchmark's tables, its targets, and the machine it ran on."""

import json
import os
import platform
import sqlite3
import statistics
import time
from dataclasses import asdict
from pathlib import Path

from bench import servers

RESULTS = Path(__file__).with_name("results")
LABELS = {"home": "home, anonymous", "followed": "home, Followed (logged in)",
          "profile": "profile", "post": "post page", "api": "API posts list",
          "search": "search, two words (never cached)"}
# Each page's requests/s as a share of hello-world's, on the small dataset.
RATIO_TARGETS = {"home": 0.25, "followed": 0.10, "profile": 0.15, "post": 0.15, "api": 0.20}
DEEP_LIMIT_MS = 100.0


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> dict[str, str]:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": f"{os.cpu_count()} x {model}", "memory": f"{memory:.0f} GiB",
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "load before": load_average()}


def time_requests(base: str, path: str, headers: dict[str, str], repeat: int = 7) -> dict:
    """Sequential requests (the first warms up): status, median and worst milliseconds."""
    timings, status = [], 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        status, _, _ = servers.request(f"{base}{path}", headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    timings = timings[1:]
    return {"path": path, "status": status, "median_ms": statistics.median(timings),
            "max_ms": max(timings)}


def _page_rows(measured: dict, baseline: float, which: str = "pages") -> list[str]:
    rows = []
    queries = measured["queries"]
    for key, result in measured[which].items():
        uncached, cached = queries[key]
        rows.append(f"| {LABELS[key]} | {result.requests_per_second:,.0f} | "
                    f"{result.requests_per_second / baseline:.2f} | {result.p50_ms:.1f} | "
                    f"{result.p99_ms:.1f} | {result.non_2xx} | {result.cpu_ms_per_request:.2f} | "
                    f"{uncached} / {cached} |")
    return rows


def tables(size: str, counts: dict, args, machine_info: dict, seeding: dict,
           measured: dict) -> str:
    hello = measured["hello"]
    baseline = statistics.mean(result.requests_per_second for result in hello)
    lines = [
        f"### {size}: {counts['users']:,} users, {counts['posts']:,} posts, "
        f"{counts['follows']} follows each, {counts['comments']:,} comments",
        "",
        f"gunicorn -w {args.workers} (sync), wrk -c{args.connections} for {args.seconds}s "
        f"per page. hello-world: {hello[0].requests_per_second:,.0f} req/s before the pages, "
        f"{hello[1].requests_per_second:,.0f} after (ratios use the mean, "
        f"{baseline:,.0f}); its server CPU per request: {hello[0].cpu_ms_per_request:.2f} ms, "
        f"{hello[1].cpu_ms_per_request:.2f} ms.",
        "",
        "| page | req/s | ratio to hello-world | p50 ms | p99 ms | non-2xx | "
        "server CPU ms per request | SQL queries (cache off / on) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *_page_rows(measured, baseline),
        "",
        "The same pages with the cache off (FLASKY_CACHE=false): every request renders.",
        "",
        "| page | req/s | ratio to hello-world | p50 ms | p99 ms | non-2xx | "
        "server CPU ms per request | SQL queries (cache off / on) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *_page_rows(measured, baseline, "uncached"),
        "",
        "Deep pages, cache off (sequential requests after one warm-up):",
        "",
        "| deep page | status | median ms | worst ms |",
        "|---|---:|---:|---:|",
        *(f"| {name} (`{row['path']}`) | {row['status']} | {row['median_ms']:.1f} | "
          f"{row['max_ms']:.1f} |" for name, row in measured["deep"].items()),
        "",
        f"`flask fake` for this size: {seeding['wall']:.1f}s wall clock, "
        f"{seeding['cpu']:.1f}s CPU.",
        "",
        "Machine: " + "; ".join(f"{key} {value}" for key, value in machine_info.items()) + ".",
    ]
    return "\n".join(lines)


def check_targets(size: str, measured: dict) -> list[tuple[str, bool]]:
    hello = statistics.mean(result.requests_per_second for result in measured["hello"])
    pages = measured["pages"]
    checks = [(f"{LABELS[key]}: non-2xx = 0 (got {result.non_2xx}, cache {state})",
               result.non_2xx == 0)
              for state, results in (("on", pages), ("off", measured["uncached"]))
              for key, result in results.items()]
    if size == "small":
        for key, target in RATIO_TARGETS.items():
            if key not in pages:
                continue
            ratio = pages[key].requests_per_second / hello
            checks.append((f"{LABELS[key]}: ratio {ratio:.2f} >= {target}", ratio >= target))
    if size == "large":
        small = _load("small")
        for key, result in pages.items():
            if small and key in small["pages"]:
                before = small["pages"][key]["p50_ms"]
                checks.append((f"{LABELS[key]}: p50 {result.p50_ms:.1f} ms within 2x of small "
                               f"({before:.1f} ms)", result.p50_ms <= 2 * before))
        if "followed" in pages:
            followed = pages["followed"].p99_ms
            checks.append((f"Followed p99 {followed:.1f} ms < 100 ms", followed < 100))
    for name, row in measured["deep"].items():
        if "page 500" in name:
            checks.append((f"{name}: {row['median_ms']:.1f} ms < {DEEP_LIMIT_MS:.0f} ms "
                           f"(status {row['status']})",
                           row["median_ms"] < DEEP_LIMIT_MS and row["status"] == 200))
    return checks


def _load(size: str) -> dict | None:
    path = RESULTS / f"{size}.json"
    return json.loads(path.read_text()) if path.exists() else None


def publish(size: str, counts: dict, args, machine_info: dict, seeding: dict,
            measured: dict) -> None:
    text = tables(size, counts, args, machine_info, seeding, measured)
    checks = check_targets(size, measured)
    print()
    print(text)
    print()
    for description, passed in checks:
        print(f"[{'PASS' if passed else 'FAIL'}] {description}")
    if args.pages:  # a partial run is a quick look, not a result
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{size}.md").write_text(text + "\n")
    data = {"machine": machine_info, "seeding": seeding,
            "hello": [asdict(result) for result in measured["hello"]],
            "pages": {key: asdict(result) for key, result in measured["pages"].items()},
            "uncached": {key: asdict(result) for key, result in measured["uncached"].items()},
            "deep": measured["deep"], "queries": measured["queries"],
            "targets": asdict(measured["targets"]),
            "checks": [{"check": text, "passed": passed} for text, passed in checks]}
    (RESULTS / f"{size}.json").write_text(json.dumps(data, indent=2) + "\n")
