"""Realistic fake users, posts, follows and comments, inserted in bulk.

Rows go in as Core ``insert()`` executemany batches (bulk_insert.py),
never ORM objects one by one, so a million posts take seconds, not hours.
What is expensive per row is done once and reused: one password hash for
every fake user, and a few hundred Markdown bodies rendered once.

Time runs forward like on a real site: users join over the past year,
posts and comments come after their authors joined (and comments after
their post), and ids grow with timestamps. A few posts draw many comments.
"""

import hashlib
import random
import secrets
import string
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from faker import Faker
from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.caching import content_changed
from app.extensions import db
from app.fake.bulk_insert import (
    Progress,
    bulk_loading,
    insert_rows,
    quiet_slow_query_log,
    silent_progress,
)
from app.models import Comment, Follow, Post, Role, User, utcnow
from app.rendering import render_comment_html, render_post_html, render_profile_html
from app.search.rebuild import paused as search_index_paused

FAKE_PASSWORD = "password"
POOL_SIZE = 300
HISTORY = timedelta(days=365)


class FakeData:
    """One seeded run: every random choice comes from ``faker`` and ``rng``."""

    def __init__(self, seed: int | None = None, progress: Progress = silent_progress,
                 now: datetime | None = None) -> None:
        self.faker = Faker()
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)
        self.progress = progress
        self.now = (now or utcnow()).timestamp()
        self.sqlite = db.engine.dialect.name == "sqlite"

    # -- pools: generated (and rendered) once, reused for every row ----------

    def _pool(self, make: Callable[[], str], size: int = POOL_SIZE) -> list[str]:
        return [make() for _ in range(size)]

    def _markdown_post(self) -> str:
        paragraphs = self.faker.paragraphs(nb=self.rng.randint(1, 3))
        style = self.rng.random()
        if style < 0.2:
            words = self.faker.words(nb=2)
            paragraphs[0] = f"**{' '.join(words).capitalize()}** - {paragraphs[0]}"
        elif style < 0.35:
            paragraphs.append("\n".join(f"- {s}" for s in self.faker.sentences(nb=3)))
        elif style < 0.45:
            paragraphs.append(f"> {self.faker.sentence()}")
        elif style < 0.55:
            paragraphs.append(f"More at <https://example.com/{self.faker.slug()}>.")
        return "\n\n".join(paragraphs)

    def _markdown_comment(self) -> str:
        text = self.faker.sentence(nb_words=self.rng.randint(4, 18))
        return f"*{text}*" if self.rng.random() < 0.1 else text

    def _bodies(self, make: Callable[[], str], render: Callable[[str], str]) -> list[tuple]:
        return [(body, render(body)) for body in self._pool(make)]

    # -- users ---------------------------------------------------------------

    def _usernames(self, count: int) -> Iterator[str]:
        first_names = [self._ascii(self.faker.first_name()) for _ in range(POOL_SIZE)]
        last_names = [self._ascii(self.faker.last_name()) for _ in range(POOL_SIZE)]
        taken = set(db.session.scalars(select(func.lower(User.username))))
        for _ in range(count):
            first, last = self.rng.choice(first_names), self.rng.choice(last_names)
            shape = self.rng.randrange(4)
            base = (f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}",
                    f"{first}_{last[0]}")[shape]
            if shape != 0 and self.rng.random() < 0.5:
                base = base.lower()
            name, number = base, 1
            while name.lower() in taken:
                number += 1
                name = f"{base}{number}"
            taken.add(name.lower())
            yield name

    @staticmethod
    def _ascii(text: str) -> str:
        letters = "".join(c for c in text if c in string.ascii_letters)
        return letters or "user"

    def users(self, count: int) -> list[tuple[int, float]]:
        """Insert ``count`` users; returns (id, member_since) in joining order."""
        password_hash = generate_password_hash(
            FAKE_PASSWORD, method=current_app.config["FLASKY_PASSWORD_HASH_METHOD"])
        role_id = db.session.scalar(select(Role.id).where(Role.default.is_(True)))
        abouts = self._bodies(self.faker.sentence, render_profile_html)
        cities = self._pool(self.faker.city)
        domains = ["example.com", "example.org", "example.net"]
        taken_emails = set(db.session.scalars(select(User.email)))
        since = sorted(self.rng.uniform(self.now - HISTORY.total_seconds(), self.now)
                       for _ in range(count))
        rows = []
        for username, joined in zip(self._usernames(count), since, strict=True):
            email = f"{username.lower()}@{self.rng.choice(domains)}"
            while email in taken_emails:
                email = f"{username.lower()}{self.rng.randrange(10**6)}@example.com"
            taken_emails.add(email)
            about, about_html = self.rng.choice(abouts)
            rows.append((
                email, username, role_id, password_hash, True,
                username.replace(".", " ").replace("_", " ").title(),
                self.rng.choice(cities), about, about_html, self._time(joined),
                self._time(self.rng.uniform(joined, self.now)),
                hashlib.md5(email.encode(), usedforsecurity=False).hexdigest(),
                secrets.token_hex(8),
            ))
        columns = ("email", "username", "role_id", "password_hash", "confirmed", "name",
                   "location", "about_me", "about_me_html", "member_since", "last_seen",
                   "avatar_hash", "auth_stamp")
        ids = self._insert(User, columns, iter(rows), len(rows), "users")
        return list(zip(ids, since, strict=True))

    # -- posts, comments, follows --------------------------------------------

    def posts(self, count: int, users: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Insert ``count`` posts, each after its author joined; returns (id, timestamp)."""
        if not users or count <= 0:
            return []
        bodies = self._bodies(self._markdown_post, render_post_html)
        joined = [since for _, since in users]
        times = sorted(self.rng.uniform(joined[0], self.now) for _ in range(count))

        def rows() -> Iterator[tuple]:
            for moment in times:
                author = users[int(self.rng.random() * bisect_right(joined, moment))][0]
                yield (*self.rng.choice(bodies), self._time(moment), author)

        columns = ("body", "body_html", "timestamp", "author_id")
        ids = self._insert(Post, columns, rows(), count, "posts")
        return list(zip(ids, times, strict=True))

    def comments(self, count: int, users: list[tuple[int, float]],
                 posts: list[tuple[int, float]]) -> int:
        """Insert ``count`` comments; popularity is heavy-tailed, as on a real site."""
        if not users or not posts or count <= 0:
            return 0
        bodies = self._bodies(self._markdown_comment, render_comment_html)
        joined = [since for _, since in users]
        posted = [moment for _, moment in posts]
        weights = list(accumulate(min(self.rng.paretovariate(1.2), 5_000.0) for _ in posts))
        start = max(posted[0], joined[0])

        def rows() -> Iterator[tuple]:
            for moment in sorted(self.rng.uniform(start, self.now) for _ in range(count)):
                eligible = bisect_right(posted, moment)
                post = posts[bisect_left(weights, self.rng.random() * weights[eligible - 1])][0]
                author = users[int(self.rng.random() * bisect_right(joined, moment))][0]
                yield (*self.rng.choice(bodies), self._time(moment),
                       self.rng.random() < 0.01, author, post)

        columns = ("body", "body_html", "timestamp", "disabled", "author_id", "post_id")
        self._insert(Comment, columns, rows(), count, "comments", returning_ids=False)
        return count

    def follows(self, per_user: int, users: list[tuple[int, float]]) -> int:
        """Each user follows ``per_user`` others: never themselves, never twice."""
        per_user = min(per_user, len(users) - 1)
        if per_user <= 0:
            return 0
        count = per_user * len(users)
        seconds, stamps = self._moments(users[0][1], min(count, 2**17))
        # The first moment after each user joined: a follow comes after both did.
        first = [min(bisect_left(seconds, joined), len(stamps) - 1) for _, joined in users]
        last = len(stamps) - 1
        random = self.rng.random

        def rows() -> Iterator[tuple]:
            for index, (follower, _) in enumerate(users):
                picks = self.rng.sample(range(len(users)), per_user + 1)
                for other in sorted(pick for pick in picks if pick != index)[:per_user]:
                    earliest = max(first[index], first[other])
                    moment = earliest + int(random() * (last - earliest + 1))
                    yield follower, users[other][0], stamps[moment]

        columns = ("follower_id", "followed_id", "timestamp")
        self._insert(Follow, columns, rows(), count, "follows", returning_ids=False)
        return count

    def _moments(self, start: float, count: int) -> tuple[list[float], list[Any]]:
        """``count`` evenly spread moments from ``start`` to now, converted once:
        ten million follows reuse them instead of converting each timestamp."""
        step = (self.now - start) / max(count, 1)
        seconds = [start + step * (position + 1) for position in range(count)]
        return seconds, [self._time(moment) for moment in seconds]

    # -- helpers ---------------------------------------------------------------

    def _time(self, seconds: float) -> Any:
        """A timestamp as the driver stores it, skipping per-value type processing.

        SQLite keeps naive UTC text (the format the models read back);
        PostgreSQL takes aware datetimes directly.
        """
        moment = datetime.fromtimestamp(seconds, UTC)
        if self.sqlite:  # "YYYY-MM-DD HH:MM:SS.ffffff" without the "+00:00"
            return moment.isoformat(" ", "microseconds")[:26]
        return moment

    def _insert(self, model: Any, columns: tuple[str, ...], rows: Iterator[tuple], count: int,
                label: str, returning_ids: bool = True) -> list[int]:
        """Insert ``rows`` in executemany batches; ids come back in insertion order.

        """
        table = model.__table__
        before = db.session.scalar(select(func.max(table.c.id))) if returning_ids else None
        insert_rows(table, columns, rows, count, label, self.progress)
        if not returning_ids:
            return []
        ids = db.session.scalars(
            select(table.c.id).where(table.c.id > (before or 0)).order_by(table.c.id)).all()
        return list(ids)


def fill(users: int, posts: int, follows: int, comments: int, seed: int | None = None,
         progress: Progress = silent_progress, now: datetime | None = None) -> dict[str, int]:
    """Add fake data to the database and commit; returns how many rows of each."""
    Role.insert_roles()
    fake = FakeData(seed=seed, progress=progress, now=now)
    tables = [model.__table__ for model in (User, Post, Follow, Comment)]
    with (quiet_slow_query_log(), bulk_loading(tables, progress),
          search_index_paused(db.session.connection(), progress=progress)):
        user_rows = fake.users(users)
        post_rows = fake.posts(posts, user_rows)
        counts = {"users": len(user_rows), "posts": len(post_rows),
                  "follows": fake.follows(follows, user_rows),
                  "comments": fake.comments(comments, user_rows, post_rows)}
    content_changed()  # the rows went in below the ORM, unseen by its events
    return counts
