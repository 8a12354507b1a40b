"""Failures of the pages' own making, answered through the app's one error rule."""

from flask import Response
from werkzeug.exceptions import BadRequest

from app.errors import handle_http_error
from app.extensions import db
from app.main import bp
from app.rendering import RenderingRefused


@bp.app_errorhandler(RenderingRefused)
def handle_rendering_refused(refused: RenderingRefused) -> Response:
    """Text that reached a model without a form's or the API's check of its
    Markdown: a 400 that says why, not a 500, and nothing of it is kept."""
    db.session.rollback()
    return handle_http_error(BadRequest(refused.sentence))
