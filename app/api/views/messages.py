"""Private messages: the caller's conversations, the thread with one person,
sending, reading and deleting one message. Nobody but its two people sees a
message (404 for anyone else); only its sender deletes it."""

from flask import abort, url_for

from app.access import acting_user, require
from app.api import bp
from app.api.forms import comment_body_from_json, json_body
from app.api.serializers import message_to_json, messages_to_json, page_to_json
from app.exceptions import ValidationError
from app.extensions import db
from app.loading import get_or_404
from app.models import Message, User
from app.security.rate_limits import posting_limit
from app.social import messaging


def _conversations_to_json(people: list[User]) -> list[dict]:
    return [{
        "user_url": url_for("api.get_user", id=item.other.id, _external=True),
        "username": item.other.username,
        "latest": item.latest.isoformat(),
        "unread": item.unread,
        "count": item.total,
        "messages_url": url_for("api.get_thread", id=item.other.id, _external=True),
    } for item in messaging.summarise(acting_user(), people)]


@bp.get("/messages/")
def get_conversations():
    return page_to_json(messaging.conversations(acting_user()), "conversations",
                        _conversations_to_json, "FLASKY_FOLLOWERS_PER_PAGE")


@bp.get("/users/<int:id>/messages/")
def get_thread(id: int):
    other = get_or_404(User, id)
    return page_to_json(messaging.thread(acting_user(), other), "messages", messages_to_json,
                        "FLASKY_COMMENTS_PER_PAGE")


@bp.post("/users/<int:id>/messages/")
@posting_limit
def send_message(id: int):
    sender, other = acting_user(), get_or_404(User, id)
    body = comment_body_from_json(json_body())
    refusal = messaging.refusal(sender, other)
    if refusal is not None:
        status = 400 if other.id == sender.id else 403
        raise ValidationError(refusal[0].lower() + refusal[1:].rstrip("."), status=status)
    message = messaging.send(sender, other, body)
    db.session.commit()
    location = url_for("api.get_message", id=message.id, _external=True)
    return message_to_json(message), 201, {"Location": location}


def _own_message(id: int) -> Message:
    message = get_or_404(Message, id)
    if acting_user().id not in (message.sender_id, message.recipient_id):
        abort(404, "There is no such message.")
    return message


@bp.get("/messages/<int:id>")
def get_message(id: int):
    return message_to_json(_own_message(id))


@bp.delete("/messages/<int:id>")
def delete_message(id: int):
    message = _own_message(id)
    require(messaging.can_delete(message, acting_user()),
            "only the sender of a message may delete it")
    db.session.delete(message)
    db.session.commit()
    return "", 204


@bp.post("/users/<int:id>/messages/read")
def mark_thread_read(id: int):
    if messaging.mark_read(acting_user(), get_or_404(User, id)):
        db.session.commit()
    return "", 204
