"""The operations and bodies of notifications and private messages
(app/api/views/notifications.py, messages.py), added to the document's
paths and schemas."""

from app.api.openapi.paths import _add, _list
from app.api.openapi.schemas import NULLABLE_URL, SCHEMAS, TIMESTAMP, _object, ref
from app.models import Notification

SCHEMAS.update({
    "Notification": _object({
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(Notification.KINDS)},
        "text": {"type": "string", "description": "what it says, as the page says it"},
        "gone": {"type": "boolean",
                 "description": "what it was about has been deleted since"},
        "read": {"type": "boolean"}, "timestamp": TIMESTAMP,
        "actor_url": NULLABLE_URL, "post_url": NULLABLE_URL, "comment_url": NULLABLE_URL,
        "message_url": NULLABLE_URL}),
    "NotificationList": _object({
        "notifications": {"type": "array", "items": ref("Notification")},
        "prev": NULLABLE_URL, "next": NULLABLE_URL, "count": {"type": "integer", "minimum": 0},
        "unread": {"type": "integer", "minimum": 0, "description": "the bell's count"}}),
    "UnreadCount": _object({"unread": {"type": "integer", "minimum": 0}}),
})

_list("/notifications/", "get_notifications",
      "Your notifications (without those from people you blocked or muted)",
      "NotificationList", "notifications")
_add("post", "/notifications/read", "mark_notifications_read", "Mark all your notifications read",
     {"200": {"description": "Done", "content": {"application/json": {
         "schema": ref("UnreadCount")}}}}, tag="notifications")
