#!/usr/bin/env python3
"""What the navbar bell's polling costs: many signed-in tabs asking for the
unread count every 15 seconds, as app/static/js/notifications.js does.

Runs the production config under gunicorn on 127.0.0.1 over a fresh SQLite
file, signs in ``--users`` people, opens ``--tabs`` tabs among them (tabs of
one person share its session cookie), and for ``--duration`` seconds has every
tab ask GET /notifications/count every ``--interval`` seconds with the ETag of
its last answer, each tab at its own phase. Meanwhile one person a second
follows someone, so some counts change and those tabs get a 200 with the new
count; the rest get 304. It prints the request rate, the statuses, the
latencies and the CPU the server's processes used (from /proc).

    python scripts/pollload.py [--tabs 1000] [--interval 15] [--duration 60]
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from loadclients import Client, Tally, log_in  # noqa: E402
from loadtest import (  # noqa: E402
    PASSWORD,
    ScratchDatabase,
    app_context,
    server_environment,
    stop_server,
)

from tests.smtp import SMTPServer, free_port  # noqa: E402

COUNT = "/notifications/count"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=1000)
    parser.add_argument("--users", type=int, default=200, help="people the tabs belong to")
    parser.add_argument("--interval", type=float, default=15.0, help="seconds between polls")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=32, help="client threads")
    return parser.parse_args()


def seed(environment: dict[str, str], users: int) -> list[str]:
    subprocess.run([str(BIN / "flask"), "--app", "flasky", "deploy"], env=environment,
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    from app import db
    from app.models import User

    with app_context(environment):
        people = [User(email=f"reader{n}@example.com", username=f"reader{n}",
                       password=PASSWORD, confirmed=True) for n in range(users)]
        db.session.add_all(people)
        db.session.commit()
        return [person.email for person in people]


def start_server(environment: dict[str, str], workers: int, log_path: Path):
    port = free_port()
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--no-control-socket", "--graceful-timeout", "10", "flasky:app"]
    log = open(log_path, "wb")  # noqa: SIM115 (closed by stop_server)
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log_path.read_text()[-2000:]}")
        try:
            if Client(base_url).get("/auth/login").status == 200:
                return process, log, base_url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn master and its workers so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry.name), int(fields[1])
        if pid == master or parent == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Tab:
    def __init__(self, base_url: str, cookies: dict[str, str], tally: Tally) -> None:
        self.client = Client(base_url, tally)
        self.client.cookies = dict(cookies)
        self.etag: str | None = None

    def poll(self) -> None:
        headers = {"Accept": "application/json"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        answer = self.client.request("GET", COUNT, headers=headers)
        self.etag = answer.headers.get("ETag", self.etag)


def run_tabs(tabs: list[Tab], interval: float, until: float) -> None:
    """Poll each tab every ``interval`` seconds, each at its own phase."""
    start = time.monotonic()
    due = [start + random.uniform(0, interval) for _ in tabs]
    while True:
        index = min(range(len(tabs)), key=due.__getitem__)
        if due[index] >= until:
            return
        time.sleep(max(0.0, due[index] - time.monotonic()))
        tabs[index].poll()
        due[index] += interval


def follow_now_and_then(clients: list[Client], names: list[str], until: float) -> None:
    while time.monotonic() < until:
        client = random.choice(clients)
        client.post_form(f"/follow/{random.choice(names)}", {})
        time.sleep(1.0)


def main() -> int:
    arguments = parse_arguments()
    directory = Path(tempfile.mkdtemp(prefix="flasky-poll-"))
    database = ScratchDatabase(None, directory)
    with SMTPServer() as smtp:
        environment = server_environment(database.url, smtp.port, directory)
        emails = seed(environment, arguments.users)
        process, log, base_url = start_server(environment, arguments.workers,
                                              directory / "gunicorn.log")
        try:
            return measure(arguments, base_url, emails, process.pid)
        finally:
            stop_server(process, log)


def measure(arguments, base_url: str, emails: list[str], master: int) -> int:
    people = []
    for email in emails:
        client = Client(base_url)
        if not log_in(client, email, PASSWORD):
            raise RuntimeError(f"could not sign in {email}")
        people.append(client)
    tally = Tally()
    tabs = [Tab(base_url, people[n % len(people)].cookies, tally) for n in range(arguments.tabs)]
    for tab in tabs:  # the page load: every tab has its first ETag before the clock starts
        tab.poll()
    tally.statuses.clear()
    tally.latencies.clear()
    groups = [tabs[n::arguments.threads] for n in range(arguments.threads)]
    cpu_before, started = cpu_seconds(master), time.monotonic()
    until = started + arguments.duration
    names = [email.split("@")[0] for email in emails]
    threads = [threading.Thread(target=run_tabs, args=(group, arguments.interval, until))
               for group in groups]
    threads.append(threading.Thread(target=follow_now_and_then, args=(people, names, until)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.monotonic() - started, cpu_seconds(master) - cpu_before
    polls = Counter({status: count for status, count in tally.statuses.items()})
    report(arguments, polls, tally, elapsed, cpu)
    return 0 if tally.errors == 0 and all(status in (200, 304) for status in polls) else 1


def report(arguments, polls: Counter, tally: Tally, elapsed: float, cpu: float) -> None:
    total = sum(polls.values())
    p50, p95, worst = tally.latency_ms()
    ordered = sorted(tally.latencies) or [0.0]
    p99 = ordered[min(int(0.99 * len(ordered)), len(ordered) - 1)] * 1000
    print(f"{arguments.tabs} tabs of {arguments.users} people, a poll every "
          f"{arguments.interval:g} s each, {arguments.workers} gunicorn workers, "
          f"{elapsed:.1f} s measured")
    print(f"polls: {total} ({total / elapsed:.1f}/s; expected "
          f"{arguments.tabs / arguments.interval:.1f}/s), statuses {dict(polls)}, "
          f"errors {tally.errors}")
    print(f"latency: median {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
          f"worst {worst:.1f} ms")
    print(f"server CPU: {cpu:.2f} s in {elapsed:.1f} s = {100 * cpu / elapsed:.1f}% of one "
          f"core, {1000 * cpu / max(total, 1):.2f} ms per request (the follows included)")


if __name__ == "__main__":
    sys.exit(main())
