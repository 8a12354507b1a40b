"""The API's one error shape: ``{"error": ..., "message": ...}``."""

from flask import Response, jsonify
from werkzeug.http import HTTP_STATUS_CODES

from app.api import bp
from app.exceptions import ValidationError


def error_response(status: int, message: str | None = None) -> Response:
    error = HTTP_STATUS_CODES.get(status, "unknown error").lower()
    response = jsonify({"error": error, "message": message or error})
    response.status_code = status
    return response


def bad_request(message: str) -> Response:
    return error_response(400, message)


def unauthorized(message: str) -> Response:
    return error_response(401, message)


def forbidden(message: str) -> Response:
    return error_response(403, message)


@bp.errorhandler(ValidationError)
def validation_error(error: ValidationError) -> Response:
    return error_response(error.status, str(error))
