"""Notifications as people read them: the shared query (page and API), the
sentence each says, and grouping a page of them ("alice and 3 others commented
on your post")."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import _, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select, union, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Notification, NotificationPreference, User
from app.social.blocking import blocked_ids, muted_ids
from app.social.suspensions import suspended_ids

# What each kind says, a whole sentence around whoever did it ("alice", "alice
# and bob", "alice and 3 others"), so each language can put the names where it must.
PHRASES = {
    Notification.FOLLOW: _l("%(who)s started following you"),
    Notification.COMMENT: _l("%(who)s commented on your post"),
    Notification.MENTION: _l("%(who)s mentioned you"),
    Notification.REPLY: _l("%(who)s replied in a conversation you took part in"),
    Notification.MESSAGE: _l("%(who)s sent you a message"),
    Notification.REPORT: _l("%(who)s reported something for moderation"),
}
GONE = {
    Notification.FOLLOW: _l("An account that followed you has since been deleted."),
    Notification.COMMENT: _l("A comment on your post has since been deleted."),
    Notification.MENTION: _l("You were mentioned in something that has since been deleted."),
    Notification.REPLY: _l("A reply in a conversation you took part in has since been deleted."),
    Notification.MESSAGE: _l("A message to you has since been deleted by its sender."),
    Notification.REPORT: _l("A report has since been deleted."),
}
# Kinds whose notifications about one thing read as one line.
GROUPED = {Notification.FOLLOW, Notification.COMMENT, Notification.REPLY}


def notifications_of(user: User) -> Select:
    """``user``'s notifications, newest first, without those from people they
    blocked or muted or who are suspended, or of kinds they do not want in the
    app, with what each points at loaded."""
    hidden = union(blocked_ids(user.id), muted_ids(user.id), suspended_ids())
    unwanted = select(NotificationPreference.kind).where(
        NotificationPreference.user_id == user.id, NotificationPreference.in_app.is_(False))
    return (select(Notification)
            .options(joinedload(Notification.actor), joinedload(Notification.post),
                     joinedload(Notification.comment), joinedload(Notification.message))
            .where(Notification.user_id == user.id, Notification.kind.not_in(unwanted),
                   or_(Notification.actor_id.is_(None), Notification.actor_id.not_in(hidden)))
            .order_by(Notification.timestamp.desc(), Notification.id.desc()))


def text_of(notification: Notification) -> str:
    """The sentence one notification says on its own (the API's ``text``)."""
    if notification.gone:
        return str(GONE[notification.kind])
    return str(PHRASES[notification.kind]) % {"who": _name(notification.actor)}


def _name(user: User | None) -> str:
    return user.username if user is not None else _("A deleted account")


@dataclass
class Group:
    kind: str
    items: list[Notification] = field(default_factory=list)

    @property
    def newest(self) -> Notification:
        return self.items[0]

    @property
    def timestamp(self) -> datetime:
        return self.newest.timestamp

    @property
    def unread(self) -> bool:
        return any(not item.read for item in self.items)

    @property
    def actors(self) -> list[User]:
        seen: dict[int, User] = {}
        for item in self.items:
            if item.actor is not None:
                seen.setdefault(item.actor.id, item.actor)
        return list(seen.values())

    @property
    def text(self) -> str:
        if self.newest.gone:
            return str(GONE[self.kind])
        actors = self.actors
        others = len(actors) - 1
        who = _name(actors[0] if actors else None)
        if others == 1:
            who = _("%(first)s and %(second)s", first=who, second=actors[1].username)
        elif others > 1:
            who = ngettext("%(first)s and %(num)s other", "%(first)s and %(num)s others",
                           others, first=who)
        return str(PHRASES[self.kind]) % {"who": who}


def _key(item: Notification) -> tuple[Any, ...]:
    if item.gone or item.kind not in GROUPED:
        return ("one", item.id)
    return (item.kind, item.post_id if item.kind != Notification.FOLLOW else None)


def grouped(items: list[Notification]) -> list[Group]:
    """A page of notifications (newest first) as groups, each where its newest is."""
    groups: dict[tuple[Any, ...], Group] = {}
    for item in items:
        groups.setdefault(_key(item), Group(item.kind)).items.append(item)
    return list(groups.values())


def mark_read(user: User, items: list[Notification]) -> bool:
    """Mark all of ``user``'s notifications read once a page of them is seen, and
    clear the bell; True when anything changed (the caller commits, after
    rendering: until then the items keep their old ``read``, so the page still
    shows what was new)."""
    if user.unread_notifications == 0 and all(item.read for item in items):
        return False
    db.session.execute(update(Notification)
                       .where(Notification.user_id == user.id, Notification.read.is_(False))
                       .values(read=True).execution_options(synchronize_session=False))
    db.session.execute(update(User).where(User.id == user.id).values(unread_notifications=0)
                       .execution_options(synchronize_session=False))
    set_committed_value(user, "unread_notifications", 0)  # the bell on this very page
    return True
