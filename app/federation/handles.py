"""Finding a remote account by its handle, ``@name@host``: WebFinger on its
server gives the actor's address, whose document is then fetched and kept."""

from app.federation.addresses import key_id
from app.federation.domain_blocks import blocked_domains
from app.federation.keys import key_before_asking
from app.federation.remote import RemoteError, fetch_json
from app.federation.remote_accounts import BadDocument, fetch_actor, webfinger_urls
from app.models import RemoteActor

ACTOR_LINK_TYPES = ("application/activity+json", "application/ld+json")


def _actor_link(document: object) -> str:
    links = document.get("links") if isinstance(document, dict) else None
    for link in links if isinstance(links, list) else []:
        if (isinstance(link, dict) and link.get("rel") == "self"
                and str(link.get("type", "")).startswith(ACTOR_LINK_TYPES)
                and isinstance(link.get("href"), str)):
            return link["href"]
    raise BadDocument("the server names no ActivityPub actor for that account")


def find_account(handle: str) -> RemoteActor:
    """The remote account ``handle`` names; RemoteError saying why not."""
    if blocked_domains([f"https://{handle.rpartition('@')[2]}/"]):
        raise RemoteError("that server is blocked here")
    failure: RemoteError | None = None
    for url in webfinger_urls(handle):
        try:
            _, document = fetch_json(url, key_id(None), key_before_asking(None).private_pem)
        except RemoteError as error:
            failure = failure or error
            continue
        return fetch_actor(_actor_link(document))
    raise failure or RemoteError("the account could not be found")
