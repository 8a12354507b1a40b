"""This worker's own copies of the pages it served last, in front of the shared store.

A page hit used to fetch its entry from the shared store (one SQLite statement or
one Redis round trip) and unpickle it, a hundred tags and a page of text, on every
request. The worker now keeps the entries it read or stored last in memory, up to
``NEAR_BYTES``; they answer to the same rule as the shared copy (``entries``: fresh
while none of its tags moved past its stamp), so a copy here is never served
after what it shows changed, whichever worker changed it. Only text is kept here
(pages): a value a caller could change in place is always read afresh.
"""

import threading
import time
from collections import OrderedDict
from typing import Any

NEAR_BYTES = 16 * 2**20  # per worker: a few hundred pages


class NearEntries:
    """A bounded, least-recently-used map of key to (entry, expiry, size)."""

    def __init__(self, limit: int = NEAR_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self._entries: OrderedDict[str, tuple[Any, float, int]] = OrderedDict()
        self._lock = threading.Lock()  # the job threads share the worker

    def get(self, key: str) -> Any | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[1] <= time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: str, entry: Any, timeout: float | None) -> None:
        """Keep ``entry`` (its value text) for ``timeout`` seconds (None or 0: until
        pushed out)."""
        if not isinstance(entry.value, str):
            return
        size = len(entry.value) + 64 * len(entry.tags)
        if size > self.limit // 4:
            return
        expiry = time.monotonic() + timeout if timeout else float("inf")
        with self._lock:
            self._drop(key)
            self._entries[key] = (entry, expiry, size)
            self.size += size
            while self.size > self.limit:
                _, (_, _, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def forget(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        found = self._entries.pop(key, None)
        if found is not None:
            self.size -= found[2]

    def __len__(self) -> int:
        return len(self._entries)
