"""Receiving an activity: read the body, check the signature against the
sender's key, refuse blocked servers and suspended accounts, and hand the
activity on once (by its id) to app/federation/activities.py.

Each refusal is a ``ValidationError`` with its status (the blueprint answers
it as JSON): 400 malformed, 401 signature, 403 refused, 413 too large.
"""

import json
import logging
from typing import Any

from flask import current_app, request
from sqlalchemy import select

from app.exceptions import ValidationError
from app.extensions import db
from app.federation.addresses import domain_of
from app.federation.domain_blocks import blocked_domains
from app.federation.keys import load_public_key
from app.federation.remote import RemoteError
from app.federation.remote_accounts import actor_for_key, id_of
from app.federation.signatures import SignatureError, parse_signature, verify
from app.models import RemoteActor, SeenActivity
from app.social.suspensions import is_suspended

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 8
logger = logging.getLogger("flasky.federation")


def read_activity() -> dict[str, Any]:
    """The request's body as an activity: a JSON object with an id, a type and an actor."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ValidationError("The activity is larger than 256 KB.", 413)
    body = request.get_data(cache=True)
    if len(body) > MAX_BODY_BYTES:
        raise ValidationError("The activity is larger than 256 KB.", 413)
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError("The body is not JSON.") from None
    if not isinstance(document, dict):
        raise ValidationError("The activity must be a JSON object.")
    if _depth(document) > MAX_DEPTH:
        raise ValidationError("The activity is nested too deeply.")
    if not isinstance(document.get("type"), str) or len(document["type"]) > 64:
        raise ValidationError("The activity needs a 'type' string.")
    for field in ("id", "actor"):
        if id_of(document.get(field)) is None:
            raise ValidationError(f"The activity needs an {field!r} of at most 500 characters.")
    return document


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(item, level + 1) for item in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(item, level + 1) for item in value), default=level)
    return level


def refuse_blocked_domain(*uris: str) -> None:
    if blocked_domains(uris):
        raise ValidationError("This server does not accept activities from yours.", 403)


def _unauthorised(reason: str) -> ValidationError:
    logger.warning("federation: refused a signature from %s: %s",
                   request.remote_addr, reason)
    return ValidationError(f"The signature cannot be trusted: {reason}.", 401)


def _checked(actor: RemoteActor, body: bytes) -> None:
    headers = {name.lower(): value for name, value in request.headers.items()}
    path = request.full_path if request.query_string else request.path
    verify(request.method, path, headers, body, load_public_key(actor.public_key_pem))


def verified_sender(activity: dict[str, Any]) -> RemoteActor:
    """The account whose key signed this request; it must be the activity's actor."""
    try:
        key_id = parse_signature(request.headers.get("Signature"))["keyId"]
    except SignatureError as error:
        raise _unauthorised(str(error)) from None
    refuse_blocked_domain(key_id, id_of(activity["actor"]))
    body = request.get_data(cache=True)
    try:
        actor = actor_for_key(key_id)
        try:
            _checked(actor, body)
        except SignatureError:
            actor = actor_for_key(key_id, refresh=True)  # the key may have changed
            _checked(actor, body)
    except SignatureError as error:
        raise _unauthorised(str(error)) from None
    except RemoteError as error:
        raise _unauthorised(f"the key could not be fetched ({error})") from None
    if actor.uri != id_of(activity["actor"]):
        raise _unauthorised("the key is not the activity's actor's")
    if is_suspended(actor.user):
        raise ValidationError("This account is suspended here.", 403)
    return actor


def first_time(activity_id: str) -> bool:
    """Record ``activity_id`` as handled; False when it already was."""
    if db.session.scalar(select(SeenActivity.id).where(SeenActivity.uri == activity_id)):
        return False
    db.session.add(SeenActivity(uri=activity_id))
    return True


def inbox_rate_key() -> str:
    """The rate-limit key of an inbox POST: the host of the signing key."""
    try:
        return "federation:" + domain_of(parse_signature(request.headers.get("Signature"))
                                         ["keyId"])
    except SignatureError:
        return "federation-unsigned:" + (request.remote_addr or "")


def inbox_limit() -> str:
    return current_app.config["FLASKY_RATELIMIT_FEDERATION_INBOX"]
