"""Notifications: the page (grouped, marked read when seen) and the tiny count
the navbar's bell polls (app/static/js/notifications.js) with ETag/304."""

import hashlib

from flask import jsonify, render_template, request
from flask_babel import _
from flask_login import current_user, login_required

from app.extensions import db
from app.main import bp
from app.pagination import page_of
from app.social.grouping import grouped, mark_read, notifications_of


@bp.route("/notifications")
@login_required
def notifications():
    user = current_user._get_current_object()
    pagination = page_of(notifications_of(user), "FLASKY_FOLLOWERS_PER_PAGE")
    changed = mark_read(user, pagination.items)
    page = render_template("notifications.html", title=_("Notifications"),
                           groups=grouped(pagination.items), pagination=pagination)
    if changed:
        db.session.commit()
    return page


def count_etag(user_id: int, unread: int) -> str:
    return hashlib.sha256(f"{user_id}:{unread}".encode()).hexdigest()[:16]


@bp.route("/notifications/count")
@login_required
def notification_count():
    """``{"unread": n}``; 304 when the count is what the client last saw. It costs
    the one query that loads the signed-in user, who carries the count."""
    unread = current_user.unread_notifications
    response = jsonify(unread=unread)
    response.set_etag(count_etag(current_user.id, unread))
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)
