"""The API's own failures: a refused request body is a 400 (or 415) JSON error."""

from flask import Response

from app.api import bp
from app.errors import error_response
from app.exceptions import ValidationError


@bp.errorhandler(ValidationError)
def validation_error(error: ValidationError) -> Response:
    return error_response(error.status, str(error))
