"""Run wrk against one URL and read its figures."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

COUNTER = Path(__file__).with_name("count.lua")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    requests: int
    cpu_ms_per_request: float = 0.0  # the server's CPU time, which a busy machine hardly skews
    cache_hits: int = 0  # answers with X-Flasky-Cache: hit
    cache_misses: int = 0  # and with X-Flasky-Cache: miss

    @property
    def hit_rate(self) -> float | None:
        """The share of cacheable answers that came from the cache (None: none was)."""
        answered = self.cache_hits + self.cache_misses
        return self.cache_hits / answered if answered else None


def ensure_wrk() -> str:
    """The wrk binary, installed with apt-get when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it with apt-get", flush=True)
    sudo = [] if _is_root() else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=False)
    found = shutil.which("wrk")
    if not found:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("could not install wrk; install it and run the benchmark again")
    return found


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse(output: str) -> Result:
    def find(pattern: str) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk output lacks {pattern!r}:\n{output}")
        return match.group(1)

    return Result(
        requests_per_second=float(find(r"^Requests/sec:\s+([0-9.]+)")),
        p50_ms=_milliseconds(find(r"^\s+50%\s+(\S+)")),
        p99_ms=_milliseconds(find(r"^\s+99%\s+(\S+)")),
        non_2xx=int(find(r"^non2xx (\d+)")),
        requests=int(find(r"^\s+(\d+) requests in")),
        cache_hits=int(find(r"^cache hits (\d+)")),
        cache_misses=int(find(r"^cache hits \d+ misses (\d+)")),
    )


def measure(server, path: str, headers: dict[str, str], seconds: int, connections: int) -> Result:
    """wrk against ``server``, with the CPU time the server spent per request."""
    before = server.cpu_seconds()
    result = run(f"{server.base}{path}", headers, seconds, connections)
    result.cpu_ms_per_request = (server.cpu_seconds() - before) * 1000 / max(result.requests, 1)
    return result


def run(url: str, headers: dict[str, str], seconds: int, connections: int,
        threads: int = 2) -> Result:
    command = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
               "--latency", "--timeout", "10s", "-s", str(COUNTER)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    completed = subprocess.run([*command, url], capture_output=True, text=True,
                               timeout=seconds + 60, check=True)
    return parse(completed.stdout)
