"""Remote accounts: fetched from their actor documents, checked, and kept as
a ``RemoteActor`` with a ``User`` of its own (app/models/federation.py)."""

from typing import Any
from urllib.parse import quote

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.federation.accounts import remote_actor_by_uri, remote_email
from app.federation.addresses import domain_of, key_id, split
from app.federation.domain_blocks import blocked_domains
from app.federation.keys import key_before_asking, load_public_key
from app.federation.remote import RemoteError, fetch_json
from app.models import RemoteActor, User, utcnow
from app.rendering import clean_remote_html, remote_html_text

ACTOR_TYPES = {"Person", "Service", "Application", "Group", "Organization"}


class BadDocument(RemoteError):
    """A remote document that does not have the shape Flasky needs."""


def text(document: dict, name: str, limit: int = 500, required: bool = True) -> str | None:
    """The string ``document[name]``; BadDocument when missing (if required),
    not a string, or longer than ``limit``."""
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadDocument(f"{name!r} must be a string of at most {limit} characters")
    return value


def id_of(value: Any) -> str | None:
    """The id a field names, whether it holds the id or an object with one."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= 500 else None


def fetch_document(url: str) -> dict:
    """GET a remote document, signed by the site's actor; it must be an object
    whose id is on the host it came from."""
    if blocked_domains([url]):
        raise RemoteError("that server is blocked here")
    site_key = key_before_asking(None)
    answered, document = fetch_json(url, key_id(None), site_key.private_pem)
    if not isinstance(document, dict):
        raise BadDocument("the document is not a JSON object")
    if domain_of(text(document, "id")) != domain_of(answered):
        raise BadDocument("the document's id is not on the server that served it")
    return document


def _fields(document: dict) -> dict[str, Any]:
    if document.get("type") not in ACTOR_TYPES:
        raise BadDocument("the document is not an actor")
    uri = text(document, "id")
    key = document.get("publicKey")
    if isinstance(key, list) and key:
        key = key[0]
    if not isinstance(key, dict) or key.get("owner") != uri:
        raise BadDocument("the actor has no public key of its own")
    pem = text(key, "publicKeyPem", limit=5000)
    try:
        load_public_key(pem)
    except ValueError as error:
        raise BadDocument("the actor's key is not an RSA public key") from error
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    icon = document.get("icon")
    icon_url = icon.get("url") if isinstance(icon, dict) else None
    return {"uri": uri, "key_id": text(key, "id"), "public_key_pem": pem,
            "inbox": text(document, "inbox"),
            "shared_inbox": shared if isinstance(shared, str) and len(shared) <= 500 else None,
            "profile_url": id_of(document.get("url")),
            "icon_url": icon_url if isinstance(icon_url, str) and len(icon_url) <= 500 else None,
            "domain": domain_of(uri)}


def _same_host(fields: dict[str, Any]) -> None:
    host = split(fields["uri"]).netloc
    if not host:
        raise BadDocument("the actor's id is not an address")
    for name in ("key_id", "inbox", "shared_inbox"):
        if fields[name] and split(fields[name]).netloc != host:
            raise BadDocument(f"the actor's {name} is on another server")


def store_actor(document: dict) -> RemoteActor:
    """Add or update the account ``document`` describes; the caller commits."""
    fields = _fields(document)
    _same_host(fields)
    name = text(document, "preferredUsername", limit=40)
    actor = remote_actor_by_uri(fields["uri"])
    if actor is None:
        handle = f"{name}@{split(fields['uri']).netloc}"[:64]
        user = User(username=_free_username(handle), email=remote_email(fields["uri"]),
                    confirmed=True)
        actor = RemoteActor(user=user, **fields)
        db.session.add(actor)
    else:
        for field, value in fields.items():
            setattr(actor, field, value)
        actor.fetched_at = utcnow()
    summary = document.get("summary")
    actor.user.name = (text(document, "name", limit=64, required=False)
                       if isinstance(document.get("name"), str) else None)
    actor.user.about_me = remote_html_text(summary)[:5000] if isinstance(summary, str) else None
    actor.user.about_me_html = clean_remote_html(summary[:20000], block=False) if isinstance(
        summary, str) else None
    db.session.flush()
    return actor


def _free_username(handle: str) -> str:
    taken = db.session.scalar(select(User.id).where(User.username == handle))
    return handle if taken is None else f"{handle[:56]}~{utcnow():%H%M%S}"


def fetch_actor(uri: str, refresh: bool = False) -> RemoteActor:
    """The remote account ``uri``, fetched when not known yet (or ``refresh``)."""
    actor = None if refresh else remote_actor_by_uri(uri)
    if actor is not None:
        return actor
    document = fetch_document(uri)
    if document.get("id") != uri:
        raise BadDocument("the actor's id is not the address asked for")
    return store_actor(document)


def actor_for_key(key_id_value: str, refresh: bool = False) -> RemoteActor:
    """The account whose key ``key_id_value`` names (fetched from the key's
    document, which is its actor's, or which names its owner)."""
    if not refresh:
        known = db.session.scalar(select(RemoteActor).where(RemoteActor.key_id == key_id_value))
        if known is not None:
            return known
    document = fetch_document(key_id_value.split("#", 1)[0])
    if document.get("type") not in ACTOR_TYPES:
        owner = id_of(document.get("owner"))
        if owner is None:
            raise BadDocument("the key names no owner")
        document = fetch_document(owner)
    actor = store_actor(document)
    if actor.key_id != key_id_value:
        raise BadDocument("the key does not belong to the actor")
    return actor


def webfinger_urls(handle: str) -> list[str]:
    """Where to ask for ``@name@host``: https, and http too for insecure peers."""
    name, _, host = handle.strip().lstrip("@").rpartition("@")
    path = f"/.well-known/webfinger?resource={quote(f'acct:{name}@{host}')}"
    schemes = ["https", "http"] if current_app.config["FLASKY_FEDERATION_INSECURE_PEERS"] else [
        "https"]
    return [f"{scheme}://{host}{path}" for scheme in schemes]

