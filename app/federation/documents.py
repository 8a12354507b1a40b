"""The JSON-LD documents Flasky serves and sends: actors, notes, activities and
collections. Each is a plain dict with absolute ids (app/federation/addresses.py)."""

from typing import Any

from app.extensions import db
from app.federation.addresses import (
    CONTEXT,
    PUBLIC,
    absolute,
    actor_uri,
    comment_uri,
    followers_uri,
    key_id,
    post_uri,
)
from app.federation.keys import key_of
from app.models import Comment, FollowerApproval, Post, User
from app.templating import avatar_url


def _time(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def actor_document(user: User) -> dict[str, Any]:
    """``user`` as a Person, with the public key that checks their signatures."""
    uri = actor_uri(user)
    return {
        "@context": CONTEXT,
        "id": uri,
        "type": "Person",
        "preferredUsername": user.username,
        "name": user.name or user.username,
        "summary": user.about_me_html or "",
        "url": absolute("main.user", username=user.username),
        "icon": {"type": "Image", "url": _absolute_path(avatar_url(user, 256))},
        "inbox": absolute("federation.inbox", username=user.username),
        "outbox": absolute("federation.outbox", username=user.username),
        "followers": followers_uri(user),
        "following": absolute("federation.following", username=user.username),
        "endpoints": {"sharedInbox": absolute("federation.shared_inbox")},
        "manuallyApprovesFollowers": db.session.get(FollowerApproval, user.id) is not None,
        "published": _time(user.member_since),
        "publicKey": {"id": key_id(user), "owner": uri,
                      "publicKeyPem": key_of(user).public_pem},
    }


def site_actor_document() -> dict[str, Any]:
    """The site's own actor: it signs the fetches no user asked for."""
    uri = actor_uri(None)
    return {
        "@context": CONTEXT, "id": uri, "type": "Application",
        "preferredUsername": "flasky", "name": "Flasky",
        "inbox": absolute("federation.shared_inbox"),
        "outbox": absolute("federation.site_outbox"),
        "url": absolute("main.index"),
        "publicKey": {"id": key_id(None), "owner": uri, "publicKeyPem": key_of(None).public_pem},
    }


def _absolute_path(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return absolute("main.index").rstrip("/") + path


def note_document(post: Post) -> dict[str, Any]:
    """A post as a Note, or an Article when it has a title."""
    note = {
        "@context": CONTEXT[0],
        "id": post_uri(post),
        "type": "Article" if post.title else "Note",
        "attributedTo": actor_uri(post.author),
        "content": post.body_html,
        "url": absolute("main.post", id=post.id),
        "published": _time(post.timestamp),
        "to": [PUBLIC],
        "cc": [followers_uri(post.author)],
        "inReplyTo": None,
    }
    if post.title:
        note["name"] = post.title
    if post.updated:
        note["updated"] = _time(post.updated)
    return note


def comment_note(comment: Comment, in_reply_to: str, recipient: str) -> dict[str, Any]:
    """A local comment on a remote post, as the Note that replies to it."""
    return {
        "@context": CONTEXT[0],
        "id": comment_uri(comment),
        "type": "Note",
        "attributedTo": actor_uri(comment.author),
        "content": comment.body_html,
        "inReplyTo": in_reply_to,
        "url": absolute("main.post", id=comment.post_id, _anchor=f"comment-{comment.id}"),
        "published": _time(comment.timestamp),
        "to": [recipient, PUBLIC],
        "cc": [],
    }


def activity(kind: str, actor: str, object_: Any, activity_id: str,
             **extra: Any) -> dict[str, Any]:
    """An activity of ``kind`` by ``actor`` about ``object_`` (a document or an id)."""
    body = {"@context": CONTEXT[0], "id": activity_id, "type": kind, "actor": actor,
            "object": object_}
    if isinstance(object_, dict):
        for field in ("to", "cc"):
            if field in object_:
                body[field] = object_[field]
    body.update(extra)
    return body


def collection(uri: str, total: int, page: int | None = None, items: list | None = None,
               has_next: bool = False) -> dict[str, Any]:
    """An OrderedCollection (``page`` None) or one page of it (``items``)."""
    if page is None:
        return {"@context": CONTEXT[0], "id": uri, "type": "OrderedCollection",
                "totalItems": total, "first": f"{uri}?page=1"}
    document = {"@context": CONTEXT[0], "id": f"{uri}?page={page}",
                "type": "OrderedCollectionPage", "partOf": uri, "totalItems": total,
                "orderedItems": items or []}
    if has_next:
        document["next"] = f"{uri}?page={page + 1}"
    if page > 1:
        document["prev"] = f"{uri}?page={page - 1}"
    return document
