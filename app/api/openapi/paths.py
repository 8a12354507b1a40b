"""The operations of API v1: their parameters, bodies and successes.

The errors each one can answer are not listed here: ``responses()`` derives
them from what the operation goes through (responses.py).
"""

from typing import Any

from app.api.openapi.responses import IF_NONE_MATCH, LOCATION, conditional, responses
from app.api.openapi.schemas import JSON, json_response, ref
from app.api.serializers import MAX_PER_PAGE
from app.database import LARGEST_ID
from app.database import LARGEST_ID as MAX_PAGE_ARGUMENT
from app.images.uploads import API_IMAGE_ALLOWANCE

PAGINATION = [
    {"name": "page", "in": "query", "schema": {
        "type": "integer", "minimum": 1, "maximum": MAX_PAGE_ARGUMENT, "default": 1}},
    {"name": "per_page", "in": "query", "description": f"capped at {MAX_PER_PAGE}",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_ARGUMENT}},
]
ID = {"name": "id", "in": "path", "required": True,
      "schema": {"type": "integer", "minimum": 0, "maximum": LARGEST_ID}}
NO_CONTENT = {"204": {"description": "Done"}}
IMAGE_ID = {"name": "image_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": LARGEST_ID}}
TAG_NAME = {"name": "name", "in": "path", "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 64}}

PATHS: dict[str, dict[str, Any]] = {}


def _add(method: str, path: str, endpoint: str, summary: str, answers: dict[str, Any], *,
         tag: str, parameters: list | None = None, body: str | None = None,
         public: bool = False, **details: Any) -> None:
    operation: dict[str, Any] = {"operationId": endpoint, "summary": summary, "tags": [tag]}
    parameters = ([ID] if "{id}" in path else []) + (parameters or [])
    if conditional(method, answers):
        parameters.append(IF_NONE_MATCH)
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": ref(body)}}}
    if public:
        operation["security"] = []
    operation["responses"] = responses(method, path, answers, public=public, body=body,
                                       **details)
    PATHS.setdefault(path, {})[method] = operation


def _list(path: str, endpoint: str, summary: str, schema: str, tag: str,
          parameters: list | None = None, **details: Any):
    page = json_response(ref(schema), "One page, newest first")
    _add("get", path, endpoint, summary, {"200": page}, tag=tag,
         parameters=(parameters or []) + PAGINATION,
         bad_request="a bad page or per_page", **details)


def _one(method: str, path: str, endpoint: str, summary: str, schema: str, tag: str,
         **details: Any):
    _add(method, path, endpoint, summary, {"200": json_response(ref(schema), schema)}, tag=tag,
         **details)


def _created(path: str, endpoint: str, summary: str, schema: str, tag: str, **details: Any):
    created = {**json_response(ref(schema), "Created; Location is its URL"),
               "headers": LOCATION}
    _add("post", path, endpoint, summary, {"201": created}, tag=tag, **details)


def _done(method: str, path: str, endpoint: str, summary: str, tag: str, **details: Any):
    _add(method, path, endpoint, summary, NO_CONTENT, tag=tag, **details)


def _role_without(permission: str) -> str:
    return f"a role without the {permission} permission"


POST, COMMENT, USER = {"not_found": "post"}, {"not_found": "comment"}, {"not_found": "user"}

OTP = {"name": "X-Flasky-OTP", "in": "header", "required": False,
       "description": "the current code from the authenticator app (or a recovery code); "
                      "required for an account with two-factor authentication",
       "schema": {"type": "string", "maxLength": 40}}
_one("post", "/tokens/", "issue_token", "Issue a token (with email and password only)",
     "Token", "tokens", limit="login", parameters=[OTP],
     unauthorized="a token, which is not exchanged for another; for an account with "
                  "two-factor authentication, a missing, wrong, expired or already used "
                  "code in X-Flasky-OTP")
_done("delete", "/tokens/", "revoke_token", "Revoke the token used for this request",
      "tokens", bad_request="authenticated with a password, not a token")

_list("/posts/", "get_posts", "All posts", "PostList", "posts")
_created("/posts/", "new_post", "Write a post (WRITE)", "Post", "posts", body="PostBody",
         forbidden=_role_without("WRITE"), limit="posting")
_list("/drafts/", "get_drafts", "The caller's drafts (WRITE)", "PostList", "posts",
      forbidden=_role_without("WRITE"))
_one("get", "/posts/{id}", "get_post", "One post", "Post", "posts", **POST)
_one("put", "/posts/{id}", "edit_post", "Edit a post (its author or ADMIN)", "Post", "posts",
     body="PostBody", forbidden="a caller who is neither its author nor an administrator",
     limit="editing", **POST)
_done("delete", "/posts/{id}", "delete_post", "Delete a post (its author or MODERATE)",
      "posts", forbidden="a caller who is neither its author nor a moderator", **POST)
_created("/posts/{id}/images/", "new_post_image",
         "Add an image to a post (its author or ADMIN; at most 4)", "Image", "posts",
         body="ImageBody", forbidden="a caller who is neither its author nor an administrator",
         bad_request="data that is not base64 of a JPEG, PNG, WebP or GIF within the bounds "
                     "(8 MB, 40 million pixels, 100 frames, whole), a missing alt text, or a "
                     "fifth image", limit="editing", body_limit=API_IMAGE_ALLOWANCE, **POST)
_done("delete", "/posts/{id}/images/{image_id}", "delete_post_image",
      "Remove an image from a post (its author or ADMIN)", "posts", parameters=[IMAGE_ID],
      forbidden="a caller who is neither its author nor an administrator",
      not_found="post, or no such image on it")
_list("/posts/{id}/comments/", "get_post_comments", "A post's comments", "CommentList",
      "comments", **POST)
_created("/posts/{id}/comments/", "new_post_comment", "Comment on a post (COMMENT)",
         "Comment", "comments", body="CommentBody", forbidden=_role_without("COMMENT"),
         limit="posting", **POST)

_list("/tags/{name}/posts/", "get_tag_posts", "Posts filed under a tag (any letter case)",
      "PostList", "posts", parameters=[TAG_NAME], not_found="tag")

_list("/comments/", "get_comments", "All comments", "CommentList", "comments")
_one("get", "/comments/{id}", "get_comment", "One comment", "Comment", "comments", **COMMENT)
_done("delete", "/comments/{id}", "delete_comment",
      "Delete a comment (its author or MODERATE)", "comments",
      forbidden="a caller who is neither its author nor a moderator", **COMMENT)
_one("put", "/comments/{id}/moderation", "moderate_comment",
     "Disable or enable a comment (MODERATE)", "Comment", "comments", body="Moderation",
     forbidden=_role_without("MODERATE"), **COMMENT)

_list("/users/", "get_users", "Everyone, newest member first", "UserList", "users")
_one("get", "/users/{id}", "get_user", "One user", "User", "users", **USER)
_list("/users/{id}/posts/", "get_user_posts", "A user's posts", "PostList", "posts", **USER)
_list("/users/{id}/timeline/", "get_user_timeline",
      "Posts by the people a user follows, and theirs", "PostList", "posts", **USER)
_list("/users/{id}/followers/", "get_user_followers", "Who follows a user", "UserList",
      "users", **USER)
_list("/users/{id}/following/", "get_user_following", "Whom a user follows", "UserList",
      "users", **USER)
_done("post", "/users/{id}/follow", "follow_user", "Follow a user (FOLLOW)", "users",
      forbidden=_role_without("FOLLOW") + ", or a user who blocked you or whom you blocked",
      limit="following", bad_request="following oneself",
      **USER)
_done("delete", "/users/{id}/follow", "unfollow_user", "Stop following a user (FOLLOW)",
      "users", forbidden=_role_without("FOLLOW"), limit="following", **USER)

_add("post", "/exports/", "start_export", "Export your data: a job, polled at its URL",
     {"202": {**json_response(ref("Export"), "Started; Location is its URL, to poll"),
              "headers": LOCATION}},
     tag="exports", conflict="an export of your data is being prepared already")
_one("get", "/exports/{id}", "get_export", "How far an export of yours is", "Export", "exports",
     not_found="export of yours")
_add("get", "/exports/{id}/download", "download_export",
     "Download a finished export of yours: a zip, for seven days",
     {"200": {"description": "The zip", "content": {"application/zip": {"schema": {
         "type": "string", "contentMediaType": "application/zip"}}}}},
     tag="exports", not_found="export of yours that is finished and unexpired")
# Search (app/api/views/search.py).
SEARCH_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string", "default": ""},
     "description": 'Words to find, all of them; "a phrase", -word to leave out, word* '
                    "for a prefix, from:username (docs/search.md). Empty finds nothing."},
    {"name": "kind", "in": "query",
     "schema": {"type": "string", "enum": ["posts", "comments", "users"], "default": "posts"}},
    {"name": "sort", "in": "query", "description": "best match first (newest among "
     "equals), or newest first", "schema": {"type": "string", "enum": ["relevance", "newest"],
                                            "default": "relevance"}},
]
_add("get", "/search/", "search", "Search posts, comments or users",
     {"200": json_response(ref("SearchResults"), "One page of results")}, tag="search",
     parameters=SEARCH_PARAMETERS + PAGINATION, bad_request="a bad page, per_page, kind or sort")

_add("get", "/openapi.json", "openapi_document", "This document",
     {"200": json_response({"type": "object"}, "OpenAPI 3.1")}, tag="documentation",
     public=True)
_add("get", "/docs", "documentation", "This document as a web page",
     {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}},
     tag="documentation", public=True)
