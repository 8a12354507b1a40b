"""Federation endpoints answer other servers, so every failure is JSON: the
one shape ``{"error", "message"}``, whatever the client's Accept says."""

from flask import Response
from werkzeug.exceptions import HTTPException

from app.errors import error_response
from app.exceptions import ValidationError
from app.federation import bp


@bp.errorhandler(ValidationError)
def validation_error(error: ValidationError) -> Response:
    return error_response(error.status, str(error))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    if error.response is not None:
        return error.response
    return error_response(error.code or 500, error.description)
