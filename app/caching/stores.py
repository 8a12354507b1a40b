"""Where the page cache keeps its entries, and where it keeps the versions.

Entries (pages, post cards, values) go to Flask-Caching's store:

* by default ``DiskCache`` (``disk_store``): one SQLite file under
  ``CACHE_DIR/pages`` (default ``instance/cache``), shared by the workers of one
  machine, bounded by ``CACHE_SIZE_MB`` (least recently stored entries go first);
* Redis when ``CACHE_REDIS_URL`` is set, so several machines share it;
* SimpleCache in the tests (one process).

The versions that say whether an entry is fresh (``versions``) must never be
pushed out by entries, so they are kept apart: ``CACHE_DIR/versions.sqlite``
next to the disk store, one hash without expiry in the same Redis, or memory
next to SimpleCache. If they are lost anyway, the next read starts a new epoch:
every page is rendered once more; nothing stale is shown.

In front of the store, each worker keeps its own copies of the pages it read or
stored last (``near``), held to the same freshness rule as the shared ones.

A cache that fails (Redis unreachable) is an empty cache (``cache_call``).
"""

import logging
import time
from pathlib import Path
from typing import Any

import redis
from flask import Flask, current_app

from app.caching.near import NearEntries
from app.extensions import cache

VERSIONS = "flasky_cache_versions"  # app.extensions: the version store
NEAR = "flasky_cache_near"  # app.extensions: this worker's copies (``near``)
DISK_STORE = "app.caching.disk_store.DiskCache"


def versions() -> Any:
    """The version store (``versions.SqliteVersions``, ``RedisVersions`` or ``MemoryVersions``)."""
    return current_app.extensions[VERSIONS]


def near() -> Any:
    """This worker's copies of the pages it served last (``near.NearEntries``)."""
    return current_app.extensions[NEAR]


def _version_store(app: Flask) -> Any:
    from app.caching.versions import MemoryVersions, RedisVersions, SqliteVersions

    kind = app.config.get("CACHE_TYPE")
    if kind == "SimpleCache":
        return MemoryVersions()
    if kind == "RedisCache":
        client = redis.Redis.from_url(app.config["CACHE_REDIS_URL"],
                                      **(app.config.get("CACHE_OPTIONS") or {}))
        return RedisVersions(client, f"{app.config['CACHE_KEY_PREFIX']}versions")
    return SqliteVersions(Path(app.config["CACHE_DIR"]) / "versions.sqlite")


def init_stores(app: Flask) -> None:
    options = {}
    if app.config.get("CACHE_TYPE") not in ("SimpleCache", "RedisCache"):
        app.config["CACHE_DIR"] = app.config.get("CACHE_DIR") or str(
            Path(app.instance_path) / "cache")
        options["CACHE_DIR"] = str(Path(app.config["CACHE_DIR"]) / "pages")
    cache.init_app(app, config=options)
    app.extensions[VERSIONS] = _version_store(app)
    app.extensions[NEAR] = NearEntries()


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
