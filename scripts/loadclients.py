"""The load test's HTTP clients: a small cookie-keeping client and the
behaviours of writers, readers and new users. Only the standard library, so
the figures measure Flasky rather than a client library."""

import base64
import http.client
import json
import random
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ACCEPTED = range(200, 400)


@dataclass
class Tally:
    """What all clients saw; shared between threads behind one lock."""

    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    time_by_kind: Counter = field(default_factory=Counter)
    count_by_kind: Counter = field(default_factory=Counter)
    errors: int = 0
    refused: int = 0
    accepted_posts: list[str] = field(default_factory=list)
    accepted_comments: list[str] = field(default_factory=list)
    accepted_follows: set[tuple[str, str]] = field(default_factory=set)
    accepted_registrations: list[str] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted_count(self) -> Counter:
        return Counter({"posts": len(self.accepted_posts),
                        "comments": len(self.accepted_comments),
                        "follows": len(self.accepted_follows),
                        "registrations": len(self.accepted_registrations)})

    def latency_ms(self) -> tuple[float, float, float]:
        ordered = sorted(self.latencies) or [0.0]
        pick = lambda share: ordered[min(int(share * len(ordered)), len(ordered) - 1)]  # noqa: E731
        return pick(0.5) * 1000, pick(0.95) * 1000, ordered[-1] * 1000


@dataclass
class Answer:
    status: int
    text: str
    headers: dict[str, str]

    def csrf_token(self) -> str | None:
        match = CSRF_FIELD.search(self.text)
        return match.group(1) if match else None


class Client:
    """One browser (or API program): its own connection and cookies."""

    def __init__(self, base_url: str, tally: Tally | None = None) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.tally = tally
        self.csrf: str | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            if self.tally is not None:
                with self.tally.lock:
                    self.tally.errors += 1
            return Answer(0, "", {})
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        if self.tally is not None:
            with self.tally.lock:
                self.tally.statuses[response.status] += 1
                elapsed = time.perf_counter() - started
                self.tally.latencies.append(elapsed)
                kind = f"{method} /{path.lstrip('/').split('/')[0].split('?')[0]}"
                self.tally.time_by_kind[kind] += elapsed
                self.tally.count_by_kind[kind] += 1
        return Answer(response.status, text, dict(response.headers.items()))

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def get(self, path: str) -> Answer:
        answer = self.request("GET", path)
        self.csrf = answer.csrf_token() or self.csrf
        return answer

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        body = urlencode({**fields, "csrf_token": self.csrf or ""}).encode()
        return self.request("POST", path, body,
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, document: dict, user: str, password: str = "") -> Answer:
        credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
        return self.request("POST", path, json.dumps(document).encode(), {
            "Content-Type": "application/json", "Accept": "application/json",
            "Authorization": f"Basic {credentials}"})


def _accept(tally: Tally, answer: Answer, statuses: range, bucket, item) -> bool:
    """Remember an accepted write; count a refused one (inputs are all valid)."""
    with tally.lock:
        if answer.status in statuses:
            bucket.add(item) if isinstance(bucket, set) else bucket.append(item)
            return True
        if 400 <= answer.status < 500:
            tally.refused += 1
    return False


def log_in(client: Client, email: str, password: str) -> bool:
    client.get("/auth/login")
    answer = client.post_form("/auth/login", {"email": email, "password": password})
    client.get("/")  # the CSRF token for the forms from here on
    return answer.status in (302, 303)


def run_writer(base_url: str, email: str, password: str, everyone: list[str],
               tally: Tally, start: threading.Barrier, duration: float) -> None:
    """A logged-in user who reads, posts (web and API), comments and follows.

    Logging in and getting an API token (each a deliberately slow password
    hash) happen before the clock starts, so the figures show steady traffic."""
    client, chooser = Client(base_url), random.Random()
    username = email.split("@")[0]
    logged_in = log_in(client, email, password)
    token_answer = client.post_json("/api/v1/tokens/", {}, email, password)
    token = json.loads(token_answer.text or "{}").get("token", "")
    start.wait()
    stop_at = time.monotonic() + duration
    client.tally = tally
    if not (logged_in and token):
        with tally.lock:
            tally.refused += 1
        return
    others = [other.split("@")[0] for other in everyone if other != email]
    actions = [_read] * 35 + [_post] * 20 + [_api_post] * 15 + [_comment] * 20 + [_follow] * 10
    while time.monotonic() < stop_at:
        chooser.choice(actions)(client, tally, chooser, username, others, token)


def _marker(kind: str, username: str) -> str:
    return f"Load test {kind} by {username} {uuid.uuid4().hex}"


def _read(client, tally, chooser, username, others, token) -> None:
    with tally.lock:
        post_id = chooser.choice(tally.post_ids)
    client.get(chooser.choice(["/", f"/user/{chooser.choice(others)}", f"/post/{post_id}"]))


def _post(client, tally, chooser, username, others, token) -> None:
    body = _marker("post", username)
    _accept(tally, client.post_form("/", {"body": body}), range(300, 400),
            tally.accepted_posts, body)


def _api_post(client, tally, chooser, username, others, token) -> None:
    body = _marker("API post", username)
    answer = client.post_json("/api/v1/posts/", {"body": body}, token)
    if _accept(tally, answer, range(201, 202), tally.accepted_posts, body):
        post_id = answer.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
        if post_id.isdigit():
            with tally.lock:
                tally.post_ids.append(int(post_id))


def _comment(client, tally, chooser, username, others, token) -> None:
    with tally.lock:
        post_id = chooser.choice(tally.post_ids)
    body = _marker("comment", username)
    _accept(tally, client.post_form(f"/post/{post_id}", {"body": body}), range(300, 400),
            tally.accepted_comments, body)


def _follow(client, tally, chooser, username, others, token) -> None:
    other = chooser.choice(others)
    _accept(tally, client.post_form(f"/follow/{other}", {}), range(300, 400),
            tally.accepted_follows, (username, other))


def run_reader(base_url: str, everyone: list[str], tally: Tally, start: threading.Barrier,
               duration: float) -> None:
    """An anonymous visitor browsing the home page, profiles and posts."""
    client, chooser = Client(base_url, tally), random.Random()
    start.wait()
    stop_at = time.monotonic() + duration
    usernames = [email.split("@")[0] for email in everyone]
    while time.monotonic() < stop_at:
        with tally.lock:
            post_id = chooser.choice(tally.post_ids)
        client.get(chooser.choice(["/", f"/user/{chooser.choice(usernames)}",
                                   f"/post/{post_id}", "/auth/login"]))


def run_registrar(base_url: str, password: str, tally: Tally, start: threading.Barrier,
                  duration: float) -> None:
    """New people signing up through the form (each gets a confirmation mail)."""
    start.wait()
    stop_at = time.monotonic() + duration
    while time.monotonic() < stop_at:
        client = Client(base_url, tally)
        client.get("/auth/register")
        username = f"new{uuid.uuid4().hex[:12]}"
        answer = client.post_form("/auth/register", {
            "email": f"{username}@example.com", "username": username,
            "password": password, "password2": password})
        _accept(tally, answer, range(300, 400), tally.accepted_registrations, username)
