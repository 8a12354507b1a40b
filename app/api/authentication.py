"""How API callers prove who they are, and what they may do.

HTTP Basic with email + password, or with a token as the username and an
empty password. The session cookie of the web pages never authenticates an
API call. The 401 challenge names the scheme ``xBasic`` so that a browser
opening an API address does not pop up a login dialog; programs send standard
Basic credentials up front.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, abort, g, request
from flask_httpauth import HTTPBasicAuth

from app.api import bp
from app.api.errors import error_response
from app.extensions import db
from app.models import ApiToken, User

CHALLENGE = 'xBasic realm="Flasky API"'
# The API's own description is public; everything else needs credentials.
PUBLIC_ENDPOINTS = {"api.openapi_document", "api.documentation"}

auth = HTTPBasicAuth(realm="Flasky API")


@auth.verify_password
def verify_password(email_or_token: str | None, password: str | None) -> User | None:
    g.api_token = None
    if not email_or_token:
        return None
    if not password:
        g.api_token = ApiToken.find(email_or_token)
        return g.api_token.user if g.api_token is not None else None
    return User.authenticate(email_or_token, password)


@auth.error_handler
def authentication_error(status: int, message: str = "send an email and password, or a token, "
                                                    "with HTTP Basic authentication") -> Response:
    response = error_response(status, message)
    response.headers["WWW-Authenticate"] = CHALLENGE
    return response


def current_user() -> User:
    return auth.current_user()


def _require_confirmed_account() -> Response | None:
    user = current_user()
    if user is None:  # OPTIONS requests skip authentication
        return None
    if not user.confirmed:
        return error_response(403, "confirm your account before using the API")
    if user.ping():
        db.session.commit()
    return None


@bp.before_request
def authenticate() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return auth.login_required(_require_confirmed_account)()


def permission_required(permission: int) -> Callable:
    """Answer 403 unless the authenticated caller has ``permission``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user().can(permission):
                return error_response(403, "your role does not allow this")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_author_or(permission: int, author_id: int, refusal: str) -> None:
    """Answer 403 with ``refusal`` unless the caller wrote the thing or has ``permission``."""
    user = current_user()
    if author_id != user.id and not user.can(permission):
        abort(403, refusal)
