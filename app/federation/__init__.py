"""Federation: Flasky speaks ActivityPub (docs/federation.md).

* keys.py, signatures.py: RSA key pairs and HTTP Signatures;
* addresses.py, accounts.py, documents.py: the site's ids, who is remote, and
  the JSON documents (actors, notes, activities, collections) it serves;
* remote.py: fetching from other servers (signed, bounded, the SSRF guard);
* inbox.py, activities.py: incoming activities, verified and applied;
* outgoing.py, delivery.py: activities sent for local writes, as jobs;
* views/: the blueprint's endpoints, all 404 while FLASKY_FEDERATION is off.
"""

from flask import Blueprint, abort, current_app

bp = Blueprint("federation", __name__)


@bp.before_request
def require_federation() -> None:
    if not current_app.config["FLASKY_FEDERATION"]:
        abort(404)


from app.federation import errors, views  # noqa: E402,F401
