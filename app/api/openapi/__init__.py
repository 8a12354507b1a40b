"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.

schemas.py holds the bodies, paths.py the operations, responses.py every
status an operation can answer. Tests check that it is a valid document that
describes exactly the routes the blueprint has (tests/test_api_openapi.py),
that crafted requests answer statuses it lists (tests/test_api_statuses.py),
and that fuzzed requests, with the rate limits on, get answers it describes
(tests/test_api_fuzz.py).
"""

from app.api.openapi import social  # noqa: F401  (adds its paths and schemas)
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
            "an empty password. An account with two-factor authentication uses tokens "
            "only: its email and password get 401 everywhere but `POST /tokens/`, which "
            "also needs the current code in the `X-Flasky-OTP` header. Unconfirmed "
            "accounts get 403. Lists are newest first, "
            "paginated with `page` and `per_page`. Every error is JSON "
            '`{"error": ..., "message": ...}`. Each operation lists every status it can '
            "answer. Any call can answer 400 for a NUL character in the address, 429 after "
            "too many failed authentications from the caller's address, and 503 while the "
            "database is unavailable (`/openapi.json` and `/docs` only for a request with a "
            "session cookie); 429 and 503 say in Retry-After when to try again. JSON answers "
            "to GET carry an ETag: sent back in If-None-Match, it gets 304 while nothing "
            "changed. A method a path does not list answers 405 with an `Allow` header naming "
            "the ones it does (with HEAD wherever GET is, and OPTIONS, which answers 200 with "
            "the same header)."
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
