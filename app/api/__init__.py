from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__)
# Every API request authenticates itself and no cookie ever does, so there is
# nothing for a forged cross-site request to ride on.
csrf.exempt(bp)

from app.api import (  # noqa: E402, F401
    authentication,
    comments,
    docs,
    errors,
    posts,
    tokens,
    users,
)
