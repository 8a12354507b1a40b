"""Uploaded images, served from the image store with long-lived cache headers:
a file's name is new for every upload and its bytes never change."""

from flask import abort, current_app
from flask_babel import _

from app.images.storage import CONTENT_TYPES, NAME, image_storage
from app.main import bp

ONE_YEAR = 365 * 24 * 3600


@bp.route("/images/<name>")
def image(name: str):
    data = image_storage().load(name) if NAME.fullmatch(name) else None
    if data is None:
        abort(404, description=_("There is no such image. It may have been deleted."))
    response = current_app.response_class(data, mimetype=CONTENT_TYPES[name.rsplit(".", 1)[1]])
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.headers["Content-Disposition"] = "inline"
    return response
