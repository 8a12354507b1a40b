"""The inboxes: a user's and the shared one. Both take the same activities
(the shared inbox is where servers send what several people here should get)."""

import logging

from flask import Response, request

from app.database import committed
from app.extensions import csrf, limiter
from app.federation import bp
from app.federation.activities import handle
from app.federation.addresses import absolute
from app.federation.documents import collection
from app.federation.inbox import (
    first_time,
    inbox_limit,
    inbox_rate_key,
    read_activity,
    verified_sender,
)
from app.federation.responses import activity_response
from app.federation.views.actors import local_user_or_404

logger = logging.getLogger("flasky.federation")
rate_limit = limiter.limit(inbox_limit, key_func=inbox_rate_key, methods=["POST"],
                           scope="federation-inbox", override_defaults=False)


def _receive() -> Response:
    activity = read_activity()
    actor = verified_sender(activity)
    if not first_time(activity["id"]):
        return activity_response({"status": "already handled"}, status=202)
    sender = actor.uri  # read now: a Delete of the account removes the row
    outcome = handle(actor, activity)
    if not committed():  # the same activity, handled by a request that came first
        return activity_response({"status": "already handled"}, status=202)
    logger.info("federation: %s %s from %s: %s", activity["type"], activity["id"],
                sender, outcome)
    return activity_response({"status": outcome}, status=202)


@bp.route("/federation/users/<username>/inbox", methods=["GET", "POST"], endpoint="inbox")
@csrf.exempt  # servers sign their requests; they have no session to hold a token
@rate_limit
def user_inbox(username: str) -> Response:
    user = local_user_or_404(username)
    if request.method == "POST":
        return _receive()
    # Nobody reads an inbox from outside: an empty collection, as Mastodon answers.
    return activity_response(collection(absolute("federation.inbox", username=user.username), 0))


@bp.route("/federation/inbox", methods=["GET", "POST"], endpoint="shared_inbox")
@csrf.exempt
@rate_limit
def shared_inbox() -> Response:
    if request.method == "POST":
        return _receive()
    return activity_response(collection(absolute("federation.shared_inbox"), 0))
