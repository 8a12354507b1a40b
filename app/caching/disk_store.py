"""A Flask-Caching backend on diskcache: the page cache's default store.

diskcache keeps entries in one SQLite file (``CACHE_DIR/pages/cache.db``), shared
by every worker of the machine with no server to start. Each get or set is one
indexed statement, so it costs the same at a thousand entries as at a million;
the store is bounded by ``CACHE_SIZE_MB`` and, once over it, each set removes the
least recently stored entries (a few per write, by an index; reads write nothing,
so hits never wait for the write lock). docs/performance.md has the measurement
behind the choice. Values up to ``INLINE_BYTES`` live in the database itself, not
in files beside it.
"""

from typing import Any

import diskcache
from flask import Flask
from flask_caching.backends.base import BaseCache

INLINE_BYTES = 1 << 20  # pages are tens of kilobytes: keep them in the database


class DiskCache(BaseCache):
    def __init__(self, directory: str, size_limit: int, default_timeout: int = 300,
                 key_prefix: str = "") -> None:
        super().__init__(default_timeout=default_timeout)
        self.key_prefix = key_prefix
        self._cache = diskcache.Cache(
            directory, size_limit=size_limit, eviction_policy="least-recently-stored",
            disk_min_file_size=INLINE_BYTES, statistics=False, tag_index=False,
            sqlite_mmap_size=2**26)

    @classmethod
    def factory(cls, app: Flask, config: dict[str, Any], args: list[Any],
                kwargs: dict[str, Any]) -> "DiskCache":
        return cls(config["CACHE_DIR"], config["CACHE_SIZE_MB"] * 2**20,
                   default_timeout=config["CACHE_DEFAULT_TIMEOUT"],
                   key_prefix=config["CACHE_KEY_PREFIX"] or "")

    def _expire(self, timeout: int | None) -> int | None:
        seconds = self._normalize_timeout(timeout)
        return seconds or None  # 0: never

    def get(self, key: str) -> Any:
        return self._cache.get(self.key_prefix + key)

    def get_many(self, *keys: str) -> list[Any]:
        return [self._cache.get(self.key_prefix + key) for key in keys]

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return self._cache.set(self.key_prefix + key, value, expire=self._expire(timeout))

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return self._cache.add(self.key_prefix + key, value, expire=self._expire(timeout))

    def delete(self, key: str) -> bool:
        return self._cache.delete(self.key_prefix + key)

    def has(self, key: str) -> bool:
        return (self.key_prefix + key) in self._cache

    def clear(self) -> bool:
        self._cache.clear()
        return True

    def __len__(self) -> int:
        return len(self._cache)
