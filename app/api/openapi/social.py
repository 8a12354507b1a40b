"""The operations and bodies of notifications, private messages, blocks and
mutes, and reports (app/api/views/notifications.py, messages.py, blocks.py,
reports.py), added to the document's paths and schemas."""

from app.api.openapi.paths import _add, _created, _done, _list, _one
from app.api.openapi.schemas import (
    NULLABLE_URL,
    SCHEMAS,
    TIMESTAMP,
    URL,
    _object,
    _text,
    json_response,
    ref,
)
from app.models import Message, Notification, Report
from app.social.reporting import KINDS

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
    "Message": _object({
        "url": URL, "sender_url": URL, "recipient_url": URL, "body": {"type": "string"},
        "body_html": {"type": "string"}, "timestamp": TIMESTAMP,
        "read": {"type": "boolean", "description": "the recipient has opened the thread"}}),
    "MessageList": _object({
        "messages": {"type": "array", "items": ref("Message")},
        "prev": NULLABLE_URL, "next": NULLABLE_URL, "count": {"type": "integer", "minimum": 0}}),
    "Conversation": _object({
        "user_url": URL, "username": {"type": "string"}, "latest": TIMESTAMP,
        "unread": {"type": "integer", "minimum": 0}, "count": {"type": "integer", "minimum": 1},
        "messages_url": URL}),
    "ConversationList": _object({
        "conversations": {"type": "array", "items": ref("Conversation")},
        "prev": NULLABLE_URL, "next": NULLABLE_URL, "count": {"type": "integer", "minimum": 0}}),
    "MessageBody": _text(Message.BODY_MAX_LENGTH),
})

_list("/notifications/", "get_notifications",
      "Your notifications (without those from people you blocked or muted)",
      "NotificationList", "notifications")
_add("post", "/notifications/read", "mark_notifications_read", "Mark all your notifications read",
     {"200": {"description": "Done", "content": {"application/json": {
         "schema": ref("UnreadCount")}}}}, tag="notifications")

PERSON = {"not_found": "user"}
_list("/messages/", "get_conversations",
      "Your conversations: one per person, latest first", "ConversationList", "messages")
_list("/users/{id}/messages/", "get_thread", "Your messages with one person, oldest first",
      "MessageList", "messages", **PERSON)
_created("/users/{id}/messages/", "send_message", "Send a private message", "Message",
         "messages", body="MessageBody", limit="posting",
         bad_request="a message to yourself",
         forbidden="a recipient who blocked you or whom you blocked, or who has not "
                   "confirmed their account", **PERSON)
_done("post", "/users/{id}/messages/read", "mark_thread_read",
      "Mark what one person sent you read", "messages", **PERSON)
_one("get", "/messages/{id}", "get_message", "One message you sent or received", "Message",
     "messages", not_found="message of yours")
_done("delete", "/messages/{id}", "delete_message",
      "Delete a message you sent, for both of you", "messages",
      forbidden="a message you received rather than sent", not_found="message of yours")

PERSON_SINCE = _object({"user_url": URL, "username": {"type": "string"}, "since": TIMESTAMP})
SCHEMAS.update({
    "BlockList": _object({
        "blocks": {"type": "array", "items": PERSON_SINCE},
        "prev": NULLABLE_URL, "next": NULLABLE_URL, "count": {"type": "integer", "minimum": 0}}),
    "MuteList": _object({
        "mutes": {"type": "array", "items": PERSON_SINCE},
        "prev": NULLABLE_URL, "next": NULLABLE_URL, "count": {"type": "integer", "minimum": 0}}),
    "ReportBody": {**_object({
        "kind": {"type": "string", "enum": list(KINDS)},
        "id": {"type": "integer", "minimum": 0, "description": "the post's, comment's, "
               "message's (one sent to you) or person's id"},
        "reason": {"type": "string", "enum": list(Report.REASONS)},
        "details": {"type": "string", "maxLength": Report.DETAILS_MAX_LENGTH,
                    "description": "optional: anything the moderators should know"}},
        additionalProperties=False), "required": ["id", "kind", "reason"]},
    "Report": _object({
        "kind": {"type": "string", "enum": list(KINDS)}, "id": {"type": "integer"},
        "reason": {"type": "string", "enum": list(Report.REASONS)},
        "details": {"type": "string"},
        "status": {"type": "string", "enum": [Report.OPEN, Report.DISMISSED, Report.ACTED]},
        "timestamp": TIMESTAMP, "user_url": NULLABLE_URL}),
})

for noun, verb, undo in (("block", "Block", "Unblock"), ("mute", "Mute", "Unmute")):
    _done("post", f"/users/{{id}}/{noun}", f"{noun}_user", f"{verb} a user", "users",
          limit="following", bad_request=f"{noun}ing yourself",
          conflict=f"a user you have {noun}d already", **PERSON)
    _done("delete", f"/users/{{id}}/{noun}", f"un{noun}_user", f"{undo} a user", "users",
          limit="following", bad_request=f"un{noun}ing yourself",
          conflict=f"a user you had not {noun}d", **PERSON)
_list("/blocks/", "get_blocks", "Whom you blocked, latest first", "BlockList", "users")
_list("/mutes/", "get_mutes", "Whom you muted, latest first", "MuteList", "users")

REPORT = json_response(ref("Report"), "The report")
_add("post", "/reports/", "new_report", "Report something to the moderators",
     {"202": {**REPORT, "description": "Reported; the moderators will look at it"},
      "200": {**REPORT, "description": "You had reported it already: that one report"}},
     tag="reports", body="ReportBody", limit="posting",
     bad_request="reporting yourself or what you wrote",
     named_in_body="post, comment, message sent to you or user with that kind and id")
