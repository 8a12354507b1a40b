"""The writer of the live workload: comments and posts through the API at a steady pace.

Each write is, in turn of a fixed cycle of ten: one new post by the writer, one
comment on the measured post, and eight comments on posts picked at random among
all of them (most are on no page being measured; some are on page 1 of the home page).
The writer is one user standing for many, so the bench raises its posting limit,
and like many writers it does not wait for one write to end before the next is due:
each write starts at its turn on a thread of its own, up to ``IN_FLIGHT`` at once
(a write that finds them all busy starts late, and counts as late).
"""

import json
import random
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench import servers

IN_FLIGHT = 8
COMMENTS_PER_PAGE = 30  # FLASKY_COMMENTS_PER_PAGE's default, which the bench keeps


@dataclass
class Writes:
    attempted: int = 0
    failed: int = 0
    late: int = 0  # writes started more than a second after their turn
    errors: list[str] = field(default_factory=list)
    last_comment: tuple[int, str] | None = None  # (post id, body) of the newest comment
    milliseconds: list[float] = field(default_factory=list)  # each write's answer time
    last_index: int = -1

    def percentile(self, share: float) -> float | None:
        if len(self.milliseconds) < 2:
            return self.milliseconds[0] if self.milliseconds else None
        return statistics.quantiles(self.milliseconds, n=100)[round(share * 100) - 1]


def plan(index: int, post_id: int, posts: int, chooser: random.Random) -> tuple[str, int]:
    """What write number ``index`` does: ("post", 0) or ("comment", on which post)."""
    turn = index % 10
    if turn == 0:
        return "post", 0
    if turn == 1:
        return "comment", post_id
    return "comment", chooser.randint(1, posts)


class Writer:
    """Writes at ``rate`` per second on a thread until ``stop()``; 0 writes nothing."""

    def __init__(self, base: str, authorization: str, rate: float, post_id: int,
                 posts: int, seed: int = 1) -> None:
        self.base, self.authorization, self.rate = base, authorization, rate
        self.post_id, self.posts = post_id, posts
        self.writes = Writes()
        self._chooser = random.Random(seed)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._slots = threading.BoundedSemaphore(IN_FLIGHT)
        self._lock = threading.Lock()
        self._writes: list[threading.Thread] = []

    def __enter__(self) -> "Writer":
        if self.rate > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> Writes:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        for write in self._writes:
            write.join()
        return self.writes

    def _run(self) -> None:
        interval, due = 1 / self.rate, time.monotonic()
        index = 0
        while not self._stopping.is_set():
            wait = due - time.monotonic()
            if wait > 0 and self._stopping.wait(wait):
                break
            self._slots.acquire()
            if time.monotonic() - due > 1:
                self.writes.late += 1
            kind, post_id = plan(index, self.post_id, self.posts, self._chooser)
            write = threading.Thread(target=self._write, args=(index, kind, post_id))
            self._writes.append(write)
            write.start()
            index += 1
            due += interval

    def _write(self, index: int, kind: str, post_id: int) -> None:
        body = f"Live {kind} {index} at {time.time():.3f}"
        path = "/api/v1/posts/" if kind == "post" else f"/api/v1/posts/{post_id}/comments/"
        started = time.perf_counter()
        try:
            status, _, answer = servers.request(
                f"{self.base}{path}", "POST", headers={"Authorization": self.authorization},
                json_body={"body": body})
        except OSError as error:
            status, answer = 0, str(error).encode()
        finally:
            self._slots.release()
        with self._lock:
            self._record(index, kind, post_id, body, status, answer,
                         (time.perf_counter() - started) * 1000)

    def _record(self, index: int, kind: str, post_id: int, body: str, status: int,
                answer: bytes, milliseconds: float) -> None:
        writes = self.writes
        writes.attempted += 1
        writes.milliseconds.append(milliseconds)
        if status != 201:
            writes.failed += 1
            if len(writes.errors) < 5:
                writes.errors.append(f"{kind} {index}: {status} {answer[:120]!r}")
        elif kind == "comment" and (writes.last_comment is None
                                    or index > writes.last_index):
            writes.last_comment, writes.last_index = (post_id, body), index


def check_not_stale(base: str, authorization: str, writes: Writes) -> list[str]:
    """After the writer stopped: the newest comment is on its post page and in the
    API at the next request. Answers the problems found (none: nothing stale)."""
    if writes.last_comment is None:
        return []
    post_id, body = writes.last_comment
    problems = []
    status, _, answer = servers.request(f"{base}/api/v1/posts/{post_id}/comments/",
                                        headers={"Authorization": authorization})
    listed = json.loads(answer) if status == 200 else {}
    if body not in [item.get("body") for item in listed.get("comments", [])]:
        problems.append(f"the API's comments of post {post_id} ({status}) lack {body!r}")
    # The post page lists comments oldest first: the newest is on its last page.
    last = max(1, -(-listed.get("count", 1) // COMMENTS_PER_PAGE))
    path = f"/post/{post_id}" + (f"?page={last}" if last > 1 else "")
    status, _, page = servers.request(f"{base}{path}")
    if status != 200 or body.encode() not in page:
        problems.append(f"{path} ({status}) lacks the last comment {body!r}")
    return problems
