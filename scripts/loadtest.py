#!/usr/bin/env python3
"""Load test: concurrent readers and writers against Flasky under gunicorn.

Runs the production config under gunicorn with several workers on
127.0.0.1 over a fresh database (a temporary SQLite file, or a scratch
database on the PostgreSQL server given with --database-url), a real SMTP
server for the confirmation mails, and for a bounded time drives readers and
writers through HTTP: registrations, posts (web form and API), comments and
follows. Then it checks that every accepted write is in the database and
every registration's mail arrived, that no request got a 5xx and that no
"database is locked" reached the server log. It prints the figures and exits
non-zero when anything was lost or failed.

    .venv/bin/python scripts/loadtest.py [--duration 20] [--database-url postgresql://...]
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from loadclients import Client, Tally, run_reader, run_registrar, run_writer  # noqa: E402

from tests.smtp import SMTPServer, free_port  # noqa: E402

PASSWORD = "load-test-password-7"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--writers", type=int, default=8, help="logged-in writing clients")
    parser.add_argument("--readers", type=int, default=4, help="anonymous reading clients")
    parser.add_argument("--registrars", type=int, default=1, help="clients that sign up")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL to make a scratch database on "
                             "(default: a temporary SQLite file)")
    return parser.parse_args()


class ScratchDatabase:
    """A database of the run's own, removed afterwards."""

    def __init__(self, server_url: str | None, directory: Path) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from config import database_url

        self.admin = None
        if server_url is None:
            self.url = f"sqlite:///{directory / 'flasky.sqlite'}"
            self.label = "SQLite (WAL, file)"
            return
        os.environ["FLASKY_LOAD_SERVER"] = server_url
        server = make_url(database_url("FLASKY_LOAD_SERVER"))
        self.name = f"flasky_load_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = server.set(database=self.name).render_as_string(hide_password=False)
        self.label = "PostgreSQL"
        self._text = text

    def drop(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as connection:
                connection.execute(
                    self._text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


def server_environment(database_url: str, smtp_port: int, directory: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "flasky", "FLASK_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url,
        "CACHE_DIR": str(directory / "cache"),  # the page cache starts empty, like the database
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "RATELIMIT_ENABLED": "0",  # the load comes from one address on purpose
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port), "MAIL_USE_TLS": "0",
    }


def seed(environment: dict[str, str], writers: int) -> tuple[list[str], list[int]]:
    """Migrate the database, create confirmed writers and one post per writer."""
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "flasky"]
    subprocess.run([*flask, "deploy"], env=environment, cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    from app import db
    from app.models import Post, User

    with app_context(environment):
        users = [User(email=f"writer{n}@example.com", username=f"writer{n}",
                      password=PASSWORD, confirmed=True) for n in range(writers)]
        db.session.add_all(users)
        posts = [Post(body=f"Seed post by {user.username}", author=user) for user in users]
        db.session.add_all(posts)
        db.session.commit()
        return [user.email for user in users], [post.id for post in posts]


def app_context(environment: dict[str, str]):
    """The production app on the run's database, for setting up and checking."""
    from app import create_app

    app = create_app("production", overrides={
        "SECRET_KEY": environment["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": environment["DATABASE_URL"]})
    return app.app_context()


def start_server(environment: dict[str, str], workers: int, log_path: Path):
    port = free_port()
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
               "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--no-control-socket",
               "--graceful-timeout", "10", "flasky:app"]
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


def stop_server(process, log) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log.close()


def drive(base_url: str, emails: list[str], post_ids: list[int], arguments) -> Tally:
    tally = Tally()
    tally.post_ids.extend(post_ids)
    jobs = [(run_writer, (base_url, email, PASSWORD, emails)) for email in emails]
    jobs += [(run_reader, (base_url, emails)) for _ in range(arguments.readers)]
    jobs += [(run_registrar, (base_url, PASSWORD)) for _ in range(arguments.registrars)]
    start = threading.Barrier(len(jobs) + 1, timeout=300)
    threads = [threading.Thread(target=job, daemon=True,
                                args=(*job_arguments, tally, start, arguments.duration))
               for job, job_arguments in jobs]
    for thread in threads:
        thread.start()
    start.wait()  # everyone has logged in: the clock starts now
    started = time.monotonic()
    for thread in threads:
        thread.join(arguments.duration + 120)
    tally.elapsed = time.monotonic() - started
    return tally


def wait_for_mail(smtp: SMTPServer, expected: int) -> int:
    """Confirmation mails go out on background threads; give them a moment."""
    smtp.wait_for(expected, timeout=60)
    time.sleep(1)  # anything sent twice would arrive now
    return len(smtp.messages)


def find_lost(tally: Tally) -> Counter:
    """Accepted writes that are not in the database, by kind."""
    from sqlalchemy import select

    from app import db
    from app.models import Comment, Follow, Post, User

    lost: Counter = Counter()
    found_posts = set(db.session.scalars(select(Post.body)))
    lost["posts"] = len(set(tally.accepted_posts) - found_posts)
    found_comments = set(db.session.scalars(select(Comment.body)))
    lost["comments"] = len(set(tally.accepted_comments) - found_comments)
    follower, followed = User.__table__.alias(), User.__table__.alias()
    pairs = db.session.execute(
        select(follower.c.username, followed.c.username)
        .join(Follow, Follow.follower_id == follower.c.id)
        .join(followed, Follow.followed_id == followed.c.id)
    ).all()
    lost["follows"] = len(set(tally.accepted_follows) - {tuple(pair) for pair in pairs})
    usernames = set(db.session.scalars(select(User.username)))
    lost["registrations"] = len(set(tally.accepted_registrations) - usernames)
    return lost


# Flask's log line for an unhandled exception, gunicorn's errors, and the 503
# page's log line for a database that was unavailable.
SERVER_ERRORS = ("Exception on ", "[ERROR]", "[CRITICAL]", "Database unavailable")


def count_in_log(log_path: Path) -> Counter:
    text = log_path.read_text(errors="replace")
    counts = Counter({"database is locked": text.count("database is locked"),
                      "server errors": sum(text.count(needle) for needle in SERVER_ERRORS)})
    counts["tracebacks"] = text.count("Traceback")
    return counts


def report(label: str, arguments, tally: Tally, lost: Counter, log_counts: Counter,
           mails: int) -> bool:
    requests = sum(tally.statuses.values())
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    accepted = tally.accepted_count()
    problems = {
        "lost writes": sum(lost.values()), "5xx answers": server_errors,
        "transport errors": tally.errors, "refused writes": tally.refused,
        "'database is locked' in log": log_counts["database is locked"],
        "errors in server log": log_counts["server errors"],
        "mails missing": len(tally.accepted_registrations) - mails,
    }
    print(f"\n== Flasky load test: {label}, {arguments.workers} gunicorn workers, "
          f"{arguments.writers} writers + {arguments.readers} readers + "
          f"{arguments.registrars} registrars, {tally.elapsed:.1f} s ==")
    print(f"requests {requests} ({requests / tally.elapsed:.0f}/s), "
          f"statuses {dict(sorted(tally.statuses.items()))}")
    print(f"accepted writes {sum(accepted.values())} ({dict(accepted)}), "
          f"{sum(accepted.values()) / tally.elapsed:.0f}/s; mails delivered {mails}")
    print("latency p50 {:.0f} ms, p95 {:.0f} ms, max {:.0f} ms".format(*tally.latency_ms()))
    print("mean latency by request: " + ", ".join(
        f"{kind} {tally.time_by_kind[kind] / count * 1000:.0f} ms ({count})"
        for kind, count in tally.count_by_kind.most_common()))
    print(f"tracebacks in server log: {log_counts['tracebacks']} (warnings included; "
          "unhandled ones count as errors below)")
    for name, value in problems.items():
        print(f"{name}: {value}{'' if value == 0 else '  <-- FAIL'}")
    return not any(problems.values())


def main() -> int:
    arguments = parse_arguments()
    directory = Path(tempfile.mkdtemp(prefix="flasky-load-"))
    database = ScratchDatabase(arguments.database_url, directory)
    smtp = SMTPServer().start()
    process = log = None
    try:
        environment = server_environment(database.url, smtp.port, directory)
        emails, post_ids = seed(environment, arguments.writers)
        log_path = directory / "server.log"
        process, log, base_url = start_server(environment, arguments.workers, log_path)
        tally = drive(base_url, emails, post_ids, arguments)
        mails = wait_for_mail(smtp, len(tally.accepted_registrations))
        stop_server(process, log)
        process = None
        with app_context(environment):
            lost = find_lost(tally)
        passed = report(database.label, arguments, tally, lost, count_in_log(log_path), mails)
        if not passed:
            print(f"server log: {log_path} (kept)")
            return 1
        return 0
    finally:
        if process is not None:
            stop_server(process, log)
        smtp.stop()
        database.drop()
        if "passed" in locals() and passed:
            shutil.rmtree(directory, ignore_errors=True)




if __name__ == "__main__":
    sys.exit(main())
