"""``/healthz``, ``/readyz`` and ``/metrics``: for load balancers, orchestrators
and Prometheus, not for people.

None of them is ever cached (``Cache-Control: no-store``; the page cache
stores only the pages it lists) or rate-limited (the blueprint is exempt), so
a probe every second never runs into a limit meant for people. ``/metrics``
answers only a request with the token of ``FLASKY_METRICS_TOKEN`` (as
``Authorization: Bearer <token>``) or from an address in
``FLASKY_METRICS_ALLOWED_ADDRESSES``; with neither set, nobody.
"""

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_babel import _
from prometheus_client import CONTENT_TYPE_LATEST

from app.extensions import limiter
from app.operations.metrics import exposition
from app.operations.readiness import readiness

bp = Blueprint("operations", __name__)
limiter.exempt(bp)


@bp.after_request
def never_cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process answers; nothing else is asked."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    ready, body = readiness()
    return jsonify(body), 200 if ready else 503


def _token_matches() -> bool:
    token = current_app.config["FLASKY_METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _address_allowed() -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(entry, strict=False)
               for entry in current_app.config["FLASKY_METRICS_ALLOWED_ADDRESSES"])


@bp.get("/metrics")
def metrics():
    if not (_token_matches() or _address_allowed()):
        abort(403, _("Metrics need the metrics token or a trusted address."))
    return Response(exposition(), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    content_type=CONTENT_TYPE_LATEST)
