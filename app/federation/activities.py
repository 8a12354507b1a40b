"""What each incoming activity does, once verified (app/federation/inbox.py).

Remote posts and comments are written as Post and Comment rows by the remote
account's user, so they are sanitised, moderated, reported, counted and
hidden by blocks exactly as local ones. Types not handled here are accepted
and ignored. A refusal raises ValidationError with its status.
"""

from typing import Any

from sqlalchemy import delete, or_, select

from app.exceptions import ValidationError
from app.extensions import db
from app.federation.accounts import local_user
from app.federation.addresses import domain_of, local_post_id, local_username
from app.federation.approvals import approves_by_hand, hold
from app.federation.remote_accounts import BadDocument, id_of, store_actor
from app.federation.replies import accept_follow, reject_follow
from app.models import (
    Block,
    Comment,
    Follow,
    PendingFollower,
    Post,
    Reaction,
    RemoteActor,
    RemoteFollow,
    RemoteObject,
    User,
)
from app.rendering import RenderingRefused, clean_remote_html, remote_html_text
from app.social.blocking import has_blocked

NOTE_TYPES = {"Note", "Article", "Page"}


def handle(actor: RemoteActor, activity: dict[str, Any]) -> str:
    """Apply ``activity``; returns what was done (for the log and the tests)."""
    if id_of(activity.get("object")) == activity["id"]:
        raise ValidationError("An activity cannot be its own object.")
    handler = HANDLERS.get(activity["type"])
    if handler is None:
        return "ignored"
    try:
        return handler(actor, activity)
    except (BadDocument, RenderingRefused) as error:  # a profile or text Flasky cannot keep
        raise ValidationError(f"The object cannot be kept here: {error}", 422) from None


def _target_user(activity: dict[str, Any]) -> User:
    username = local_username(id_of(activity.get("object")) or "")
    user = local_user(username) if username else None
    if user is None:
        raise ValidationError("The activity's object is no account here.", 422)
    return user


def _follow(actor: RemoteActor, activity: dict[str, Any]) -> str:
    user = _target_user(activity)
    if has_blocked(user, actor.user):
        reject_follow(user, actor, activity)
        return "rejected"
    if approves_by_hand(user) and db.session.get(Follow, (actor.user_id, user.id)) is None:
        hold(user, actor, activity)
        return "pending"
    if db.session.get(Follow, (actor.user_id, user.id)) is None:
        db.session.add(Follow(follower_id=actor.user_id, followed_id=user.id))
    accept_follow(user, actor, activity)
    return "accepted"


def _undo(actor: RemoteActor, activity: dict[str, Any]) -> str:
    undone = activity.get("object")
    kind = undone.get("type") if isinstance(undone, dict) else None
    if kind == "Follow":
        username = local_username(id_of(undone.get("object")) or "")
        user = local_user(username) if username else None
        if user is not None:
            db.session.execute(delete(Follow).where(Follow.follower_id == actor.user_id,
                                                    Follow.followed_id == user.id))
            db.session.execute(delete(PendingFollower).where(
                PendingFollower.user_id == user.id, PendingFollower.actor_id == actor.id))
        return "unfollowed"
    uri = id_of(undone)
    if uri is None:
        raise ValidationError("Undo needs the activity it undoes.")
    db.session.execute(delete(Reaction).where(Reaction.activity_uri == uri,
                                              Reaction.actor_id == actor.id))
    return "undone"


def _accept(actor: RemoteActor, activity: dict[str, Any]) -> str:
    follow = _our_follow(actor, activity)
    if follow is not None:
        follow.accepted = True
    return "follow accepted" if follow is not None else "ignored"


def _reject(actor: RemoteActor, activity: dict[str, Any]) -> str:
    follow = _our_follow(actor, activity)
    if follow is not None:
        db.session.execute(delete(Follow).where(Follow.follower_id == follow.follower_id,
                                                Follow.followed_id == actor.user_id))
        db.session.delete(follow)
    return "follow rejected" if follow is not None else "ignored"


def _our_follow(actor: RemoteActor, activity: dict[str, Any]) -> RemoteFollow | None:
    uri = id_of(activity.get("object"))
    return db.session.scalar(select(RemoteFollow).where(
        RemoteFollow.actor_id == actor.id, RemoteFollow.activity_uri == uri)) if uri else None


def _note(actor: RemoteActor, activity: dict[str, Any]) -> dict[str, Any]:
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") not in NOTE_TYPES:
        raise ValidationError("The object must be a Note or an Article.", 422)
    uri = id_of(note)
    if uri is None or domain_of(uri) != actor.domain:
        raise ValidationError("The note's id must be on its author's server.", 422)
    if id_of(note.get("attributedTo")) not in (None, actor.uri):
        raise ValidationError("The note is attributed to someone else.", 403)
    content = note.get("content")
    if not isinstance(content, str):
        raise ValidationError("The note's content must be a string.", 422)
    return note


def _replied_post(note: dict[str, Any]) -> Post | None:
    parent = id_of(note.get("inReplyTo"))
    if parent is None:
        return None
    post_id = local_post_id(parent)
    if post_id is None:
        post_id = db.session.scalar(select(RemoteObject.post_id).where(
            RemoteObject.uri == parent))
    post = db.session.get(Post, post_id) if post_id is not None else None
    if post is None or post.draft:
        raise ValidationError("The post replied to is not here.", 422)
    return post


def _create(actor: RemoteActor, activity: dict[str, Any]) -> str:
    note = _note(actor, activity)
    if db.session.scalar(select(RemoteObject.id).where(RemoteObject.uri == note["id"])):
        return "already here"
    post = _replied_post(note)
    if post is not None:
        if has_blocked(post.author, actor.user):
            raise ValidationError(f"{post.author.username} has blocked this account.", 403)
        comment = Comment(post_id=post.id, author_id=actor.user_id)
        write_remote_html(comment, note["content"], block=False)
        db.session.add(comment)
        db.session.flush()
        db.session.add(RemoteObject(uri=note["id"], actor_id=actor.id, comment_id=comment.id))
        return "comment"
    if not _followed_here(actor):
        return "ignored"
    new = Post(title=_title(note), author_id=actor.user_id)
    write_remote_html(new, note["content"], block=True)
    db.session.add(new)
    db.session.flush()
    db.session.add(RemoteObject(uri=note["id"], actor_id=actor.id, post_id=new.id))
    return "post"


def write_remote_html(thing: Post | Comment, html: str, block: bool) -> None:
    """Keep a remote note's HTML, cleaned as local Markdown output is, with its
    plain text as the body (search reads it); the body's own rendering is replaced."""
    limit = Post.BODY_MAX_LENGTH if block else Comment.BODY_MAX_LENGTH
    thing.body = remote_html_text(html)[:limit]
    thing.body_html = clean_remote_html(html[:limit * 4], block=block)
    if block:
        thing.summary_html = None


def _title(note: dict[str, Any]) -> str | None:
    name = note.get("name")
    return name[:Post.TITLE_MAX_LENGTH] if note.get("type") != "Note" and isinstance(
        name, str) and name.strip() else None


def _followed_here(actor: RemoteActor) -> bool:
    return db.session.scalar(select(Follow.follower_id).where(
        Follow.followed_id == actor.user_id).limit(1)) is not None


def _mirrored(actor: RemoteActor, uri: str | None) -> RemoteObject | None:
    if uri is None:
        return None
    return db.session.scalar(select(RemoteObject).where(RemoteObject.uri == uri,
                                                        RemoteObject.actor_id == actor.id))


def _update(actor: RemoteActor, activity: dict[str, Any]) -> str:
    thing = activity.get("object")
    if isinstance(thing, dict) and thing.get("id") == actor.uri:
        store_actor(thing)
        return "profile updated"
    note = _note(actor, activity)
    mirrored = _mirrored(actor, note["id"])
    if mirrored is None:
        return "ignored"
    if mirrored.post_id is not None:
        post = db.session.get(Post, mirrored.post_id)
        post.title = _title(note)
        write_remote_html(post, note["content"], block=True)
    else:
        write_remote_html(db.session.get(Comment, mirrored.comment_id), note["content"],
                          block=False)
    return "updated"


def _delete(actor: RemoteActor, activity: dict[str, Any]) -> str:
    uri = id_of(activity.get("object"))
    if uri == actor.uri:
        db.session.delete(actor.user)  # its follows, posts, comments and reactions go too
        return "account deleted"
    mirrored = _mirrored(actor, uri)
    if mirrored is None:
        return "nothing to delete"
    thing = (db.session.get(Post, mirrored.post_id) if mirrored.post_id is not None
             else db.session.get(Comment, mirrored.comment_id))
    db.session.delete(thing)
    return "deleted"


def _react(kind: str):
    def react(actor: RemoteActor, activity: dict[str, Any]) -> str:
        post_id = local_post_id(id_of(activity.get("object")) or "")
        post = db.session.get(Post, post_id) if post_id is not None else None
        if post is None or post.draft:
            raise ValidationError("The post is not here.", 422)
        exists = select(Reaction.id).where(Reaction.post_id == post.id,
                                           Reaction.actor_id == actor.id, Reaction.kind == kind)
        if db.session.scalar(exists) is None:
            db.session.add(Reaction(post_id=post.id, actor_id=actor.id, kind=kind,
                                    activity_uri=activity["id"]))
        return kind

    return react


def _block(actor: RemoteActor, activity: dict[str, Any]) -> str:
    user = _target_user(activity)
    if db.session.get(Block, (actor.user_id, user.id)) is None:
        db.session.add(Block(blocker_id=actor.user_id, blocked_id=user.id))
    db.session.execute(delete(Follow).where(or_(
        (Follow.follower_id == actor.user_id) & (Follow.followed_id == user.id),
        (Follow.follower_id == user.id) & (Follow.followed_id == actor.user_id))))
    return "blocked"


HANDLERS = {"Follow": _follow, "Undo": _undo, "Accept": _accept, "Reject": _reject,
            "Create": _create, "Update": _update, "Delete": _delete, "Block": _block,
            "Like": _react(Reaction.LIKE), "Announce": _react(Reaction.ANNOUNCE)}
