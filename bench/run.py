"""Flasky's benchmark: seed a database, serve it with gunicorn, drive it with wrk.

    .venv/bin/python -m bench.run --size small      (what `make bench` runs)
    .venv/bin/python -m bench.run --size large      (`make bench SIZE=large`)
    .venv/bin/python -m bench.run --live-only       (only the pages while people write)

Every figure is measured in this run, next to a hello-world Flask app served
with identical settings, so the ratios stay meaningful on a busy machine.
"""

import argparse
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import live, live_report, probe, report, servers, wrk

SIZES = {
    "tiny": {"users": 100, "posts": 1_000, "follows": 10, "comments": 1_000},
    "small": {"users": 1_000, "posts": 20_000, "follows": 50, "comments": 20_000},
    "large": {"users": 100_000, "posts": 1_000_000, "follows": 100, "comments": 1_000_000},
}
PASSWORD = "password"  # what `flask fake` gives every fake user
SEARCH_QUERY = "music+news"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="an empty database to use instead of SQLite")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--pages", help="only these pages, e.g. followed,api (for quick looks; "
                                        "targets need all)")
    parser.add_argument("--live", choices=("on", "off", "only"), default="on",
                        help="the live workload (pages while a writer writes): after the "
                             "quiet pages, not at all, or alone")
    parser.add_argument("--rates", default="0,2,10", help="the writer's rates, writes/s")
    parser.add_argument("--live-seconds", type=int, default=8,
                        help="length of each wrk run of the live workload")
    return parser.parse_args()


def server_environment(database_url: str, workdir: Path) -> dict[str, str]:
    return {
        "FLASK_APP": "flasky.py", "FLASK_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url,
        "CACHE_DIR": str(workdir / "cache"),
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "FLASKY_TRUSTED_HOSTS": "127.0.0.1,localhost",  # as production should set it
        # The live workload's writer is one user standing for many writers.
        "FLASKY_RATELIMIT_POSTING": "100000 per minute",
        # Rate limits stay on, as deployed: reads are not limited, and the benchmark
        # logs in and asks for an API token once.
    }


def seed(size: str, seed_value: int, env: dict[str, str], log: Path) -> dict[str, float]:
    """Create the schema and fill it with `flask fake`; answers wall and CPU seconds."""
    flask = [str(Path(sys.executable).with_name("flask")), "--app", "flasky"]
    run_env = {**os.environ, **env}
    with log.open("ab") as output:
        subprocess.run([*flask, "deploy"], env=run_env, cwd=servers.ROOT, check=True,
                       stdout=output, stderr=subprocess.STDOUT)
        sizes = [f"--{name}={value}" for name, value in SIZES[size].items()]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([*flask, "fake", *sizes, f"--seed={seed_value}"], env=run_env,
                       cwd=servers.ROOT, check=True, stdout=output, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def pages(targets: probe.Targets, cookie: str, authorization: str) -> dict:
    """What wrk requests: key -> (path, headers)."""
    return {
        "home": ("/", {}),
        "followed": ("/", {"Cookie": cookie + "; show_followed=1"}),
        "profile": (f"/user/{targets.profile}", {}),
        "post": (f"/post/{targets.post_id}", {}),
        "api": ("/api/v1/posts/", {"Authorization": authorization}),
        # Two words of the fake posts, found together in a few hundred posts and
        # comments on the small size; search pages are never cached.
        "search": (f"/search?q={SEARCH_QUERY}", {}),
    }


def deep_pages(size: str) -> dict[str, str]:
    """Pages far down the lists, where OFFSET pagination would crawl."""
    last = -(-SIZES[size]["posts"] // 20)
    return {
        "home, page 500": "/?page=500",
        f"home, last page ({last})": f"/?page={last}",
        "API posts, page 500": "/api/v1/posts/?page=500",
        "API comments, page 500": "/api/v1/comments/?page=500",
        "API users, page 500": "/api/v1/users/?page=500",
    }


def run_pages(server: servers.Server, plan: dict, load: dict) -> dict[str, wrk.Result]:
    results = {}
    for name, (path, headers) in plan.items():
        status, _, _ = servers.request(f"{server.base}{path}", headers=headers)
        print(f"  {name}: {path} answers {status}; running wrk", flush=True)
        results[name] = wrk.measure(server, path, headers, **load)
    return results


def _make_app(**settings):
    from app import create_app

    return create_app("production", overrides={"WTF_CSRF_ENABLED": False, **settings})


def measure_live(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> dict:
    """The live workload: the pages while the writer writes, cache on and off."""
    os.environ.update(env)
    targets = probe.find_targets(_make_app())
    with servers.gunicorn("flasky:app", env, workdir / "servers.log", args.workers) as server:
        cookie = servers.log_in(server.base, targets.email, PASSWORD)
    plan = pages(targets, cookie, "")
    print("  the live workload:", flush=True)
    return live.measure(
        env, workdir / "servers.log", args.workers, plan,
        {"seconds": args.live_seconds, "connections": args.connections},
        tuple(float(rate) for rate in args.rates.split(",")),
        lambda base: servers.api_token(base, targets.email, PASSWORD),
        targets.post_id, SIZES[args.size]["posts"])


def measure(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> dict:
    """Hello-world, the pages with the cache on (as deployed) and off, deep pages."""
    log = workdir / "servers.log"
    os.environ.update(env)  # the in-process app reads the same settings
    make_app = _make_app
    targets = probe.find_targets(make_app())
    load = {"seconds": args.seconds, "connections": args.connections}
    with servers.gunicorn("bench.hello:app", env, log, args.workers) as server:
        hello_before = wrk.measure(server, "/", {}, **load)
    with servers.gunicorn("flasky:app", env, log, args.workers) as server:
        cookie = servers.log_in(server.base, targets.email, PASSWORD)
        authorization = servers.api_token(server.base, targets.email, PASSWORD)
        plan = pages(targets, cookie, authorization)
        if args.pages:
            plan = {name: plan[name] for name in args.pages.split(",")}
        print("  with the cache on (the default):", flush=True)
        cached = run_pages(server, plan, load)
    with servers.gunicorn("flasky:app", {**env, "FLASKY_CACHE": "false"}, log,
                          args.workers) as server:
        print("  with the cache off:", flush=True)
        uncached = run_pages(server, plan, load)
        deep = {name: report.time_requests(server.base, path, _auth(path, authorization))
                for name, path in deep_pages(args.size).items()}
    with servers.gunicorn("bench.hello:app", env, log, args.workers) as server:
        hello_after = wrk.measure(server, "/", {}, **load)
    queries = probe.count_queries(make_app, plan, targets.email, PASSWORD)
    return {"hello": [hello_before, hello_after], "pages": cached, "uncached": uncached,
            "deep": deep, "queries": queries, "targets": targets}


def _auth(path: str, authorization: str) -> dict[str, str]:
    return {"Authorization": authorization} if path.startswith("/api/") else {}


def main() -> None:
    args = arguments()
    wrk.ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="flasky-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    env = server_environment(database_url, workdir)
    machine = report.machine()
    machine["database"] = database_url.split(":", 1)[0] if args.database_url else "SQLite file"
    print(f"Flasky benchmark, size {args.size} {SIZES[args.size]}, in {workdir}", flush=True)
    try:
        seeding = seed(args.size, args.seed, env, workdir / "seed.log")
        print(f"  flask fake: {seeding['wall']:.1f}s wall, {seeding['cpu']:.1f}s CPU", flush=True)
        measured = measure(args, workdir, env) if args.live != "only" else None
        if measured is not None:
            machine["load after"] = report.load_average()
            report.publish(args.size, SIZES[args.size], args, machine, seeding, measured)
        if args.live != "off":
            machine["load before"] = report.load_average()
            measured_live = measure_live(args, workdir, env)
            machine["load after"] = report.load_average()
            live_report.publish(args.size, args, machine, measured_live)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
