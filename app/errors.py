"""The one error shape and the one negotiation rule, for the whole app.

JSON ``{"error", "message"}`` for anything under /api/ or a client that
prefers JSON to HTML; an HTML page for browsers, ``*/*`` and no Accept.
Each blueprint's ``errors`` module maps its own failures onto
``handle_http_error``; the generic handlers are registered by ``create_app``.
"""

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.http import HTTP_STATUS_CODES

from app.extensions import db, login_manager

# Titles and messages in the reader's language; the JSON ``error`` codes stay English.
# A status without its own words gets GENERIC's for its class: never Werkzeug's text.
ERROR_PAGES = {
    400: (_l("Bad request"),
          _l("The request could not be understood. Please check what you sent.")),
    401: (_l("Please log in"), _l("This needs you to log in first.")),
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (_l("Page not found"), _l("There is nothing at this address. The link may be old, "
                                   "or what was here may have been removed.")),
    405: (_l("Not possible here"), _l("This address does not accept that kind of request.")),
    406: (_l("Not available in that form"),
          _l("This page cannot be sent in a form your browser asked for.")),
    408: (_l("That took too long"), _l("Sending took too long. Please try again.")),
    409: (_l("Already under way"),
          _l("That conflicts with something already happening. Please try again shortly.")),
    410: (_l("No longer here"), _l("What was here has been removed for good.")),
    413: (_l("Too large"), _l("What you sent is larger than Flasky accepts.")),
    415: (_l("Unsupported format"), _l("Flasky cannot read what you sent in that format.")),
    422: (_l("Not accepted"), _l("What you sent could not be used. Please check it.")),
    429: (_l("Too many requests"), _l("You are going a little fast. Please wait and try again.")),
    500: (_l("Something went wrong"),
          _l("The error is ours and has been logged. Please try again.")),
    503: (_l("Temporarily unavailable"),
          _l("Flasky is briefly unavailable. Please try again shortly.")),
}
GENERIC = {
    4: (_l("That did not work"),
        _l("Flasky could not do what was asked. Please go back and try again.")),
    5: ERROR_PAGES[500],
}


def error_words(status: int) -> tuple[str, str]:
    """The title and message Flasky shows for ``status`` when the code said nothing."""
    title, message = ERROR_PAGES.get(status) or GENERIC[5 if status >= 500 else 4]
    return str(title), str(message)


def error_response(status: int, message: str | None = None) -> Response:
    """The JSON error: ``{"error": "not found", "message": ...}``."""
    error = HTTP_STATUS_CODES.get(status, "unknown error").lower()
    response = jsonify({"error": error, "message": message or error})
    response.status_code = status
    return response


def wants_json_response() -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", "application/json"])
    return best == "application/json" and accept[best] > accept["text/html"]


def handle_http_error(error: HTTPException, title: str | None = None) -> Response:
    """The answer to ``error``: JSON or the error page; ``title`` replaces the
    status's own (a CSRF failure is a 400 with its own words)."""
    status = error.code or 500
    if status >= 500:
        db.session.rollback()  # a failed request must not leave half-done work behind
    status_title, generic_message = error_words(status)
    # Server errors never show internals; client errors say what was wrong, in
    # our words when the code gave none (werkzeug's own are English only).
    said = error.description != type(error).description
    message = str(error.description if said and not isinstance(error, InternalServerError)
                  else generic_message)
    title = title or status_title
    if wants_json_response():
        response = error_response(status, message)
    else:
        page = render_template("errors/error.html", status=status, title=title, message=message)
        response = make_response(page, status)
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def handle_database_unavailable(error: SQLAlchemyError) -> Response:
    """The database is down, restarting or locked: a passing condition, so 503
    (with Retry-After) rather than 500, and nothing half-done is kept."""
    current_app.logger.error("Database unavailable: %s", error, exc_info=error)
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; the pool replaces it later
        db.session.close()
    # The page must not query the database again, e.g. to load who is logged in.
    login_manager._update_request_context_with_user()
    unavailable = ServiceUnavailable(str(ERROR_PAGES[503][1]), retry_after=5)
    return handle_http_error(unavailable)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
