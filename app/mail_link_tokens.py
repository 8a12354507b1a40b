"""Signed, expiring, purpose-bound tokens for links sent by mail.

Each purpose signs with its own salt and also names itself in the payload,
so a token made for one purpose (or one user) never works for another.
The expiry travels inside the signed payload and is checked on load.
"""

import time
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"flasky.{purpose}")


def generate_token(purpose: str, expiration: int, **data: Any) -> str:
    payload = {**data, "purpose": purpose, "exp": int(time.time()) + int(expiration)}
    return _serializer(purpose).dumps(payload)


def load_token(purpose: str, token: str) -> dict[str, Any] | None:
    """The token's payload, or None when it is forged, foreign or expired."""
    try:
        data = _serializer(purpose).loads(token)
    except (BadSignature, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("purpose") != purpose:
        return None
    if not isinstance(data.get("exp"), int) or data["exp"] < time.time():
        return None
    return data
