"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.

schemas.py holds the bodies, paths.py the operations. Tests check that it is
a valid document, that it describes exactly the routes the blueprint has, and
that real responses match its schemas.
"""

from app.api.openapi.paths import PATHS
from app.api.openapi.schemas import SCHEMAS

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Flasky API",
        "version": "1.0.0",
        "description": (
            "Programs can do through the API what people do in Flasky's pages, except "
            "registering. Every call except this description authenticates with HTTP Basic: "
            "an email and password, or a token (from `POST /tokens/`) as the username with "
            "an empty password. Unconfirmed accounts get 403. Lists are newest first, "
            "paginated with `page` and `per_page`. Every error is JSON "
            '`{"error": ..., "message": ...}`.'
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"basicAuth": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"basicAuth": {
            "type": "http", "scheme": "basic",
            "description": "Email and password, or a token and an empty password"}},
    },
}
