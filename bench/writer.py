"""The writer of the live workload: comments and posts through the API at a steady pace.

Each write is, in turn of a fixed cycle of ten: one new post by the writer, one
comment on the measured post, and eight comments on posts picked at random among
all of them (most are on no page being measured; some are on page 1 of the home page).
The writer is one user standing for many, so the bench raises its posting limit.
"""

import json
import random
import threading
import time
from dataclasses import dataclass, field

from bench import servers

COMMENTS_PER_PAGE = 30  # FLASKY_COMMENTS_PER_PAGE's default, which the bench keeps


@dataclass
class Writes:
    attempted: int = 0
    failed: int = 0
    late: int = 0  # writes started more than a second after their turn
    errors: list[str] = field(default_factory=list)
    last_comment: tuple[int, str] | None = None  # (post id, body) of the newest comment


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
        return self.writes

    def _run(self) -> None:
        interval, due = 1 / self.rate, time.monotonic()
        index = 0
        while not self._stopping.is_set():
            wait = due - time.monotonic()
            if wait > 0 and self._stopping.wait(wait):
                break
            if time.monotonic() - due > 1:
                self.writes.late += 1
            self._write(index)
            index += 1
            due += interval

    def _write(self, index: int) -> None:
        kind, post_id = plan(index, self.post_id, self.posts, self._chooser)
        body = f"Live {kind} {index} at {time.time():.3f}"
        path = "/api/v1/posts/" if kind == "post" else f"/api/v1/posts/{post_id}/comments/"
        self.writes.attempted += 1
        try:
            status, _, answer = servers.request(
                f"{self.base}{path}", "POST", headers={"Authorization": self.authorization},
                json_body={"body": body})
        except OSError as error:
            status, answer = 0, str(error).encode()
        if status != 201:
            self.writes.failed += 1
            if len(self.writes.errors) < 5:
                self.writes.errors.append(f"{path}: {status} {answer[:120]!r}")
        elif kind == "comment":
            self.writes.last_comment = (post_id, body)


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
