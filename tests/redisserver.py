"""Redis for the tests: TEST_REDIS_URL when set (CI starts one), else a
throwaway ``redis-server`` on 127.0.0.1 that this process starts, with no
persistence, in a temporary directory. Tests flush the database they use.

``shared_redis_url()`` is one server for the whole test run; ``RedisServer``
is a server of a test's own, which it can stop and start again on the same
port (Redis going down while Flasky is configured to use it).
"""

import atexit
import os
import shutil
import subprocess
import tempfile
import time

from redis import Redis
from redis.exceptions import RedisError

from tests.smtp import free_port

SERVER = "redis-server"


def unavailable_reason(own_server: bool = False) -> str | None:
    """Why these tests cannot have a Redis here (None when they can). A test that
    stops and starts the server needs the program even when TEST_REDIS_URL is set."""
    if not own_server and os.environ.get("TEST_REDIS_URL"):
        return None
    if shutil.which(SERVER) is None:
        return ("redis-server is not installed (apt-get install redis-server), "
                "and TEST_REDIS_URL names no Redis")
    return None


class RedisServer:
    """``with RedisServer() as server:``; ``server.url``, ``stop()``, ``start()``."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="flasky-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        log = open(os.path.join(self.directory, "redis.log"), "ab")  # noqa: SIM115
        with log:
            self.process = subprocess.Popen(
                [SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", self.directory],
                cwd=self.directory, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_it_answers()
        return self

    def _wait_until_it_answers(self, timeout: float = 10) -> None:
        client = Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    client.ping()
                    return
                except (OSError, RedisError):  # still starting
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {self.log()[-2000:]}")
                time.sleep(0.05)
        finally:
            client.close()

    def log(self) -> str:
        path = os.path.join(self.directory, "redis.log")
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "RedisServer":
        try:
            return self.start()
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


_shared: RedisServer | None = None


def shared_redis_url() -> str:
    """TEST_REDIS_URL, or one server started for this test run (stopped at exit)."""
    global _shared
    if os.environ.get("TEST_REDIS_URL"):
        return os.environ["TEST_REDIS_URL"]
    if _shared is None:
        _shared = RedisServer().__enter__()
        atexit.register(_shared.__exit__)
    return _shared.url


def flush(url: str) -> None:
    """Empty the database ``url`` names, so each test starts with no queue."""
    client = Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
