"""Servers the administrators have blocked: nothing is taken from them, sent to
them or fetched from them, and blocking one removes its accounts here (their
follows, posts and comments with them)."""

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.federation.addresses import domain_of
from app.models import DomainBlock, RemoteActor


def blocked_domains(uris: Iterable[str]) -> set[str]:
    """Which of the servers of ``uris`` are blocked."""
    domains = {domain_of(uri) for uri in uris if uri}
    if not domains:
        return set()
    return set(db.session.scalars(select(DomainBlock.domain).where(
        DomainBlock.domain.in_(domains))))


def block_domain(domain: str, reason: str = "") -> int:
    """Block ``domain`` and remove its accounts; returns how many went. The caller commits."""
    domain = domain.strip().lower()
    if db.session.get(DomainBlock, domain) is None:
        db.session.add(DomainBlock(domain=domain, reason=reason[:200]))
    actors = db.session.scalars(select(RemoteActor).where(RemoteActor.domain == domain)).all()
    for actor in actors:
        db.session.delete(actor.user)
    return len(actors)


def unblock_domain(domain: str) -> bool:
    block = db.session.get(DomainBlock, domain.strip().lower())
    if block is None:
        return False
    db.session.delete(block)
    return True
