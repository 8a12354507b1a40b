"""API tokens: issued for an email and password (and the current two-factor
code in the X-Flasky-OTP header, for accounts that use it), revoked with the
token itself."""

from flask import abort, g, request

from app.access import acting_user
from app.api import bp
from app.api.authentication import authentication_error
from app.auth import two_factor
from app.extensions import db
from app.models import ApiToken, User
from app.security.rate_limits import code_entry_limit, login_limit

TOKEN_LIFETIME = 3600
OTP_HEADER = "X-Flasky-OTP"


def _account_of_credentials() -> int | None:
    """The account a token request names, for the code-entry limit (before
    authentication has run)."""
    credentials = request.authorization
    if credentials is None or not credentials.username or not credentials.password:
        return None
    user = User.by_email(credentials.username[:254])
    return user.id if user is not None else None


@bp.post("/tokens/")
@login_limit
@code_entry_limit(_account_of_credentials)
def issue_token():
    if g.api_token is not None:
        return authentication_error(401, "a token is issued for an email and password, "
                                         "not for another token")
    user = acting_user()
    if two_factor.is_enabled(user):
        if not request.headers.get(OTP_HEADER):
            return authentication_error(401, "this account uses two-factor authentication: "
                                             f"send the current code in the {OTP_HEADER} "
                                             "header")
        try:
            two_factor.check_code(user, request.headers[OTP_HEADER])
        except two_factor.CodeRefused as refused:
            db.session.rollback()
            return authentication_error(401, str(refused))
    token = ApiToken.issue(user, TOKEN_LIFETIME, name=request.user_agent.string)
    db.session.commit()
    return {"token": token, "expiration": TOKEN_LIFETIME}


@bp.delete("/tokens/")
def revoke_token():
    if g.api_token is None:
        abort(400, "send the token to revoke as the username, with an empty password")
    g.api_token.revoke()
    db.session.commit()
    return "", 204
