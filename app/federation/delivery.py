"""Sending activities: one ``Delivery`` row and one job per inbox, a server's
shared inbox standing for all its followers there. The job signs the POST
with the sender's key; a failure is retried with back-off (app/jobs), a
refusal (4xx) is final, and a blocked server is never sent anything."""

import json
from collections.abc import Iterable

from app.extensions import db
from app.federation.addresses import domain_of, key_id
from app.federation.domain_blocks import blocked_domains
from app.federation.keys import key_before_asking
from app.federation.remote import RemoteError, signed_request
from app.jobs import enqueue, task
from app.models import Delivery, User

ATTEMPTS = 8  # about 2 hours between the first try and the last
RETRIED_STATUSES = {408, 425, 429}


def queue_deliveries(activity: dict, signer: User | None, inboxes: Iterable[str]) -> int:
    """Queue ``activity`` for each distinct inbox; returns how many. The caller commits."""
    distinct = sorted({inbox for inbox in inboxes if inbox})
    if not distinct:
        return 0
    blocked = blocked_domains(distinct)
    body = json.dumps(activity)
    queued = 0
    for inbox in distinct:
        if domain_of(inbox) in blocked:
            continue
        delivery = Delivery(inbox=inbox, activity=body, key_id=key_id(signer),
                            signer_id=signer.id if signer is not None else None)
        db.session.add(delivery)
        db.session.flush()
        enqueue(deliver, delivery.id)
        queued += 1
    return queued


@task(attempts=ATTEMPTS, backoff=60, max_backoff=3600)
def deliver(delivery_id: int) -> str:
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.state != Delivery.QUEUED:
        return "nothing to send"
    signer = db.session.get(User, delivery.signer_id) if delivery.signer_id else None
    private_pem = key_before_asking(signer).private_pem
    delivery.attempts += 1
    try:
        status, content, _ = signed_request("POST", delivery.inbox, delivery.key_id,
                                            private_pem, body=delivery.activity.encode())
    except RemoteError as error:
        return _failed(delivery, str(error))
    if 200 <= status < 300:
        delivery.state, delivery.last_error = Delivery.DELIVERED, None
        db.session.commit()
        return "delivered"
    message = f"answered {status}: {content[:200].decode(errors='replace')}"
    if 400 <= status < 500 and status not in RETRIED_STATUSES:
        delivery.state, delivery.last_error = Delivery.FAILED, message
        db.session.commit()
        return "refused"
    return _failed(delivery, message)


def _failed(delivery: Delivery, message: str) -> str:
    """Record the failure; raise (so the job retries) unless it was the last try."""
    delivery.last_error = message[:2000]
    if delivery.attempts >= ATTEMPTS:
        delivery.state = Delivery.FAILED
        db.session.commit()
        return "failed for good"
    db.session.commit()
    raise RemoteError(message)
