"""Start and stop gunicorn servers on loopback, and talk to them."""

import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str  # http://127.0.0.1:port
    group: int  # the process group of the master and its workers

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (Linux /proc)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.group:  # fields[2] is the process group
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, workers: int = 2) -> Iterator[Server]:
    """Serve ``app`` (module:name) with ``workers`` sync workers on loopback."""
    port = free_port()
    if "FLASKY_TRUSTED_HOSTS" in env:  # a trusted host names its port, as production's would
        hosts = env["FLASKY_TRUSTED_HOSTS"].split(",")
        env = {**env, "FLASKY_TRUSTED_HOSTS": ",".join(f"{host}:{port}" for host in hosts)}
    command = [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning", app]
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait_until_up(port, process, log)
        yield Server(f"http://127.0.0.1:{port}", process.pid)
    finally:
        _stop(process)


def _wait_until_up(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log}:\n{log.read_text()[-2000:]}")
        try:
            status, _, _ = request(f"http://127.0.0.1:{port}/", "GET")
            if status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f}s; see {log}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def request(url: str, method: str = "GET", body: dict | None = None,
            headers: dict[str, str] | None = None,
            json_body: dict | None = None) -> tuple[int, dict[str, list[str]], bytes]:
    """One plain HTTP request (a form ``body`` or a ``json_body``); answers
    (status, headers by lower-case name, body)."""
    match = re.fullmatch(r"http://([^/:]+):(\d+)(/.*)", url)
    if not match:
        raise ValueError(url)
    connection = http.client.HTTPConnection(match.group(1), int(match.group(2)), timeout=30)
    data = urlencode(body).encode() if body is not None else None
    all_headers = dict(headers or {})
    if data is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    if json_body is not None:
        data = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json"
    try:
        connection.request(method, match.group(3), body=data, headers=all_headers)
        response = connection.getresponse()
        received: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            received.setdefault(name.lower(), []).append(value)
        return response.status, received, response.read()
    finally:
        connection.close()


def _cookies(headers: dict[str, list[str]]) -> dict[str, str]:
    return dict(value.split(";", 1)[0].split("=", 1) for value in headers.get("set-cookie", []))


def log_in(base: str, email: str, password: str) -> str:
    """Log in through the real form (with its CSRF token); answers a Cookie header."""
    status, headers, page = request(f"{base}/auth/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if status != 200 or token is None:
        raise SystemExit(f"the login page answered {status} without a CSRF token")
    cookies = _cookies(headers)
    cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    status, headers, _ = request(
        f"{base}/auth/login", "POST",
        {"csrf_token": token.group(1).decode(), "email": email, "password": password},
        {"Cookie": cookie_header})
    cookies.update(_cookies(headers))
    if status not in (302, 303) or "session" not in cookies:
        raise SystemExit(f"logging in as {email} failed with status {status}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def api_token(base: str, email: str, password: str) -> str:
    """An API token for ``email``, as an Authorization header value (token, empty password)."""
    basic = base64.b64encode(f"{email}:{password}".encode()).decode()
    status, _, body = request(f"{base}/api/v1/tokens/", "POST", None,
                              {"Authorization": f"Basic {basic}"})
    if status not in (200, 201):
        raise SystemExit(f"POST /api/v1/tokens/ answered {status}: {body[:200]!r}")
    token = json.loads(body)["token"]
    return "Basic " + base64.b64encode(f"{token}:".encode()).decode()
