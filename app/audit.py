"""The audit log: every action a moderator or an administrator takes, in one
table (``AuditEntry``), written by ``record`` from the one place each action
is carried out (role changes, report decisions and suspensions, comments
disabled or enabled, posts and comments deleted by someone else, accounts
deleted and profiles edited by an administrator, jobs run again, servers
blocked and unblocked).

``record`` adds the row to the caller's session without committing, so the
entry exists exactly when the action does. The role-change log and the
moderation log keep their own tables and pages; this log is the one view of
everything, with filters and a CSV export (/admin/audit).
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import AuditEntry, ModerationAction, User

ROLE_CHANGE = "role-change"
DISABLE_COMMENT = ModerationAction.DISABLE_COMMENT
ENABLE_COMMENT = "enable-comment"
DELETE_COMMENT = "delete-comment"
DELETE_ACCOUNT = "delete-account"
EDIT_PROFILE = "edit-profile"
RETRY_JOB = "retry-job"
BLOCK_DOMAIN = "block-domain"
UNBLOCK_DOMAIN = "unblock-domain"
# What the log's filter offers; the moderators' report actions keep their names.
ACTIONS = {
    ROLE_CHANGE: _l("Changed a role"),
    ModerationAction.DISMISS: _l("Dismissed a report"),
    ModerationAction.WARN: _l("Warned"),
    ModerationAction.SUSPEND: _l("Suspended"),
    ModerationAction.DISABLE_COMMENT: _l("Disabled a comment"),
    ENABLE_COMMENT: _l("Enabled a comment"),
    ModerationAction.DELETE_POST: _l("Deleted a post"),
    DELETE_COMMENT: _l("Deleted a comment"),
    ModerationAction.DELETE_MESSAGE: _l("Deleted a message"),
    DELETE_ACCOUNT: _l("Deleted an account"),
    EDIT_PROFILE: _l("Edited a profile"),
    RETRY_JOB: _l("Ran a job again"),
    BLOCK_DOMAIN: _l("Blocked a server"),
    UNBLOCK_DOMAIN: _l("Unblocked a server"),
}
CSV_COLUMNS = ("timestamp", "actor", "action", "user", "target", "details")


def record(actor: User | None, action: str, user: User | None = None,
           target: str | None = None, details: str = "") -> AuditEntry:
    """Note that ``actor`` (None: Flasky itself) did ``action`` to ``user`` or
    to ``target`` ("post:7"); the caller commits."""
    entry = AuditEntry(actor=actor, actor_name=actor.username if actor else None,
                       action=action, user=user, user_name=user.username if user else None,
                       target=target, details=details.strip())
    db.session.add(entry)
    return entry


def record_removal(actor: User, kind: str, thing: Any) -> AuditEntry | None:
    """A post or comment deleted by someone other than its author (a
    moderator); an author removing their own writing is no one's action to audit."""
    if thing.author_id == actor.id:
        return None
    action = ModerationAction.DELETE_POST if kind == "post" else DELETE_COMMENT
    return record(actor, action, user=thing.author, target=f"{kind}:{thing.id}",
                  details=(thing.body or "")[:200])


def changed_fields(form: Any, user: User, fields: Iterable[str]) -> str:
    """Which of ``fields`` an edit by an administrator changes, as the log says it."""
    return ", ".join(name for name in fields
                     if getattr(form, name).data != getattr(user, name))


def entries(actor: str = "", action: str = "", since: date | None = None,
            until: date | None = None) -> Select:
    """The log, newest first, filtered by the actor's username, the action
    and the days (``until`` included)."""
    query = (select(AuditEntry).options(joinedload(AuditEntry.user))
             .order_by(AuditEntry.timestamp.desc(), AuditEntry.id.desc()))
    if actor:
        query = query.where(func.lower(AuditEntry.actor_name) == actor.strip().lower())
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.timestamp >= _midnight(since))
    if until:
        query = query.where(AuditEntry.timestamp < _midnight(until + timedelta(days=1)))
    return query


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def csv_rows(query: Select, batch: int = 500) -> Iterator[str]:
    """The entries of ``query`` as CSV lines, a header first, read in batches.
    A cell that a spreadsheet would run as a formula starts with a quote."""
    yield _line(CSV_COLUMNS)
    for entry in db.session.scalars(query.execution_options(yield_per=batch)):
        yield _line((entry.timestamp.isoformat(), entry.actor_name or "Flasky", entry.action,
                     entry.user_name or "", entry.target or "", entry.details))


def _line(cells: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(
        ["'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
         for cell in cells])
    return buffer.getvalue()
