"""Blocking and muting people, and the lists of whom the caller blocked and
muted. The rules and their refusals are the pages' (app/social/blocking.py):
oneself is a 400, a change already made (or not made) a 409."""

from collections.abc import Callable

from flask import url_for

from app.access import acting_user
from app.api import bp
from app.api.serializers import page_to_json
from app.database import committed
from app.exceptions import ValidationError
from app.extensions import db
from app.loading import get_or_404
from app.models import Block, Mute, User
from app.security.rate_limits import following_limit
from app.social import blocking


def _change(id: int, change: Callable[[User, User], str | None]):
    caller, other = acting_user(), get_or_404(User, id)
    refusal = change(caller, other)
    if refusal is not None:
        raise ValidationError(refusal[0].lower() + refusal[1:].rstrip("."),
                              status=400 if other.id == caller.id else 409)
    committed()  # False: a concurrent request made the same change, which is the same
    return "", 204


def _people_to_json(rows: list[Block | Mute], person_id: Callable) -> list[dict]:
    # The page's select loaded each person with their row: get() finds them in the session.
    people = [db.session.get(User, person_id(row)) for row in rows]
    return [{"user_url": url_for("api.get_user", id=person.id, _external=True),
             "username": person.username, "since": row.timestamp.isoformat()}
            for row, person in zip(rows, people, strict=True)]


@bp.post("/users/<int:id>/block")
@following_limit
def block_user(id: int):
    return _change(id, blocking.block)


@bp.delete("/users/<int:id>/block")
@following_limit
def unblock_user(id: int):
    return _change(id, blocking.unblock)


@bp.post("/users/<int:id>/mute")
@following_limit
def mute_user(id: int):
    return _change(id, blocking.mute)


@bp.delete("/users/<int:id>/mute")
@following_limit
def unmute_user(id: int):
    return _change(id, blocking.unmute)


@bp.get("/blocks/")
def get_blocks():
    return page_to_json(blocking.blocks_of(acting_user()), "blocks",
                        lambda rows: _people_to_json(rows, lambda row: row.blocked_id),
                        "FLASKY_FOLLOWERS_PER_PAGE")


@bp.get("/mutes/")
def get_mutes():
    return page_to_json(blocking.mutes_of(acting_user()), "mutes",
                        lambda rows: _people_to_json(rows, lambda row: row.muted_id),
                        "FLASKY_FOLLOWERS_PER_PAGE")
