"""Notification preferences: for each kind, in the app and/or by mail, and the
signed one-click unsubscribe links digests carry (per person and kind, no
login needed)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from app.mail_link_tokens import generate_token, load_token
from app.models import Notification, NotificationPreference, Permission, User, utcnow

LABELS = {
    Notification.FOLLOW: _l("Someone follows you"),
    Notification.COMMENT: _l("Someone comments on your post"),
    Notification.MENTION: _l("Someone mentions you"),
    Notification.REPLY: _l("Someone replies where you commented"),
    Notification.MESSAGE: _l("Someone sends you a private message"),
    Notification.REPORT: _l("Someone reports something (moderators)"),
}
UNSUBSCRIBE_LIFETIME = 365 * 24 * 3600


def kinds_for(user: User) -> list[str]:
    """The kinds ``user`` can receive: reports only reach moderators."""
    return [kind for kind in Notification.KINDS
            if kind != Notification.REPORT or user.can(Permission.MODERATE)]


def preference(session: Session, user_id: int, kind: str) -> NotificationPreference | None:
    return session.get(NotificationPreference, (user_id, kind))


def not_wanted_in_app(session: Session, wanted: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which ``(user id, kind)`` of ``wanted`` their people turned off in the app,
    in one query (no row: wanted)."""
    users, kinds = {user_id for user_id, _ in wanted}, {kind for _, kind in wanted}
    if not wanted:
        return set()
    rows = session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind)
        .where(NotificationPreference.user_id.in_(users), NotificationPreference.kind.in_(kinds),
               NotificationPreference.in_app.is_(False)))
    return {(user_id, kind) for user_id, kind in rows} & wanted


def current(user: User) -> dict[str, tuple[bool, bool]]:
    """kind -> (in the app, by mail), defaults filled in."""
    rows = {row.kind: row for row in db.session.scalars(
        db.select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    return {kind: (rows[kind].in_app, rows[kind].by_mail) if kind in rows else (True, False)
            for kind in kinds_for(user)}


def choose(user: User, kind: str, in_app: bool, by_mail: bool, link_base: str | None) -> None:
    """Set one kind's preference (the caller commits). Turning mail on starts the
    digests from now: nothing from before is mailed."""
    row = preference(db.session, user.id, kind)
    if row is None:
        row = NotificationPreference(user_id=user.id, kind=kind, in_app=True, by_mail=False)
        db.session.add(row)
    if by_mail and not row.by_mail:
        row.mailed_until, row.link_base = utcnow(), link_base
    row.in_app, row.by_mail = in_app, by_mail


def unsubscribe_token(user: User, kind: str) -> str:
    return generate_token("unsubscribe", UNSUBSCRIBE_LIFETIME, user=user.id, kind=kind)


def from_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The person and kind a link unsubscribes, or None for a forged or old one."""
    data: dict[str, Any] | None = load_token("unsubscribe", token)
    if data is None or data.get("kind") not in Notification.KINDS:
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    return (user, data["kind"]) if user is not None else None


def unsubscribe(user: User, kind: str) -> bool:
    """Stop mail of ``kind`` for ``user``; False when it was off already."""
    row = preference(db.session, user.id, kind)
    if row is None or not row.by_mail:
        return False
    row.by_mail = False
    return True
