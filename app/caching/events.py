"""The SQLAlchemy events behind the page cache: a commit moves the tags of the
rows it wrote, and a row loaded while an entry is computed records its tags
(what each model moves and shows is declared in ``changes``)."""

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import InstanceState, Session

from app.caching.changes import BULK_TAGS, EVERYTHING, MODELS, QUIET_TABLES, changed_tags
from app.caching.entries import content_changed, enabled, record, recordings_under_way

_CHANGED = "flasky_changed_tags"


def _pending(session: Session) -> set[str]:
    return session.info.setdefault(_CHANGED, set())


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Deleted and changed rows, while their old values are there (new rows: after)."""
    pending = _pending(session)
    for item in session.deleted:
        pending |= changed_tags(item, True)
    for item in session.dirty:
        if session.is_modified(item, include_collections=False):
            pending |= changed_tags(item, False)


def _after_flush(session: Session, flush_context: Any) -> None:
    """New rows have their ids (and keys) only once flushed."""
    pending = _pending(session)
    for item in session.new:
        pending |= changed_tags(item, True)


def _on_orm_execute(state: Any) -> None:
    """Bulk INSERT, UPDATE and DELETE statements skip the flush: they may have
    changed any row of their table, so they move everything (or what ``BULK_TAGS``
    says that table's rows show)."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table not in QUIET_TABLES:
            _pending(state.session).update(BULK_TAGS.get(table, (EVERYTHING,)))


def _after_commit(session: Session) -> None:
    tags = session.info.pop(_CHANGED, None)
    if tags and has_app_context() and current_app and enabled():
        content_changed(*sorted(tags))


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def _loaded(state: InstanceState, context: Any, *attributes: Any) -> None:
    """A row was loaded (or refreshed): what is being recorded shows it. A raw
    listener, given the row's state: the ORM's wrapper that finds the row costs a call."""
    if recordings_under_way():
        instance = state.obj()
        record(MODELS[type(instance)].shown(instance))


def listen_for_changes() -> None:
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_orm_execute)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    for model in MODELS:
        event.listen(model, "load", _loaded, raw=True)
        event.listen(model, "refresh", _loaded, raw=True)
