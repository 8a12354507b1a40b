"""The content version every cache key includes, and values remembered until it changes.

The version changes after every commit that wrote content (``changes.py``), so
nothing cached before is served again; it is kept per code fingerprint, so a
deploy never serves what the previous code rendered.
"""

import functools
import hashlib
import secrets
from pathlib import Path
from typing import Any

from flask import current_app

from app.caching.stores import cache_call, get, metadata, put

APP_DIRECTORY = Path(__file__).resolve().parent.parent


@functools.cache
def code_fingerprint() -> str:
    """A digest of the application's code and templates.

    The content version is kept under a key that includes it, so a deploy
    never serves pages rendered by the code it replaced, and machines running
    the same code (sharing a Redis cache) agree on it.
    """
    digest = hashlib.sha256()
    for path in sorted(APP_DIRECTORY.rglob("*")):
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            digest.update(str(path.relative_to(APP_DIRECTORY)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _version_key() -> str:
    return f"content-version:{code_fingerprint()}"


def content_version() -> str:
    """The current content version; every cache key includes it."""
    version = cache_call(lambda: metadata().get(_version_key()), None)
    if version is None:
        version = content_changed()
    return version


def content_changed() -> str:
    """Start a new content version, so no page cached before is served again.

    Commits through the ORM call this by themselves; call it after writing
    with raw SQL (``flask fake`` does).
    """
    version = secrets.token_hex(8)
    cache_call(lambda: metadata().set(_version_key(), version, timeout=0), None)
    return version


def enabled() -> bool:
    return current_app.config["FLASKY_CACHE"]


def cached(name: str, compute: Any, timeout: int | None = None) -> Any:
    """``compute()``, remembered under ``name`` until the content changes."""
    if not enabled():
        return compute()
    key = f"{name}:{content_version()}"
    value = get(key)
    if value is None:
        value = compute()
        put(key, value, timeout=timeout)
    return value
