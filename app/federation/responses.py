"""Answers in the federation's media types, and the errors its endpoints give."""

import json
from typing import Any

from flask import Response, abort, request

from app.errors import error_response

ACTIVITY_TYPES = ("application/activity+json", "application/ld+json")


def activity_response(document: Any, status: int = 200,
                      mimetype: str = "application/activity+json") -> Response:
    response = Response(json.dumps(document), status=status, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept")
    return response


def wants_activity_json() -> bool:
    """The client asked for ActivityStreams (Mastodon sends either type)."""
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in ACTIVITY_TYPES)


def refuse(status: int, message: str) -> None:
    """Abort with the one JSON error shape ``{"error", "message"}``."""
    abort(error_response(status, message))
