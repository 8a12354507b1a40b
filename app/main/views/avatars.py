"""Avatars: local identicons, so no page asks a third party for a picture."""

from flask import abort, make_response

from app.identicon import VERSION, identicon_svg, is_avatar_hash
from app.main import bp


@bp.route(f"/avatar/{VERSION}/<avatar_hash>.svg")
def identicon(avatar_hash: str):
    """A local identicon; its URL names its content (the hash and the drawing's
    version), so it may be cached for a year."""
    if not is_avatar_hash(avatar_hash):
        abort(404)
    response = make_response(identicon_svg(avatar_hash))
    response.mimetype = "image/svg+xml"
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    response.cache_control.immutable = True
    return response


@bp.route("/avatar/<avatar_hash>.svg")
def identicon_before_version(avatar_hash: str):
    """The first drawing's address, still linked from pages cached before the
    version joined it: today's drawing, kept only briefly, since it changed once."""
    response = identicon(avatar_hash)
    response.cache_control.max_age = 3600
    response.cache_control.immutable = False
    return response
