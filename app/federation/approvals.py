"""Approving followers from other servers by hand: a person who turns it on
gets remote follows as a pending list and answers each with Accept or Reject.
Each function leaves the commit to its caller."""

from typing import Any

from sqlalchemy import Select, select

from app.extensions import db
from app.federation.replies import accept_follow, reject_follow
from app.models import Follow, FollowerApproval, PendingFollower, RemoteActor, User


def approves_by_hand(user: User) -> bool:
    return db.session.get(FollowerApproval, user.id) is not None


def set_approval(user: User, by_hand: bool) -> None:
    row = db.session.get(FollowerApproval, user.id)
    if by_hand and row is None:
        db.session.add(FollowerApproval(user_id=user.id))
    elif not by_hand and row is not None:
        db.session.delete(row)


def hold(user: User, actor: RemoteActor, follow: dict[str, Any]) -> None:
    """Keep a remote follow of ``user`` until they answer it."""
    pending = db.session.get(PendingFollower, (user.id, actor.id))
    if pending is None:
        db.session.add(PendingFollower(user_id=user.id, actor_id=actor.id,
                                       activity_uri=follow["id"]))
    else:
        pending.activity_uri = follow["id"]


def pending_of(user: User) -> Select:
    return (select(PendingFollower).where(PendingFollower.user_id == user.id)
            .order_by(PendingFollower.timestamp.desc()))


def answer(user: User, actor_id: int, approve: bool) -> PendingFollower | None:
    """Accept (the account then follows ``user``) or reject a pending follow;
    None when there is none from that account."""
    pending = db.session.get(PendingFollower, (user.id, actor_id))
    if pending is None:
        return None
    follow = {"id": pending.activity_uri}
    if approve:
        if db.session.get(Follow, (pending.actor.user_id, user.id)) is None:
            db.session.add(Follow(follower_id=pending.actor.user_id, followed_id=user.id))
        accept_follow(user, pending.actor, follow)
    else:
        reject_follow(user, pending.actor, follow)
    db.session.delete(pending)
    return pending
