"""Before every page: move the signed-in user's last-seen time forward, and keep an
account whose address is not confirmed yet to reading.

Until they confirm, people read what visitors read (``READABLE``, on GET); writing
anything (posting, commenting, following, messaging, settings) sends them to the
page that asks them to confirm, with a line saying why.
"""

from flask import flash, redirect, request, url_for
from flask_babel import _
from flask_login import current_user

from app.extensions import db
from app.models import User

# Pages an unconfirmed user may always reach: confirming, a new link, leaving.
# Everything else not READABLE, changing the address or the password included,
# waits for the address to be proven (a wrong address is fixed by registering again).
OPEN_TO_UNCONFIRMED = {
    "static", "bootstrap.static", "main.identicon",
    "auth.unconfirmed", "auth.confirm", "auth.resend_confirmation", "auth.logout",
    "main.detected_timezone",  # the pages' own script saves the reader's time zone
}
# What visitors can read, read (GET) by an unconfirmed user too.
READABLE = {
    "main.index", "main.user", "main.post", "main.followers", "main.followed_by",
    "main.people_directory", "main.search", "main.tag", "main.image", "main.site_feed",
    "main.user_feed", "main.tag_feed", "main.js_catalog", "main.choose_language",
    "main.notification_count",  # the navbar's bell asks
}


def may_pass_unconfirmed() -> bool:
    if request.endpoint in OPEN_TO_UNCONFIRMED:
        return True
    return request.method in ("GET", "HEAD") and request.endpoint in READABLE


def lets_through(viewer) -> bool:
    """Whether this gate would neither move ``viewer``'s last-seen time nor send
    them to confirm (a ``Viewer`` read before any user is loaded)."""
    return not User.ping_due(viewer.last_seen) and (viewer.confirmed or may_pass_unconfirmed())


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
        and not may_pass_unconfirmed()
    ):
        flash(_("Please confirm your email address first: until then you can read, "
                "but not write, follow or send messages."), "warning")
        return redirect(url_for("auth.unconfirmed"))
    return None
