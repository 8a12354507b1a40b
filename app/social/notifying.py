"""Creating notifications, from SQLAlchemy session events: a new follow,
comment, post (its @mentions), private message or report notifies the people
it concerns, whichever view or API call wrote it, so no view has to remember.

Nobody is notified of their own doing, by someone they blocked or muted, or
twice for one comment. Each new notification adds one to its recipient's
``unread_notifications`` (the bell), in the same flush as the row.
"""

from collections import Counter
from typing import Any

from flask import flash, has_request_context, request
from flask_babel import _
from sqlalchemy import event, func, inspect, select, union_all, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.mentions import MAX_NOTIFIED, mentioned_usernames, use_username_lookup
from app.models import (
    Block,
    Comment,
    Follow,
    Message,
    Mute,
    Notification,
    Permission,
    Post,
    Report,
    Role,
    User,
)
from app.social.preferences import not_wanted_in_app

# A conversation under a busy post notifies at most this many earlier commenters.
MAX_REPLY_RECIPIENTS = 50


def _quiet_pairs(session: Session, pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which ``(user id, actor id)`` of ``pairs`` are quiet: the user blocked or
    muted the actor. One query for the whole flush."""
    if not pairs:
        return set()
    users, actors = {user for user, _ in pairs}, {actor for _, actor in pairs}
    rows = session.execute(union_all(
        select(Block.blocker_id, Block.blocked_id)
        .where(Block.blocker_id.in_(users), Block.blocked_id.in_(actors)),
        select(Mute.muter_id, Mute.muted_id)
        .where(Mute.muter_id.in_(users), Mute.muted_id.in_(actors))))
    return {(user, actor) for user, actor in rows} & pairs


class _Batch:
    """The notifications one flush creates, one per recipient and thing: gathered
    first, then checked against blocks, mutes and preferences in two queries.
    A recipient is a User, or a known user's id (a thread's earlier commenters,
    found as ids: no row of theirs is loaded)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: list[tuple[User | int, str, User, dict[str, Any]]] = []
        self.seen: set[tuple[int, str]] = set()

    def add(self, user: User | int | None, kind: str, actor: User | None, thing: str,
            **about: Any) -> None:
        # One thing has one actor, so the first of a recipient's kinds for it is kept
        # (a mention before the comment on their post), quiet or not.
        if user is None or actor is None:
            return
        user_id = _id_of(user)
        if user_id is not None and user_id == actor.id:
            return
        seen = (user_id if user_id is not None else id(user), thing)
        if seen in self.seen:
            return
        self.seen.add(seen)
        self.pending.append((user, kind, actor, about))

    def write(self) -> None:
        """Add the notifications nobody's blocks or mutes keep quiet, and each
        recipient's new unread count."""
        known = [(_id_of(user), kind, actor) for user, kind, actor, _ in self.pending]
        quiet = _quiet_pairs(self.session, {(user_id, actor.id) for user_id, _, actor in known
                                            if user_id is not None and actor.id is not None})
        unwanted = not_wanted_in_app(self.session, {(user_id, kind) for user_id, kind, _ in known
                                                    if user_id is not None})
        counts: Counter[int] = Counter()
        for user, kind, actor, about in self.pending:
            user_id = _id_of(user)
            if (user_id, actor.id) in quiet:
                continue
            # Kept even when not wanted in the app: a mail digest may want it; it is
            # then born read, left off the bell and off the page (app/social/grouping.py).
            shown = (user_id, kind) not in unwanted
            recipient = {"user_id": user_id} if user_id is not None else {"user": user}
            self.session.add(Notification(**recipient, kind=kind, actor=actor, read=not shown,
                                          **about))
            if shown and user_id is not None:
                counts[user_id] += 1
        _add_unread(self.session, counts)


def _id_of(user: User | int) -> int | None:
    return user if isinstance(user, int) else user.id


_USERS = User.__table__


def _add_unread(session: Session, counts: Counter[int]) -> None:
    """Add ``counts`` to the recipients' bells: one UPDATE for all who gain as many,
    on the session's connection (no user row is loaded or flushed; the notifications'
    own rows move their owners' ``viewer:`` tags, as the bell's count would)."""
    gaining: dict[int, list[int]] = {}
    for user_id, added in counts.items():
        gaining.setdefault(added, []).append(user_id)
    for added, user_ids in gaining.items():
        session.connection().execute(
            update(_USERS).where(_USERS.c.id.in_(user_ids))
            .values(unread_notifications=_USERS.c.unread_notifications + added))
        for user_id in user_ids:  # a recipient loaded in this session reads it afresh
            loaded = session.identity_map.get(session.identity_key(User, user_id))
            if loaded is not None:
                session.expire(loaded, ["unread_notifications"])


def _loaded(session: Session, model: type, related: Any, key: int | None) -> Any:
    """A relationship's object, whether the writer set it or only its id."""
    return related if related is not None or key is None else session.get(model, key)


def _comment(batch: _Batch, comment: Comment) -> None:
    post = _loaded(batch.session, Post, comment.post, comment.post_id)
    author = _loaded(batch.session, User, comment.author, comment.author_id)
    if post is None or author is None:
        return
    thing = f"comment:{id(comment)}"
    for user in _mentioned(batch.session, comment.body_html):
        batch.add(user, Notification.MENTION, author, thing, post=post, comment=comment)
    batch.add(post.author, Notification.COMMENT, author, thing, post=post, comment=comment)
    if post.id is None:
        return
    earlier = (select(Comment.author_id).where(Comment.post_id == post.id)
               .group_by(Comment.author_id)
               .order_by(func.max(Comment.timestamp).desc()).limit(MAX_REPLY_RECIPIENTS))
    for user_id in batch.session.scalars(earlier):
        batch.add(user_id, Notification.REPLY, author, thing, post=post, comment=comment)


def _mentioned(session: Session, html: str) -> list[User]:
    """The people ``html`` mentions, at most MAX_NOTIFIED of them (the writer is
    told when there were more)."""
    names = mentioned_usernames(html)
    if len(names) > MAX_NOTIFIED and has_request_context() and request.blueprint != "api":
        flash(_("You mentioned %(count)s people; only the first %(limit)s are notified.",
                count=len(names), limit=MAX_NOTIFIED), "warning")
    names = names[:MAX_NOTIFIED]
    if not names:
        return []
    found = {user.username: user
             for user in session.scalars(select(User).where(User.username.in_(names)))}
    return [found[name] for name in names if name in found]


def _just_published(item: Any) -> bool:
    """A draft made public in this flush: its mentions notify now, not when saved."""
    if not isinstance(item, Post) or item.draft:
        return False
    was = inspect(item).attrs.draft.history.deleted
    return bool(was) and was[0] is True


def _post(batch: _Batch, post: Post) -> None:
    if post.draft:  # nobody hears of a draft (_just_published)
        return
    author = _loaded(batch.session, User, post.author, post.author_id)
    if author is not None:
        for user in _mentioned(batch.session, post.body_html):
            batch.add(user, Notification.MENTION, author, f"post:{id(post)}", post=post)


def _report(batch: _Batch, report: Report) -> None:
    moderators = (select(User).join(Role, Role.id == User.role_id)
                  .where(Role.permissions.op("&")(Permission.MODERATE) != 0))
    for moderator in batch.session.scalars(moderators):
        batch.add(moderator, Notification.REPORT, report.reporter, f"report:{id(report)}",
                  report=report)


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    new = [item for item in session.new
           if isinstance(item, Follow | Comment | Post | Message | Report)]
    new += [item for item in session.dirty if _just_published(item)]
    if not new:
        return
    batch = _Batch(session)
    for item in new:
        if isinstance(item, Follow):
            batch.add(_loaded(session, User, item.followed, item.followed_id),
                      Notification.FOLLOW,
                      _loaded(session, User, item.follower, item.follower_id),
                      f"follow:{id(item)}")
        elif isinstance(item, Comment):
            _comment(batch, item)
        elif isinstance(item, Post):
            _post(batch, item)
        elif isinstance(item, Message):
            batch.add(item.recipient, Notification.MESSAGE, item.sender,
                      f"message:{id(item)}", message=item)
        else:
            _report(batch, item)
    batch.write()


def recount_unread(user: User) -> None:
    """Set the bell's count from the rows (after notifications were removed)."""
    unread = (select(func.count()).select_from(Notification)
              .where(Notification.user_id == user.id, Notification.read.is_(False))
              .scalar_subquery())
    db.session.execute(update(User).where(User.id == user.id)
                       .values(unread_notifications=unread))


def existing_usernames(names: list[str]) -> dict[str, str]:
    """For @mention links: lowered name -> username, for the names in use."""
    with db.session.no_autoflush:  # rendering runs while a new post is being built
        rows = db.session.scalars(
            select(User.username).where(func.lower(User.username).in_(names)))
        return {username.lower(): username for username in rows}


def listen_for_notifications() -> None:
    """Installed by create_app: the session event, and the @mention links' lookup."""
    use_username_lookup(existing_usernames)
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
