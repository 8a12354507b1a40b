"""The versions of what cached entries show, and the clock that orders writes and renders.

Every *tag* (``post:7``, ``user:3``, ``table:posts``, ``*``; ``changes`` says which
write moves which) has the clock reading of its last change, 0 when it never
changed. A write moves the clock once and stamps each tag it changed with the new
reading (``bump``); an entry remembers the reading taken before its data was read
(``now``) and the tags it shows, and stays fresh while none of them moved past it.
So a commit that lands while a page renders leaves that page stale at most until
its next read, never longer.

The versions must never be evicted (a lost version would read as "never changed"),
so they live apart from the entries, one small row or hash field per tag (bounded by
the site's content), with an *epoch* drawn when the store is created: if the store
is lost, entries stamped in the old epoch are never fresh again.

* ``SqliteVersions``: ``CACHE_DIR/versions.sqlite``, shared by the workers of one
  machine (WAL; a bump is one short transaction).
* ``RedisVersions``: one hash without expiry, next to the Redis page cache (a Redis
  with ``maxmemory`` must use a ``volatile-*`` policy, which only evicts keys that expire).
* ``MemoryVersions``: one process (the tests' SimpleCache).
"""

import os
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLOCK, EPOCH = "~clock", "~epoch"


@dataclass(frozen=True)
class Stamp:
    """A clock reading in one epoch of the version store."""

    epoch: int
    clock: int


class MemoryVersions:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {CLOCK: 0, EPOCH: secrets.randbits(62)}

    def read(self, tags: Sequence[str]) -> tuple[Stamp, list[int]]:
        with self._lock:
            return (Stamp(self._versions[EPOCH], self._versions[CLOCK]),
                    [self._versions.get(tag, 0) for tag in tags])

    def bump(self, tags: Iterable[str]) -> None:
        with self._lock:
            self._versions[CLOCK] += 1
            for tag in tags:
                self._versions[tag] = self._versions[CLOCK]


class SqliteVersions:
    """One table of (tag, version) in a SQLite file; a connection per process and thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():  # a forked worker opens its own
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("CREATE TABLE IF NOT EXISTS versions "
                               "(tag TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID")
            connection.execute("INSERT OR IGNORE INTO versions VALUES (?, 0), (?, ?)",
                               (CLOCK, EPOCH, secrets.randbits(62)))
            local.connection, local.pid = connection, os.getpid()
        return local.connection

    def read(self, tags: Sequence[str]) -> tuple[Stamp, list[int]]:
        wanted = [CLOCK, EPOCH, *tags]
        rows = dict(self._connection().execute(
            f"SELECT tag, version FROM versions WHERE tag IN ({','.join('?' * len(wanted))})",  # nosec B608: placeholders only
            wanted).fetchall())
        return Stamp(rows[EPOCH], rows[CLOCK]), [rows.get(tag, 0) for tag in tags]

    def bump(self, tags: Iterable[str]) -> None:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            clock = connection.execute("UPDATE versions SET version = version + 1 "
                                       "WHERE tag = ? RETURNING version", (CLOCK,)).fetchone()[0]
            connection.executemany(
                "INSERT INTO versions VALUES (?, ?) "
                "ON CONFLICT (tag) DO UPDATE SET version = excluded.version",
                [(tag, clock) for tag in tags])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


BUMP_SCRIPT = """
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
local clock = redis.call('HINCRBY', KEYS[1], '~clock', 1)
for i = 3, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], clock) end
return clock
"""


class RedisVersions:
    """One Redis hash of tag -> version, shared by every machine of the site."""

    def __init__(self, client: Any, key: str) -> None:
        self.client, self.key = client, key
        self._bump = client.register_script(BUMP_SCRIPT)

    def read(self, tags: Sequence[str]) -> tuple[Stamp, list[int]]:
        values = self.client.hmget(self.key, [CLOCK, EPOCH, *tags])
        if values[1] is None:  # a new (or lost) store: draw its epoch
            self.client.hsetnx(self.key, EPOCH, secrets.randbits(62))
            values = self.client.hmget(self.key, [CLOCK, EPOCH, *tags])
        numbers = [int(value) if value is not None else 0 for value in values]
        return Stamp(numbers[1], numbers[0]), numbers[2:]

    def bump(self, tags: Iterable[str]) -> None:
        self._bump(keys=[self.key], args=[EPOCH, secrets.randbits(62), *tags])
