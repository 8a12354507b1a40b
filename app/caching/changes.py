"""Noticing content changes from SQLAlchemy session events, so no view has to
remember to invalidate anything: any commit that wrote a row a page may show
starts a new content version."""

from itertools import chain
from typing import Any

from flask import current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.caching.versions import content_changed, enabled
from app.models import (
    ApiToken,
    DataExport,
    Job,
    LoginSession,
    NotificationPreference,
    OutboxMail,
    User,
)

# Rows no page shows: writing them changes nothing a visitor sees. Every other model
# counts as content, so a table added later invalidates pages without being listed.
# Notifications, messages, blocks, mutes and reports are content: the navbar's unread
# count is on every signed-in page. Preferences are not (digests write them every minute).
QUIET_MODELS = (ApiToken, DataExport, Job, LoginSession, NotificationPreference, OutboxMail)
QUIET_TABLES = frozenset(model.__tablename__ for model in QUIET_MODELS)
# User columns whose change no cached page needs to show at once.
QUIET_USER_COLUMNS = frozenset({"last_seen"})
_CHANGED = "flasky_content_changed"


def _changes_content(instance: object, deleted_or_new: bool) -> bool:
    if isinstance(instance, QUIET_MODELS):
        return False
    if deleted_or_new or not isinstance(instance, User):
        return True
    state = inspect(instance)
    return any(state.attrs[key].history.has_changes()
               for key in state.mapper.attrs.keys()
               if key not in QUIET_USER_COLUMNS
               and not getattr(state.mapper.attrs[key], "uselist", False))


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if (any(_changes_content(item, True) for item in chain(session.new, session.deleted))
            or any(_changes_content(item, False) for item in session.dirty)):
        session.info[_CHANGED] = True


def _on_orm_execute(state: Any) -> None:
    """Bulk INSERT, UPDATE and DELETE statements skip the flush; note them here."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table not in QUIET_TABLES:
            state.session.info[_CHANGED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and current_app and enabled():
        content_changed()


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def listen_for_changes() -> None:
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _on_orm_execute)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
