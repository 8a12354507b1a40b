"""Blocking and muting someone, and the questions other rules ask about it.

Each change returns None when done or a sentence saying why not, so pages and
the API show the same refusal; the caller commits.
"""

from flask import abort
from flask_babel import _
from sqlalchemy import ColumnElement, delete, or_, select

from app.extensions import db
from app.models import Block, Follow, Mute, User


def has_blocked(blocker: User, other: User) -> bool:
    """True when ``blocker`` has blocked ``other``."""
    if blocker.id is None or other.id is None:
        return False
    return db.session.get(Block, (blocker.id, other.id)) is not None


def has_muted(muter: User, other: User) -> bool:
    if muter.id is None or other.id is None:
        return False
    return db.session.get(Mute, (muter.id, other.id)) is not None


def refuse_if_blocked(owner: User, user: User) -> None:
    """Answer 403 (a page or a JSON error) when ``owner`` has blocked ``user``:
    they may not comment on ``owner``'s posts."""
    if has_blocked(owner, user):
        abort(403, _("%(username)s has blocked you: you cannot comment on their posts.",
                     username=owner.username))


def follow_refusal(follower: User, followed: User) -> str | None:
    """Why ``follower`` may not follow ``followed``, or None."""
    if has_blocked(followed, follower):
        return _("%(username)s has blocked you: you cannot follow them.",
                 username=followed.username)
    if has_blocked(follower, followed):
        return _("You have blocked %(username)s: unblock them to follow them.",
                 username=followed.username)
    return None


def block(blocker: User, blocked: User) -> str | None:
    """Block ``blocked``: follows end both ways, and cannot begin again."""
    if blocker.id == blocked.id:
        return _("You cannot block yourself.")
    if has_blocked(blocker, blocked):
        return _("You have already blocked %(username)s.", username=blocked.username)
    db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    db.session.execute(delete(Follow).where(or_(
        (Follow.follower_id == blocker.id) & (Follow.followed_id == blocked.id),
        (Follow.follower_id == blocked.id) & (Follow.followed_id == blocker.id),
    )))
    return None


def unblock(blocker: User, blocked: User) -> str | None:
    row = db.session.get(Block, (blocker.id, blocked.id))
    if row is None:
        return _("You had not blocked %(username)s.", username=blocked.username)
    db.session.delete(row)
    return None


def mute(muter: User, muted: User) -> str | None:
    if muter.id == muted.id:
        return _("You cannot mute yourself.")
    if has_muted(muter, muted):
        return _("You have already muted %(username)s.", username=muted.username)
    db.session.add(Mute(muter_id=muter.id, muted_id=muted.id))
    return None


def unmute(muter: User, muted: User) -> str | None:
    row = db.session.get(Mute, (muter.id, muted.id))
    if row is None:
        return _("You had not muted %(username)s.", username=muted.username)
    db.session.delete(row)
    return None


def blocked_ids(user_id: int | ColumnElement[int]):
    """The ids ``user_id`` has blocked, as a subquery."""
    return select(Block.blocked_id).where(Block.blocker_id == user_id)


def muted_ids(user_id: int | ColumnElement[int]):
    return select(Mute.muted_id).where(Mute.muter_id == user_id)


def ids_blocking(user_id: int | ColumnElement[int]):
    """The ids of the people who have blocked ``user_id``, as a subquery."""
    return select(Block.blocker_id).where(Block.blocked_id == user_id)


def blocks_of(user: User):
    """Block rows of ``user`` with the blocked person, newest first (settings)."""
    return (select(Block, User).join(User, User.id == Block.blocked_id)
            .where(Block.blocker_id == user.id).order_by(Block.timestamp.desc()))


def mutes_of(user: User):
    return (select(Mute, User).join(User, User.id == Mute.muted_id)
            .where(Mute.muter_id == user.id).order_by(Mute.timestamp.desc()))
