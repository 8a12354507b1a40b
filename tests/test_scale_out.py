"""Flasky scaled out, as deployed on several machines: two gunicorn servers
sharing one PostgreSQL and one Redis (jobs, page cache and rate limits), a
separate ``flask worker`` running the jobs, and a real SMTP server.

It needs a PostgreSQL server to share (TEST_DATABASE_URL=postgresql://...,
as .ci/run sets it; a database of its own is made there and dropped) and a
Redis (TEST_REDIS_URL, or a redis-server this run starts). Without them it
is skipped with the reason. Every process starts once, for the whole class.
"""

import base64
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import database_url
from tests.redisserver import flush, shared_redis_url, unavailable_reason
from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "scale-out-password-7"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# An answer of 5xx in gunicorn's access log, and what Flask and gunicorn log for
# an unhandled exception or a worker's death.
ACCESS_5XX = re.compile(r'" 5\d\d ')
SERVER_ERRORS = ("Exception on ", "[ERROR]", "[CRITICAL]", "Traceback")


def _postgres_server() -> str | None:
    url = database_url("TEST_DATABASE_URL")
    return url if url and url.startswith("postgresql") else None


def _unavailable() -> str | None:
    if _postgres_server() is None:
        return ("the scale-out test shares one PostgreSQL server between its processes: "
                "set TEST_DATABASE_URL=postgresql://... (.ci/run does)")
    return unavailable_reason()


class Server:
    """One of the processes, with its log file; ``base`` for an HTTP server."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logs: Path,
                 port: int | None = None) -> None:
        self.name, self.port = name, port
        self.base = f"127.0.0.1:{port}" if port else None
        self.log_path = logs / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_it_answers(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log()[-3000:]}")
            try:
                if Browser(self).get("/auth/login")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not answer:\n{self.log()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Browser:
    """A client of one server, keeping cookies in ``jar`` (share one between
    servers: a browser sends a site's cookies whichever machine answers)."""

    def __init__(self, server: Server, jar: dict[str, str] | None = None) -> None:
        self.server = server
        self.jar = {} if jar is None else jar

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        headers = dict(headers or {})
        if self.jar:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.jar.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.jar[name.strip()] = rest.split(";", 1)[0]
            body = response.read()
            text_like = "zip" not in (response.headers.get("Content-Type") or "")
            return (response.status, body.decode() if text_like else body,
                    dict(response.headers))
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> tuple[int, str, dict[str, str]]:
        return self.request("GET", path, headers=headers)

    def csrf_token(self, path: str) -> str:
        status, page, _ = self.get(path)
        return CSRF_FIELD.search(page).group(1)

    def post_form(self, path: str, fields: dict[str, str]) -> int:
        return self.request("POST", path, urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded"})[0]

    def api(self, method: str, path: str, credentials: str, payload: dict | None = None):
        headers = {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
                   "Accept": "application/json"}
        body = None
        if payload is not None:
            body, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
        status, answer, response_headers = self.request(method, path, body, headers)
        return status, (json.loads(answer) if answer else None), response_headers


@unittest.skipIf(_unavailable(), _unavailable())
class ScaleOutTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.logs = Path(tempfile.mkdtemp(prefix="flasky-scale-out-"))
        cls.addClassCleanup(shutil.rmtree, cls.logs, ignore_errors=True)
        cls.admin = create_engine(make_url(_postgres_server()), isolation_level="AUTOCOMMIT")
        cls.database = f"flasky_scale_out_{uuid.uuid4().hex[:10]}"
        with cls.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{cls.database}"'))
        cls.addClassCleanup(cls._drop_database)
        cls.redis_url = shared_redis_url()
        flush(cls.redis_url)
        cls.smtp = SMTPServer().start()
        cls.addClassCleanup(cls.smtp.stop)
        cls.env = cls._environment()
        subprocess.run([str(BIN / "flask"), "--app", "flasky", "deploy"], cwd=ROOT, env=cls.env,
                       check=True, capture_output=True, timeout=120)
        cls.create_users("writer", "ann", "bob")
        cls.engine = create_engine(cls.env["DATABASE_URL"])
        cls.addClassCleanup(cls.engine.dispose)
        cls._start_processes()

    @classmethod
    def _environment(cls) -> dict[str, str]:
        cls.ports = [free_port(), free_port()]
        url = make_url(_postgres_server()).set(database=cls.database)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("FLASK", "TEST_", "DATABASE", "REDIS", "CACHE", "MAIL"))}
        return {**env, "FLASK_CONFIG": "production", "SECRET_KEY": secrets.token_hex(32),
                "FLASKY_TRUSTED_HOSTS": ",".join(f"127.0.0.1:{port}" for port in cls.ports),
                "SESSION_COOKIE_SECURE": "0",
                "DATABASE_URL": url.render_as_string(hide_password=False),
                "REDIS_URL": cls.redis_url, "CACHE_REDIS_URL": cls.redis_url,
                "RATELIMIT_STORAGE_URI": cls.redis_url,
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(cls.smtp.port), "MAIL_USE_TLS": "0"}

    @classmethod
    def _start_processes(cls) -> None:
        cls.servers = [
            Server(name, [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--no-control-socket",
                          "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", "-",
                          "flasky:app"], cls.env, cls.logs, port)
            for name, port in zip(("server-a", "server-b"), cls.ports, strict=True)]
        cls.worker = Server("worker", [str(BIN / "flask"), "--app", "flasky", "worker"],
                            cls.env, cls.logs)
        for process in (*cls.servers, cls.worker):
            cls.addClassCleanup(process.stop)
        for server in cls.servers:
            server.wait_until_it_answers()

    @classmethod
    def _drop_database(cls) -> None:
        with cls.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{cls.database}" WITH (FORCE)'))
        cls.admin.dispose()

    # -- helpers -------------------------------------------------------------

    @classmethod
    def create_users(cls, *usernames: str) -> None:
        """Confirmed users, straight into the shared database."""
        script = ("from app import db\nfrom app.models import User\nfrom flasky import app\n"
                  "with app.app_context():\n"
                  f"    for name in {list(usernames)!r}:\n"
                  "        db.session.add(User(email=f'{name}@example.com', username=name, "
                  f"password={PASSWORD!r}, confirmed=True))\n"
                  "    db.session.commit()\n")
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=cls.env, check=True,
                       capture_output=True, timeout=60)

    def query(self, statement: str) -> list:
        with self.engine.connect() as connection:
            return connection.execute(text(statement)).all()

    def assertNoServerErrors(self) -> None:
        for process in (*self.servers, self.worker):
            log = process.log()
            with self.subTest(process=process.name):
                self.assertEqual(ACCESS_5XX.findall(log), [], log[-3000:])
                self.assertEqual([needle for needle in SERVER_ERRORS if needle in log], [],
                                 log[-3000:])

    # -- the tests -----------------------------------------------------------

    def test_a_write_through_one_server_is_seen_through_the_other_at_once(self):
        a, b = (Browser(server) for server in self.servers)
        credentials = f"writer@example.com:{PASSWORD}"
        self.assertEqual(b.get("/")[0], 200)  # server b has the home page in the cache
        status, answer, _ = a.api("POST", "/api/v1/tokens/", credentials)
        self.assertEqual(status, 200, answer)
        token = f"{answer['token']}:"
        status, post, _ = a.api("POST", "/api/v1/posts/", token, {"body": "Hello from *a*"})
        self.assertEqual(status, 201, post)
        status, seen, _ = b.api("GET", urlsplit(post["url"]).path, token)
        self.assertEqual((status, seen["body"]), (200, "Hello from *a*"))
        self.assertIn("Hello from <em>a</em>", b.get("/")[1], "server b showed a stale page")
        self.assertNoServerErrors()

    def test_b_the_login_rate_limit_counts_across_both_servers(self):
        jar: dict[str, str] = {}
        browsers = [Browser(server, jar) for server in self.servers]
        token = browsers[0].csrf_token("/auth/login")
        wrong = {"csrf_token": token, "email": "nobody@example.com", "password": "wrong-7"}
        statuses = [browsers[attempt % 2].post_form("/auth/login", wrong)
                    for attempt in range(11)]
        self.assertEqual(statuses, [200] * 10 + [429])
        self.assertNoServerErrors()

    def test_c_a_job_queued_through_either_server_runs_once_in_the_worker(self):
        emails = ["ann@example.com", "bob@example.com"]
        for server, email in zip(self.servers, emails, strict=True):
            browser = Browser(server)
            fields = {"csrf_token": browser.csrf_token("/auth/reset"), "email": email}
            self.assertEqual(browser.post_form("/auth/reset", fields), 302)
        self.smtp.wait_for(2, timeout=30)
        time.sleep(1)  # a mail sent twice would arrive now
        self.assertEqual(sorted(message["To"] for message in self.smtp.messages), emails)
        rows = self.query("SELECT id, task, state, attempts FROM jobs "
                          "WHERE unique_key IS NULL OR unique_key NOT LIKE 'periodic:%'")
        self.assertEqual(sorted(row.task for row in rows),
                         ["app.auth.mails:mail_reset_link"] * 2
                         + ["app.mail_delivery:deliver_mail"] * 2)
        self.assertEqual({(row.state, row.attempts) for row in rows}, {("finished", 1)})
        worker_log = self.worker.log()
        for row in rows:
            self.assertIn(f"run_job({row.id})", worker_log, "a server ran a job itself")
        self.assertNoServerErrors()

    def test_d_an_export_started_on_one_server_completes_and_downloads_from_the_other(self):
        a, b = (Browser(server) for server in self.servers)
        credentials = f"ann@example.com:{PASSWORD}"
        status, started, headers = a.api("POST", "/api/v1/exports/", credentials)
        self.assertEqual(status, 202, started)
        export_path = urlsplit(headers["Location"]).path
        deadline = time.monotonic() + 30
        while True:  # polled through the other server, run by the worker
            status, export, _ = b.api("GET", export_path, credentials)
            self.assertEqual(status, 200, export)
            if export["state"] == "finished" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(export["state"], "finished", export)
        status, archive, headers = b.request("GET", urlsplit(export["download_url"]).path,
                                             headers={"Authorization": "Basic " + base64.b64encode(
                                                 credentials.encode()).decode()})
        self.assertEqual(status, 200)
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            profile = json.loads(zipped.read("profile.json"))
        self.assertEqual(profile["username"], "ann")
        [job] = self.query("SELECT state, attempts FROM jobs WHERE task = "
                           "'app.exports:build_export'")
        self.assertEqual((job.state, job.attempts), ("finished", 1))
        self.assertNoServerErrors()
