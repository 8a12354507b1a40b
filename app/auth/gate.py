"""Before every page: move the signed-in user's last-seen time forward, and send
an account whose address is not confirmed yet to the page that says so."""

from flask import redirect, request, url_for
from flask_login import current_user

from app.extensions import db

# Pages an unconfirmed user may still reach: confirming, a new link, leaving.
# Everything else, changing the address or the password included, waits for
# the address to be proven (a wrong address is fixed by registering again).
OPEN_TO_UNCONFIRMED = {
    "static", "bootstrap.static", "main.identicon",
    "auth.unconfirmed", "auth.confirm", "auth.resend_confirmation", "auth.logout",
}


def gate_unconfirmed_and_track_activity():
    if not current_user.is_authenticated:
        return None
    if current_user.ping():
        current_user.login_session.last_seen_at = current_user.last_seen
        current_user.login_session.ip_address = (request.remote_addr or "")[:45] or None
        db.session.commit()
    if (
        not current_user.confirmed
        and request.endpoint
        and request.blueprint != "api"  # the API answers 403 to unconfirmed accounts
        and request.endpoint not in OPEN_TO_UNCONFIRMED
    ):
        return redirect(url_for("auth.unconfirmed"))
    return None
