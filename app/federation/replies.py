"""Answers to remote follows: an Accept or a Reject, sent to the follower."""

import uuid
from typing import Any

from app.federation.addresses import actor_uri
from app.federation.delivery import queue_deliveries
from app.federation.documents import activity
from app.models import RemoteActor, User


def _answer(kind: str, user: User, actor: RemoteActor, follow: dict[str, Any]) -> None:
    uri = actor_uri(user)
    follow_object = {"id": follow["id"], "type": "Follow", "actor": actor.uri, "object": uri}
    answer = activity(kind, uri, follow_object, f"{uri}#{kind.lower()}s/{uuid.uuid4().hex}")
    queue_deliveries(answer, user, [actor.inbox])


def accept_follow(user: User, actor: RemoteActor, follow: dict[str, Any]) -> None:
    _answer("Accept", user, actor, follow)


def reject_follow(user: User, actor: RemoteActor, follow: dict[str, Any]) -> None:
    _answer("Reject", user, actor, follow)
