"""The operations of API v1: their parameters, bodies and responses."""

from typing import Any

from app.api.openapi.schemas import JSON, URL, json_response, ref
from app.api.pagination import MAX_PAGE_ARGUMENT, MAX_PER_PAGE
from app.rendering import HTML_RATIO, MAX_DEPTH, TABLE_MAX_CELLS, TABLE_MAX_COLUMNS

_ref, _json = ref, json_response


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


UNAUTHORIZED = {**_error("No credentials, or wrong ones"), "headers": {"WWW-Authenticate": {
    "description": 'Always `xBasic realm="Flasky API"`: send HTTP Basic credentials '
                   "up front (a non-standard challenge keeps browsers from prompting)",
    "schema": {"type": "string"}}}}
AUTH_ERRORS = {"401": UNAUTHORIZED, "403": _error("Unconfirmed account, or not allowed"),
               "429": _error("Too many requests (posting, editing, following, or failed "
                             "authentications from this address); Retry-After says when to "
                             "try again")}
BODY_ERRORS = {"400": _error("Invalid JSON, or missing, extra, mistyped or too long fields, "
                             "or Markdown too costly to render (tables over "
                             f"{TABLE_MAX_COLUMNS} columns or {TABLE_MAX_CELLS:,} cells, "
                             f"nesting over {MAX_DEPTH} deep, HTML over {HTML_RATIO} times "
                             "the text)"),
               "413": _error("The body is larger than the server accepts"),
               "415": _error("The body is not application/json")}
NOT_FOUND = {"404": _error("No such resource")}
NO_CONTENT = {"204": {"description": "Done"}}
PAGINATION = [
    {"name": "page", "in": "query", "schema": {
        "type": "integer", "minimum": 1, "maximum": MAX_PAGE_ARGUMENT, "default": 1}},
    {"name": "per_page", "in": "query", "description": f"capped at {MAX_PER_PAGE}",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_ARGUMENT}},
]
ID = [{"name": "id", "in": "path", "required": True,
       "schema": {"type": "integer", "minimum": 0}}]


def _operation(endpoint: str, summary: str, responses: dict[str, Any], *,
               tag: str, parameters: list | None = None, body: str | None = None,
               public: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": endpoint, "summary": summary, "tags": [tag],
                                 "responses": responses if public else {**responses,
                                                                        **AUTH_ERRORS}}
    if parameters:
        operation["parameters"] = parameters
    if parameters and ID[0] in parameters:
        operation["responses"] = {**operation["responses"], **NOT_FOUND}
    if body:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _ref(body)}}}
        operation["responses"] = {**operation["responses"], **BODY_ERRORS}
    if public:
        operation["security"] = []
    return operation


def _list_of(endpoint: str, summary: str, schema: str, tag: str, by_id: bool = False):
    return _operation(endpoint, summary, {
        "200": _json(_ref(schema), "One page, newest first"),
        "400": _error("Bad page or per_page")},
        tag=tag, parameters=(ID if by_id else []) + PAGINATION)


def _one(endpoint: str, summary: str, schema: str, tag: str, **options: Any):
    return _operation(endpoint, summary, {"200": _json(_ref(schema), schema)},
                      tag=tag, parameters=ID, **options)


def _created(endpoint: str, summary: str, schema: str, tag: str, body: str, **options: Any):
    created = {**_json(_ref(schema), "Created; Location is its URL"),
               "headers": {"Location": {"schema": URL}}}
    return _operation(endpoint, summary, {"201": created}, tag=tag, body=body, **options)


def _done(endpoint: str, summary: str, tag: str, errors: dict[str, Any]):
    return _operation(endpoint, summary, {**NO_CONTENT, **errors}, tag=tag,
                      parameters=ID)


PATHS = {
    "/tokens/": {
        "post": _operation("issue_token", "Issue a token (with email and password only)", {
            "200": _json(_ref("Token"), "A new token")}, tag="tokens"),
        "delete": _operation("revoke_token", "Revoke the token used for this request", {
            **NO_CONTENT, "400": _error("Authenticated with a password, not a token")},
            tag="tokens"),
    },
    "/posts/": {
        "get": _list_of("get_posts", "All posts", "PostList", "posts"),
        "post": _created("new_post", "Write a post (WRITE)", "Post", "posts", "PostBody"),
    },
    "/posts/{id}": {
        "get": _one("get_post", "One post", "Post", "posts"),
        "put": _one("edit_post", "Edit a post (its author or ADMIN)", "Post", "posts",
                    body="PostBody"),
        "delete": _done("delete_post", "Delete a post (its author or MODERATE)", "posts", {}),
    },
    "/posts/{id}/comments/": {
        "get": _list_of("get_post_comments", "A post's comments", "CommentList", "comments",
                        by_id=True),
        "post": _created("new_post_comment", "Comment on a post (COMMENT)", "Comment",
                         "comments", "CommentBody", parameters=ID),
    },
    "/comments/": {
        "get": _list_of("get_comments", "All comments", "CommentList", "comments"),
    },
    "/comments/{id}": {
        "get": _one("get_comment", "One comment", "Comment", "comments"),
        "delete": _done("delete_comment", "Delete a comment (its author or MODERATE)",
                        "comments", {}),
    },
    "/comments/{id}/moderation": {
        "put": _one("moderate_comment", "Disable or enable a comment (MODERATE)", "Comment",
                    "comments", body="Moderation"),
    },
    "/users/": {
        "get": _list_of("get_users", "Everyone, newest member first", "UserList", "users"),
    },
    "/users/{id}": {"get": _one("get_user", "One user", "User", "users")},
    "/users/{id}/posts/": {
        "get": _list_of("get_user_posts", "A user's posts", "PostList", "posts", by_id=True),
    },
    "/users/{id}/timeline/": {
        "get": _list_of("get_user_timeline", "Posts by the people a user follows, and theirs",
                        "PostList", "posts", by_id=True),
    },
    "/users/{id}/followers/": {
        "get": _list_of("get_user_followers", "Who follows a user", "UserList", "users",
                        by_id=True),
    },
    "/users/{id}/following/": {
        "get": _list_of("get_user_following", "Whom a user follows", "UserList", "users",
                        by_id=True),
    },
    "/users/{id}/follow": {
        "post": _done("follow_user", "Follow a user (FOLLOW)", "users",
                      {"400": _error("Following oneself")}),
        "delete": _done("unfollow_user", "Stop following a user (FOLLOW)", "users", {}),
    },
    "/openapi.json": {
        "get": _operation("openapi_document", "This document", {
            "200": _json({"type": "object"}, "OpenAPI 3.1")}, tag="documentation",
            public=True),
    },
    "/docs": {
        "get": _operation("documentation", "This document as a web page", {
            "200": {"description": "HTML", "content": {"text/html": {"schema": {
                "type": "string"}}}}}, tag="documentation", public=True),
    },
}
