"""The caller's notifications, newest first; reading them here marks nothing
read (the page does, and ``POST /notifications/read``)."""

from app.access import acting_user
from app.api import bp
from app.api.serializers import notifications_to_json, page_to_json
from app.extensions import db
from app.social.grouping import mark_read, notifications_of


@bp.get("/notifications/")
def get_notifications():
    answer = page_to_json(notifications_of(acting_user()), "notifications",
                          notifications_to_json, "FLASKY_FOLLOWERS_PER_PAGE")
    answer["unread"] = acting_user().unread_notifications
    return answer


@bp.post("/notifications/read")
def mark_notifications_read():
    if mark_read(acting_user(), []):
        db.session.commit()
    return {"unread": 0}
