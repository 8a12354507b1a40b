"""Cached entries that know what they show, and are fresh until any of it changes.

An ``Entry`` holds a value, the tags of what it shows, and the ``Stamp`` read
before its data was (``request_stamp``). ``read_fresh`` serves an entry while no
tag it shows has moved past that stamp: one read of its tags' versions
(``versions``), or of the clock alone when this worker found the entry fresh at
the clock's current reading. What an entry shows is *recorded* while it is
computed (``recording``): every row the ORM loads adds the tags its model declares
in ``changes.MODELS``, and an entry read from the cache inside another adds its own
tags to the outer one. ``*`` (every entry shows it) moves on writes no model
declares, so a change nothing describes still shows at once.

Keys carry the code fingerprint, so a deploy never serves what older code rendered.
"""

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, g

from app.caching.changes import EVERYTHING, shown_tags
from app.caching.stores import cache_call, get, near, put, versions
from app.caching.versions import Stamp

APP_DIRECTORY = Path(__file__).resolve().parent.parent


@functools.cache
def code_fingerprint() -> str:
    """A digest of the application's code and templates (part of every key)."""
    digest = hashlib.sha256()
    for path in sorted(APP_DIRECTORY.rglob("*")):
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            digest.update(str(path.relative_to(APP_DIRECTORY)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key_for(kind: str, name: str) -> str:
    return f"{kind}:{code_fingerprint()}:{name}"


def enabled() -> bool:
    return current_app.config["FLASKY_CACHE"]


@dataclass(frozen=True)
class Entry:
    value: Any
    tags: tuple[str, ...]
    stamp: Stamp


def request_stamp() -> Stamp | None:
    """The clock before this request read its data (read on first call); None
    while the version store is down (then nothing is stored)."""
    if "cache_stamp" not in g:
        g.cache_stamp = cache_call(lambda: versions().read(())[0], None)
    return g.cache_stamp


# The recordings under way in this request (a context variable, not ``g``: every
# row the ORM loads asks, so the answer must cost next to nothing).
_RECORDERS: ContextVar[list[set[str]] | None] = ContextVar("flasky_cache_recorders",
                                                           default=None)
# Whether anything records now, answered in C: most rows load while nothing does
# (the page cache off, or a page's cards already kept).
recordings_under_way = _RECORDERS.get


def record(tags: Iterable[str]) -> None:
    """Note that what is being computed shows ``tags``."""
    recorders = _RECORDERS.get()
    if recorders:
        for recorder in recorders:
            recorder.update(tags)


def _recorders() -> list[set[str]]:
    recorders = _RECORDERS.get()
    if recorders is None:
        recorders = []
        _RECORDERS.set(recorders)
    return recorders


def _forget(recorders: list[set[str]], recorder: set[str]) -> None:
    """Remove this very recorder (an equal set may be another one)."""
    for index, item in enumerate(recorders):
        if item is recorder:
            del recorders[index]
            return


def _already_loaded() -> set[str]:
    """Tags of the rows the session holds already (the viewer, say): a query that
    finds them loads nothing, so they count as shown from the start."""
    from sqlalchemy import inspect

    from app.extensions import db

    # An expired row records its tags when it is loaded again (the refresh event).
    return {tag for row in list(db.session.identity_map.values())
            if not inspect(row).expired_attributes for tag in shown_tags(row)}


def begin_request() -> None:
    """Forget the previous request's clock and recordings (tests share one context)."""
    g.pop("cache_stamp", None)
    _RECORDERS.set(None)


@contextmanager
def recording(*tags: str) -> Iterator[set[str]]:
    """Collects the tags of everything loaded or read from the cache inside."""
    shown = {EVERYTHING, *tags, *_already_loaded()}
    recorders = _recorders()
    recorders.append(shown)
    try:
        yield shown
    finally:
        _forget(recorders, shown)


@contextmanager
def watching() -> Iterator[set[str]]:
    """Collects the tags of what is loaded or read from the cache inside, and only
    that (a rendering that should need nothing new finds out whether it did)."""
    loaded: set[str] = set()
    recorders = _recorders()
    recorders.append(loaded)
    try:
        yield loaded
    finally:
        _forget(recorders, loaded)


def start_recording(*tags: str) -> set[str]:
    """Like ``recording``, for the rest of the request (whole pages)."""
    shown = {EVERYTHING, *tags, *_already_loaded()}
    _recorders().append(shown)
    return shown


def stop_recording(shown: set[str]) -> None:
    recorders = _RECORDERS.get()
    if recorders:
        _forget(recorders, shown)


# Entries this worker found fresh (their stamp and tags), with the clock reading
# that found them so: while the clock has not moved, no tag has, and the entry is
# fresh again without reading its tags (a page shows a hundred; the clock is one row).
_VERIFIED: dict[str, tuple[Stamp, tuple[str, ...], Stamp]] = {}
VERIFIED_LIMIT = 10_000


def _still_fresh(key: str, entry: Any) -> bool:
    if not isinstance(entry, Entry):
        return False
    now = cache_call(lambda: versions().read(())[0], None)  # now: this request may have written
    if now is not None and _VERIFIED.get(key) == (entry.stamp, entry.tags, now):
        return True
    read = cache_call(lambda: versions().read(entry.tags), None)
    if read is None:
        return False
    stamp, numbers = read
    if stamp.epoch != entry.stamp.epoch or any(
            number > entry.stamp.clock for number in numbers):
        return False
    if len(_VERIFIED) >= VERIFIED_LIMIT:
        _VERIFIED.clear()
    _VERIFIED[key] = (entry.stamp, entry.tags, stamp)
    return True


def read_fresh(key: str) -> Any | None:
    """The value under ``key`` if it is still fresh (its tags join any recording).
    This worker's own copy answers first (``near``), under the same rule."""
    copies = near()
    mine = copies.get(key)
    if mine is not None:
        if _still_fresh(key, mine):
            record(mine.tags)
            return mine.value
        copies.forget(key)
    entry = get(key)
    if entry is None or _same(entry, mine) or not _still_fresh(key, entry):
        return None
    copies.put(key, entry, current_app.config["CACHE_DEFAULT_TIMEOUT"])
    record(entry.tags)
    return entry.value


def _same(entry: Any, other: Any) -> bool:
    """Whether the shared entry is the copy already found stale."""
    return (isinstance(entry, Entry) and isinstance(other, Entry)
            and (entry.stamp, entry.tags) == (other.stamp, other.tags))


def keep(key: str, value: Any, tags: Iterable[str], stamp: Stamp | None,
         timeout: int | None = None) -> None:
    if stamp is not None:
        entry = Entry(value, tuple(sorted(tags)), stamp)
        put(key, entry, timeout=timeout)
        near().put(key, entry, current_app.config["CACHE_DEFAULT_TIMEOUT"]
                   if timeout is None else timeout)


def cached(name: str, compute: Callable[[], Any], lists: Iterable[str] = (),
           timeout: int | None = None) -> Any:
    """``compute()``, remembered under ``name`` until what it read changes. ``lists``:
    tags of lists whose new rows it must show (``table:posts``), as a load cannot
    record a row that did not exist yet."""
    if not enabled():
        return compute()
    key = key_for("value", name)
    value = read_fresh(key)
    if value is None:
        stamp = request_stamp()
        with recording(*lists) as shown:
            value = compute()
        keep(key, value, shown, stamp, timeout)
    return value


def content_changed(*tags: str) -> None:
    """Mark ``tags`` changed (everything when none is given).

    Commits through the ORM do this by themselves (``changes``); call it after
    writing with raw SQL (``flask fake`` does).
    """
    cache_call(lambda: versions().bump(tags or (EVERYTHING,)), None)
