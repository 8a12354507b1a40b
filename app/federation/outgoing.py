"""Activities sent because something changed here, found by session events
so no view has to remember them: a post published, edited or deleted goes to
the author's remote followers (one delivery per shared inbox); a comment on a
remote account's post goes to that account; a follow or unfollow of a remote
account sends Follow or Undo; blocking one sends Block (and withdraws the follow).

``after_flush`` notes what changed (ids only: a flush may not query);
``before_commit`` builds the activities and queues their deliveries in the
same transaction, so they are sent exactly when the change is kept.
"""

import uuid

from flask import current_app, has_request_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.federation.accounts import is_remote_name, remote_actor_of
from app.federation.addresses import actor_uri, comment_uri, post_uri
from app.federation.delivery import queue_deliveries
from app.federation.documents import activity, comment_note, note_document
from app.models import (
    Block,
    Comment,
    Follow,
    Post,
    RemoteActor,
    RemoteFollow,
    RemoteObject,
    User,
)

_PENDING = "flasky_federation_outgoing"


def _post_changes(session: Session, changes: list) -> None:
    for post in session.new:
        if isinstance(post, Post) and not post.draft:
            changes.append(("create", post.id))
    for post in session.dirty:
        if isinstance(post, Post) and not post.draft and session.is_modified(post):
            state = inspect(post).attrs
            if state.draft.history.deleted:
                changes.append(("create", post.id))
            elif state.body.history.has_changes() or state.title.history.has_changes():
                changes.append(("update", post.id))
    for post in session.deleted:
        if isinstance(post, Post) and not post.draft:
            changes.append(("delete", post.id, post.author_id))


def _noted(session: Session, flush_context) -> None:
    changes = session.info.setdefault(_PENDING, [])
    _post_changes(session, changes)
    for row in session.new:
        if isinstance(row, Comment):
            changes.append(("reply", row.id))
        elif isinstance(row, Follow):
            changes.append(("follow", row.follower_id, row.followed_id))
        elif isinstance(row, Block):
            changes.append(("block", row.blocker_id, row.blocked_id))
    for row in session.deleted:
        if isinstance(row, Follow):
            changes.append(("unfollow", row.follower_id, row.followed_id))


def _send(session: Session) -> None:
    session.flush()  # what the commit is about to write is noted too
    changes = session.info.pop(_PENDING, None)
    if not changes or not current_app or not current_app.config["FLASKY_FEDERATION"]:
        return
    if not (has_request_context() or current_app.config["FLASKY_BASE_URL"]):
        return  # ids need the site's address: a request's, or FLASKY_BASE_URL
    for change in changes:
        SENDERS[change[0]](session, *change[1:])


def _local(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and not is_remote_name(user.username) else None


def _follower_inboxes(session: Session, user_id: int) -> list[str]:
    followers = select(Follow.follower_id).where(Follow.followed_id == user_id)
    return [actor.delivery_inbox for actor in session.scalars(
        select(RemoteActor).where(RemoteActor.user_id.in_(followers)))]


def _post_activity(session: Session, post_id: int, kind: str) -> None:
    post = session.get(Post, post_id)
    if post is None or post.draft or _local(session, post.author_id) is None:
        return
    inboxes = _follower_inboxes(session, post.author_id)
    if inboxes:
        suffix = "create" if kind == "Create" else f"update-{uuid.uuid4().hex}"
        body = activity(kind, actor_uri(post.author), note_document(post),
                        f"{post_uri(post)}#{suffix}")
        queue_deliveries(body, post.author, inboxes)


def _deleted(session: Session, post_id: int, author_id: int) -> None:
    author = _local(session, author_id)
    inboxes = _follower_inboxes(session, author_id) if author is not None else []
    if inboxes:
        uri = post_uri(post_id)
        body = activity("Delete", actor_uri(author), {"id": uri, "type": "Tombstone"},
                        f"{uri}#delete", to=["https://www.w3.org/ns/activitystreams#Public"])
        queue_deliveries(body, author, inboxes)


def _reply(session: Session, comment_id: int) -> None:
    comment = session.get(Comment, comment_id)
    if comment is None or _local(session, comment.author_id) is None:
        return
    post = session.get(Post, comment.post_id)
    author = remote_actor_of(post.author_id) if post is not None else None
    mirrored = session.scalar(select(RemoteObject).where(RemoteObject.post_id == post.id)
                              ) if author is not None else None
    if mirrored is None:
        return
    note = comment_note(comment, mirrored.uri, author.uri)
    body = activity("Create", actor_uri(comment.author), note, f"{comment_uri(comment)}#create")
    queue_deliveries(body, comment.author, [author.inbox])


def _follow(session: Session, follower_id: int, followed_id: int) -> None:
    follower = _local(session, follower_id)
    actor = remote_actor_of(followed_id) if follower is not None else None
    if actor is None:
        return
    uri = f"{actor_uri(follower)}#follows/{uuid.uuid4().hex}"
    existing = session.get(RemoteFollow, (follower_id, actor.id))
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(RemoteFollow(follower_id=follower_id, actor_id=actor.id, activity_uri=uri))
    queue_deliveries(activity("Follow", actor_uri(follower), actor.uri, uri), follower,
                     [actor.inbox])


def _unfollow(session: Session, follower_id: int, followed_id: int) -> None:
    follower = _local(session, follower_id)
    actor = remote_actor_of(followed_id) if follower is not None else None
    asked = session.get(RemoteFollow, (follower_id, actor.id)) if actor is not None else None
    if asked is None:
        return
    follow = {"id": asked.activity_uri, "type": "Follow", "actor": actor_uri(follower),
              "object": actor.uri}
    queue_deliveries(activity("Undo", actor_uri(follower), follow, f"{asked.activity_uri}/undo"),
                     follower, [actor.inbox])
    session.delete(asked)


def _block(session: Session, blocker_id: int, blocked_id: int) -> None:
    """Tell a remote account it is blocked (its server then stops showing it the
    blocker's posts), and withdraw the blocker's follow of it."""
    blocker = _local(session, blocker_id)
    actor = remote_actor_of(blocked_id) if blocker is not None else None
    if actor is None:
        return
    uri = actor_uri(blocker)
    queue_deliveries(activity("Block", uri, actor.uri, f"{uri}#blocks/{uuid.uuid4().hex}"),
                     blocker, [actor.inbox])
    _unfollow(session, blocker_id, blocked_id)


SENDERS = {"create": lambda session, post_id: _post_activity(session, post_id, "Create"),
           "update": lambda session, post_id: _post_activity(session, post_id, "Update"),
           "delete": _deleted, "reply": _reply, "follow": _follow, "unfollow": _unfollow,
           "block": _block}


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def listen_for_local_changes() -> None:
    if not event.contains(Session, "after_flush", _noted):
        event.listen(Session, "after_flush", _noted)
        event.listen(Session, "before_commit", _send)
        event.listen(Session, "after_rollback", _forget)
