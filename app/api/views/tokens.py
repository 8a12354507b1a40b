"""API tokens: issued for an email and password, revoked with the token itself."""

from flask import abort, g

from app.access import acting_user
from app.api import bp
from app.api.authentication import authentication_error
from app.extensions import db
from app.security.rate_limits import login_limit

TOKEN_LIFETIME = 3600


@bp.post("/tokens/")
@login_limit
def issue_token():
    if g.api_token is not None:
        return authentication_error(401, "a token is issued for an email and password, "
                                         "not for another token")
    token = acting_user().generate_auth_token(TOKEN_LIFETIME)
    db.session.commit()
    return {"token": token, "expiration": TOKEN_LIFETIME}


@bp.delete("/tokens/")
def revoke_token():
    if g.api_token is None:
        abort(400, "send the token to revoke as the username, with an empty password")
    g.api_token.revoke()
    db.session.commit()
    return "", 204
