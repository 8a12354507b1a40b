"""Names every template can use."""

import secrets
from typing import Any

from flask import current_app, g

from app.links import mail_url
from app.models import Permission
from app.url_building import fast_url_for


def avatar_url(user: Any, size: int = 100) -> str:
    """The user's avatar: the picture they uploaded, else a local identicon unless
    FLASKY_GRAVATAR is on, so by default no page makes a third-party request or
    leaks an email hash."""
    if getattr(user, "avatar_image", None):
        return fast_url_for("main.image", name=user.avatar_image)
    if current_app.config["FLASKY_GRAVATAR"]:
        return user.gravatar(size=size)
    return fast_url_for("main.identicon", avatar_hash=user.avatar_hash or "0" * 32)


def csp_nonce() -> str:
    """A per-request nonce for the few inline scripts the pages need (a page prints it
    a dozen times: ``g`` is looked up once a call, not through the proxy twice)."""
    store = g._get_current_object()
    nonce = getattr(store, "csp_nonce", None)
    if nonce is None:
        nonce = store.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def template_globals() -> dict[str, Any]:
    return {"Permission": Permission, "avatar_url": avatar_url, "csp_nonce": csp_nonce,
            "mail_url": mail_url, "url_for": fast_url_for}
