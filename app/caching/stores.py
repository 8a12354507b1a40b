"""Where the page cache keeps its entries, and where it keeps the content version.

Pages, post cards and counts go to Flask-Caching's store: files under
``CACHE_DIR/pages`` (default ``instance/cache``), shared by the workers of one
machine, or Redis when ``CACHE_REDIS_URL`` is set. The *content version*, which
every key includes, must never be pushed out by them: losing it invalidates every
page at once. So it is kept apart:

* files: a folder of its own, ``CACHE_DIR/meta``, that nothing prunes (it holds one
  small file per code fingerprint). cachelib's FileSystemCache prunes entries
  without expiry first, which is what the version was when it lived among the pages.
* Redis: a key without expiry next to pages that all expire
  (``CACHE_DEFAULT_TIMEOUT``). A Redis with ``maxmemory`` must use a ``volatile-*``
  policy (``volatile-lru``), which only evicts keys that expire.
* SimpleCache (the tests, one process): a store of its own in memory.

If the version is lost anyway (Redis restarted, the folder deleted), the next
request starts a new one: every page is rendered once more; nothing stale is shown.

The page folder is bounded by ``CACHE_THRESHOLD`` files and pruned in batches
(``PageFileCache``), so a write does not read the whole folder.
"""

import contextlib
import logging
import os
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_caching.backends import FileSystemCache, SimpleCache
from flask_caching.backends.base import BaseCache

from app.extensions import cache

METADATA = "flasky_cache_metadata"  # app.extensions: where the content version lives
# A page folder over CACHE_THRESHOLD is pruned to this share of it.
PRUNE_TO = 0.8


class PageFileCache(FileSystemCache):
    """FileSystemCache whose pruning costs one pass over the folder per
    (1 - PRUNE_TO) x CACHE_THRESHOLD new entries, instead of two on every write.

    Once over its threshold, cachelib's version opens every file on each write
    to drop the expired ones and then the one that expires first. Here one pass
    reads only the files' modification times and removes the oldest written
    (pages share one timeout, so they expire first too) down to PRUNE_TO of the
    threshold.
    """

    def _prune(self) -> None:
        if not self._over_threshold():
            return
        files = []
        for path in self._list_dir():
            with contextlib.suppress(OSError):  # gone: another worker pruned it
                files.append((os.stat(path).st_mtime, path))
        files.sort()
        excess = max(0, len(files) - int(self._threshold * PRUNE_TO))
        for _, path in files[:excess]:
            with contextlib.suppress(OSError):
                os.remove(path)
        self._update_count(value=len(files) - excess)


def metadata() -> BaseCache:
    """The store of the content version."""
    return current_app.extensions[METADATA]


def _metadata_store(app: Flask) -> BaseCache:
    kind = app.config.get("CACHE_TYPE")
    if kind == "FileSystemCache":
        return FileSystemCache(str(Path(app.config["CACHE_DIR"]) / "meta"), threshold=0,
                               default_timeout=0)
    if kind == "SimpleCache":
        return SimpleCache(default_timeout=0)
    return app.extensions["cache"][cache]


def init_stores(app: Flask) -> None:
    options = {}
    if app.config.get("CACHE_TYPE") == "FileSystemCache":
        app.config["CACHE_DIR"] = app.config.get("CACHE_DIR") or str(
            Path(app.instance_path) / "cache")
        options["CACHE_DIR"] = str(Path(app.config["CACHE_DIR"]) / "pages")
        options["CACHE_TYPE"] = f"{__name__}.PageFileCache"
    cache.init_app(app, config=options)
    app.extensions[METADATA] = _metadata_store(app)


logger = logging.getLogger(__name__)

# After a cache failure, the app leaves the cache alone for a while instead of
# waiting for its timeout on every call.
CACHE_RETRY_SECONDS = 10.0


def cache_call(operation: Any, fallback: Any) -> Any:
    """``operation()``, or ``fallback`` while the cache is down: a cache that is
    down is an empty cache, and an outage must not take the pages with it."""
    state = current_app.extensions.setdefault("flasky_cache_down_until", [0.0])
    if time.monotonic() < state[0]:
        return fallback
    try:
        return operation()
    except Exception:
        state[0] = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning("Cache unavailable; answering without it for %.0f s",
                       CACHE_RETRY_SECONDS, exc_info=True)
        return fallback


def get(key: str) -> Any:
    return cache_call(lambda: cache.get(key), None)


def get_many(keys: list[str]) -> list[Any]:
    if not keys:
        return []
    return cache_call(lambda: list(cache.get_many(*keys)), [None] * len(keys))


def put(key: str, value: Any, timeout: int | None = None) -> None:
    cache_call(lambda: cache.set(key, value, timeout=timeout), None)
