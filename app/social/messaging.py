"""Private messages: who may write to whom, sending, a person's conversations
and the thread with one other person, marking read, and deleting.

Refusals are sentences shown as they are by the pages and the API; the caller
commits. A person who blocked the sender is simply "not accepting messages"
from them: nothing more is said.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import _
from sqlalchemy import Select, and_, case, func, or_, select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Block, Message, Notification, User, utcnow
from app.social.notifying import recount_unread


def refusal(sender: User, recipient: User) -> str | None:
    """Why ``sender`` may not message ``recipient``, or None."""
    if sender.id == recipient.id:
        return _("You cannot send a message to yourself.")
    if not sender.confirmed:
        return _("Confirm your account before sending messages.")
    if not recipient.confirmed or recipient.deleting:
        return _("%(username)s cannot receive messages yet.", username=recipient.username)
    blockers = set(db.session.scalars(select(Block.blocker_id).where(or_(
        and_(Block.blocker_id == sender.id, Block.blocked_id == recipient.id),
        and_(Block.blocker_id == recipient.id, Block.blocked_id == sender.id)))))
    if sender.id in blockers:
        return _("You have blocked %(username)s: unblock them to send a message.",
                 username=recipient.username)
    if recipient.id in blockers:
        return _("%(username)s is not accepting messages from you.",
                 username=recipient.username)
    return None


def send(sender: User, recipient: User, body: str) -> Message:
    message = Message(sender=sender, recipient=recipient, body=body)
    db.session.add(message)
    return message


def thread(user: User, other: User) -> Select:
    """The messages between ``user`` and ``other``, oldest first."""
    return (select(Message).options(joinedload(Message.sender))
            .where(or_(and_(Message.sender_id == user.id, Message.recipient_id == other.id),
                       and_(Message.sender_id == other.id, Message.recipient_id == user.id)))
            .order_by(Message.timestamp.asc(), Message.id.asc()))


def _other_id(user_id: int):
    return case((Message.sender_id == user_id, Message.recipient_id),
                else_=Message.sender_id)


def _summaries(user_id: int):
    other = _other_id(user_id)
    unread = func.sum(case((and_(Message.recipient_id == user_id, Message.read_at.is_(None)),
                            1), else_=0))
    return (select(other.label("other_id"), func.max(Message.timestamp).label("latest"),
                   unread.label("unread"), func.count().label("total"))
            .where(or_(Message.sender_id == user_id, Message.recipient_id == user_id))
            .group_by(other))


def conversations(user: User) -> Select:
    """The people ``user`` has exchanged messages with, latest conversation first."""
    summary = _summaries(user.id).subquery()
    return (select(User).join(summary, summary.c.other_id == User.id)
            .order_by(summary.c.latest.desc(), User.id.desc()))


@dataclass
class Conversation:
    other: User
    latest: datetime
    unread: int
    total: int


def summarise(user: User, people: list[User]) -> list[Conversation]:
    """Each conversation's latest time and unread count, in one query."""
    if not people:
        return []
    summary = _summaries(user.id).subquery()
    rows = {row.other_id: row for row in db.session.execute(
        select(summary).where(summary.c.other_id.in_([person.id for person in people])))}
    return [Conversation(person, rows[person.id].latest, rows[person.id].unread or 0,
                         rows[person.id].total) for person in people]


def mark_read(user: User, other: User, shown: list[Message] | None = None) -> bool:
    """Mark what ``other`` sent ``user`` read, with its notifications; True when
    anything changed (the caller commits). With ``shown`` (the page of the thread
    just read), nothing is asked of the database unless one of them is new."""
    if shown is not None and not any(message.recipient_id == user.id and
                                     message.read_at is None for message in shown):
        return False
    changed = db.session.execute(
        update(Message).where(Message.recipient_id == user.id, Message.sender_id == other.id,
                              Message.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not changed:
        return False
    db.session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.kind == Notification.MESSAGE,
                                   Notification.actor_id == other.id,
                                   Notification.read.is_(False))
        .values(read=True).execution_options(synchronize_session=False))
    recount_unread(user)
    return True


def unread_count(user: User, other: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Message).where(
        Message.recipient_id == user.id, Message.sender_id == other.id,
        Message.read_at.is_(None)))


def can_delete(message: Message, user: User) -> bool:
    """Only its sender deletes a message, and it is gone for both."""
    return user.is_authenticated and message.sender_id == user.id
