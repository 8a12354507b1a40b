"""Every status an operation can answer, decided in one place.

``responses()`` follows a request through Flasky in the order it is handled
and adds, for each step the operation goes through, the statuses that step
can answer:

1. before routing's result is used (app/security/): a NUL character in the
   address, or in a POST or PUT body, is a 400; reading such a body past
   MAX_CONTENT_LENGTH is a 413; an address with too many failed API
   authentications gets 429, whatever the call;
2. routing: an ``{id}`` that is not a whole number the id columns can hold
   matches no route, a 404 (app/database.py);
3. authentication (app/api/authentication.py): 401 with WWW-Authenticate,
   403 for unconfirmed accounts, 503 when the database cannot be read or
   written (app/errors.py), as any later step that uses it; the public
   operations skip it, but a session cookie has any request look up who
   signed in (app/auth/gate.py), so they can answer 503 too;
4. the view: its permission (403), its rate limit (429 with Retry-After),
   the object (404), the JSON body (415, 400) and its own refusals;
5. after the view (app/api/etags.py): an ETag on every JSON answer to GET, and
   304 (If-None-Match) or 412 (If-Match) from it.

A method a path does not list is answered 405 by routing, before any of
this; that belongs to the path, not to an operation, so the document says it
once, in its description.
"""

from typing import Any

from app.api.openapi.schemas import JSON, URL, ref
from app.database import LARGEST_ID
from app.rendering import HTML_RATIO, MAX_DEPTH, TABLE_MAX_CELLS, TABLE_MAX_COLUMNS
from config import Config

RETRY_AFTER = {"Retry-After": {"required": True, "description": "seconds to wait",
                               "schema": {"type": "integer", "minimum": 1}}}
ETAG = {"ETag": {"required": True, "description": "send it back in If-None-Match",
                 "schema": {"type": "string", "pattern": '^(W/)?"[^"]*"$'}}}
WWW_AUTHENTICATE = {"WWW-Authenticate": {
    "required": True,
    "description": 'Always `xBasic realm="Flasky API"`: send HTTP Basic credentials '
                   "up front (a non-standard challenge keeps browsers from prompting)",
    "schema": {"type": "string", "const": 'xBasic realm="Flasky API"'}}}
LOCATION = {"Location": {"required": True, "description": "the new resource's URL",
                         "schema": URL}}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "schema": {"type": "string"},
                 "description": "the ETag of an earlier answer: 304 while it is current"}

# What each rate limit of app/security/rate_limits.py counts; every one answers 429.
LIMITS = {
    "login": "token requests from this address",
    "posting": "posts and comments from this account",
    "editing": "edits of posts from this account, in pages and the API alike",
    "following": "follows and unfollows from this account, in pages and the API alike",
}
MARKDOWN_REFUSED = (
    f"Markdown too costly to render (tables over {TABLE_MAX_COLUMNS} columns or "
    f"{TABLE_MAX_CELLS:,} cells, nesting over {MAX_DEPTH} deep, HTML over {HTML_RATIO} "
    "times the text)")


def conditional(method: str, answers: dict[str, Any]) -> bool:
    """Whether the operation's answers get an ETag, and so 304 and 412 (app/api/etags.py)."""
    return method == "get" and JSON in answers["200"].get("content", {})


def _sentence(reasons: list[str]) -> str:
    text = "; ".join(reasons)
    return text[0].upper() + text[1:]


def _error(reasons: list[str], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": _sentence(reasons),
                                "content": {JSON: {"schema": ref("Error")}}}
    if headers:
        response["headers"] = headers
    return response


def responses(method: str, path: str, answers: dict[str, Any], *, public: bool = False,
              body: str | None = None, limit: str | None = None, forbidden: str | None = None,
              not_found: str = "resource", bad_request: str | None = None,
              unauthorized: str | None = None, conflict: str | None = None,
              body_limit: int | None = None, named_in_body: str | None = None
              ) -> dict[str, Any]:
    """The ``responses`` of the operation ``method path``.

    ``answers`` are its successes. ``body`` names the schema of a JSON body,
    ``limit`` its rate limit (a key of LIMITS), ``forbidden`` who may call
    it when not everyone may, ``not_found`` what its ``{id}`` names. A
    public operation skips authentication, and so reads the database only
    for a session cookie (every request looks up who signed in, app/auth).
    ``bad_request`` and ``unauthorized`` are the operation's own further
    reasons for a 400 or a 401, ``conflict`` its reason for a 409, ``body_limit``
    its larger allowance of bytes for a body (app/images/uploads.py),
    ``named_in_body`` what a 404 says the body named that does not exist.
    """
    found: dict[int, list[str]] = {}

    def add(status: int, reason: str) -> None:
        found.setdefault(status, []).append(reason)

    _before_the_view(add, method, path, public, not_found, body_limit)
    _in_the_view(add, forbidden, limit, body, bad_request, unauthorized, conflict)
    if named_in_body:
        add(404, f"no such {named_in_body}")
    headers = {401: WWW_AUTHENTICATE, 429: RETRY_AFTER, 503: RETRY_AFTER}
    for status in (429, 503):
        if status in found:
            found[status].append("Retry-After says when to try again")
    errors = {str(status): _error(found[status], headers.get(status)) for status in found}
    return dict(sorted({**_successes(method, answers), **errors}.items()))


def _before_the_view(add: Any, method: str, path: str, public: bool, not_found: str,
                     body_limit: int | None = None) -> None:
    """What any call can answer before its view runs: request checks, routing, sign-in."""
    writes = method in ("post", "put")
    add(400, "a NUL character in the address" + (" or the body" if writes else ""))
    if writes:
        add(413, f"a body over {(body_limit or Config.MAX_CONTENT_LENGTH) / 2**20:.4g} MiB")
    add(429, "too many failed authentications from this address, on any API call")
    if "{id}" in path:
        add(404, f"no such {not_found}, or an id that is not a whole number from 0 to "
                 f"{LARGEST_ID}")
    elif "{name}" in path:
        add(404, f"no such {not_found}")
    if public:
        add(503, "a session cookie, whose sign-in is looked up, while the database is "
                 "unavailable")
    else:
        add(401, "no credentials, or wrong ones")
        add(403, "an unconfirmed or suspended account")
        add(503, "the database is unavailable or locked")


def _in_the_view(add: Any, forbidden: str | None, limit: str | None, body: str | None,
                 bad_request: str | None, unauthorized: str | None,
                 conflict: str | None) -> None:
    """What the operation's own view can answer: its permission, limit and body."""
    if forbidden:
        add(403, forbidden)
    if limit:
        add(429, f"too many {LIMITS[limit]}")
    if body:
        add(415, "a body that is not application/json")
        add(400, "invalid JSON, or missing, extra, mistyped or too long fields")
        if body in ("PostBody", "CommentBody", "MessageBody"):
            add(400, MARKDOWN_REFUSED)
    if bad_request:
        add(400, bad_request)
    if unauthorized:
        add(401, unauthorized)
    if conflict:
        add(409, conflict)


def _successes(method: str, answers: dict[str, Any]) -> dict[str, Any]:
    success = dict(answers)
    if conditional(method, answers):
        success["200"] = {**answers["200"], "headers": ETAG}
        success["304"] = {"description": "If-None-Match named the current ETag; no body",
                          "headers": ETAG}
        success["412"] = {"description": "If-Match named none of the current ETags"}
    return success
