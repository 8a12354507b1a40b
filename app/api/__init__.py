"""The REST API at /api/v1: views/ (one module per resource), forms (the JSON
bodies it accepts), serializers (the JSON it answers), authentication, errors,
ETags, and the OpenAPI document that describes it all."""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__)
# Every API request authenticates itself and no cookie ever does, so there is
# nothing for a forged cross-site request to ride on.
csrf.exempt(bp)

from app.api import authentication, errors, etags, views  # noqa: E402, F401
