"""How API callers prove who they are. What they may do is decided by
``app.access`` and ``app.decorators``, the same rules the pages use.

HTTP Basic with email + password, or with a token as the username and an
empty password. An account with two-factor authentication uses tokens only:
its password works for nothing but ``POST /tokens/``, which also takes the
code (app/api/views/tokens.py). The session cookie of the web pages never
authenticates an API call. The 401 challenge names the scheme ``xBasic`` so that a browser
opening an API address does not pop up a login dialog; programs send standard
Basic credentials up front.
"""

from flask import Response, g, request
from flask_httpauth import HTTPBasicAuth

from app.api import bp
from app.auth import two_factor
from app.errors import error_response
from app.extensions import db
from app.models import ApiToken, User
from app.social.suspensions import is_suspended, suspended_until_text

CHALLENGE = 'xBasic realm="Flasky API"'
# The API's own description is public; everything else needs credentials.
PUBLIC_ENDPOINTS = {"api.openapi_document", "api.documentation"}

TWO_FACTOR_USES_TOKENS = (
    "this account uses two-factor authentication, so its password works only to get a "
    "token: POST /api/v1/tokens/ with the email and password and the current code in "
    "the X-Flasky-OTP header, then send the token as the username with an empty password")

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


def _require_confirmed_account() -> Response | None:
    user = auth.current_user()
    if user is None:  # OPTIONS requests skip authentication
        return None
    g.api_user = user  # app.access.acting_user() answers with it
    if not user.confirmed:
        return error_response(403, "confirm your account before using the API")
    if is_suspended(user):
        return error_response(403, suspended_until_text(user))
    refusal = _two_factor_refusal(user)
    if refusal is not None:
        return refusal
    touched = g.api_token is not None and g.api_token.touch()
    if user.ping() or touched:
        db.session.commit()
    return None


def _two_factor_refusal(user: User) -> Response | None:
    if (g.api_token is None and request.endpoint != "api.issue_token"
            and two_factor.is_enabled(user)):
        return authentication_error(401, TWO_FACTOR_USES_TOKENS)
    if two_factor.must_set_up(user):
        return error_response(403, "your role needs two-factor authentication: set it up "
                                   "in your settings on the site before using the API")
    return None


@bp.before_request
def authenticate() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return auth.login_required(_require_confirmed_account)()
