"""The bodies API v1 sends and accepts, as JSON Schema, and the helpers that
build the rest of the document from them."""

from typing import Any

from app.models import Comment, Post

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": sorted(properties),
            **extra}


URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}
TIMESTAMP = {"type": "string", "format": "date-time",
             "description": "ISO 8601, UTC, with its offset"}


def _text(max_length: int) -> dict[str, Any]:
    return _object({"body": {"type": "string", "minLength": 1, "maxLength": max_length,
                             "pattern": r"\S", "description": "Markdown"}},
                   additionalProperties=False)


def _post_body() -> dict[str, Any]:
    """A post's body, and optionally its title (blank or null: untitled)."""
    schema = _text(Post.BODY_MAX_LENGTH)
    schema["properties"]["title"] = {"type": ["string", "null"],
                                     "maxLength": Post.TITLE_MAX_LENGTH}
    schema["properties"]["draft"] = {"type": "boolean", "description":
                                     "true: only its author sees it; false publishes it"}
    return schema


def _list(key: str, item: str) -> dict[str, Any]:
    return _object({key: {"type": "array", "items": ref(item)}, "prev": NULLABLE_URL,
                    "next": NULLABLE_URL, "count": {"type": "integer", "minimum": 0}})


SCHEMAS = {
    "Error": _object({"error": {"type": "string", "examples": ["not found"],
                                "description": "the HTTP reason phrase, in lower case"},
                      "message": {"type": "string"}}, additionalProperties=False),
    "Token": _object({"token": {"type": "string"},
                      "expiration": {"type": "integer", "description": "seconds"}}),
    "Post": _object({"url": URL, "html_url": URL, "title": {"type": ["string", "null"]},
                     "draft": {"type": "boolean", "description": "only its author sees a draft"},
                     "body": {"type": "string"}, "body_html": {"type": "string"},
                     "timestamp": TIMESTAMP, "author_url": URL, "comments_url": URL,
                     "comment_count": {"type": "integer", "minimum": 0},
                     "tags": {"type": "array", "items": {"type": "string"},
                              "description": "the #tags of its text, as first written"},
                     "images": {"type": "array", "items": ref("Image"), "maxItems": 4}}),
    "Image": _object({"id": {"type": "integer", "description": "for removing it"},
                      "url": URL, "thumbnail_url": URL, "alt_text": {"type": "string"},
                      "width": {"type": "integer", "minimum": 1},
                      "height": {"type": "integer", "minimum": 1}}),
    "User": _object({"url": URL, "username": {"type": "string"}, "member_since": TIMESTAMP,
                     "last_seen": TIMESTAMP, "posts_url": URL, "followed_posts_url": URL,
                     "post_count": {"type": "integer", "minimum": 0}}),
    "Comment": _object({
        "url": URL, "post_url": URL, "timestamp": TIMESTAMP, "author_url": URL,
        "body": {"type": ["string", "null"], "description": "null when disabled, "
                 "unless the caller may moderate"},
        "body_html": {"type": ["string", "null"]}, "disabled": {"type": "boolean"}}),
    "Export": _object({
        "url": URL, "state": {"type": "string", "enum": [
            "queued", "running", "finished", "failed", "expired"],
            "description": "expired: finished, but its week is over or a newer one replaced it"},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100,
                     "description": "percent"},
        "message": {"type": "string"},
        "download_url": {**NULLABLE_URL, "description": "the zip, once finished"}}),
    "PostList": _list("posts", "Post"),
    "UserList": _list("users", "User"),
    "CommentList": _list("comments", "Comment"),
    "SearchResults": _list("results", "SearchResult"),
    # A Post, a Comment or a User (by the search's kind), with its snippet.
    "SearchResult": _object(
        {"snippet": {"type": "string", "description": "besides the fields of a Post, "
                     "Comment or User (by kind): the matched text, escaped HTML with the "
                     "matches in <mark> (a user: the username, and the name in parentheses)"}},
        anyOf=[ref("Post"), ref("Comment"), ref("User")]),
    "PostBody": _post_body(),
    "ImageBody": _object({
        "data": {"type": "string", "contentEncoding": "base64", "description":
                 "the file: JPEG, PNG, WebP or GIF, at most 8 MB; decoded and re-encoded"},
        "alt_text": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S",
                     "description": "required: the image for people who cannot see it"}},
        additionalProperties=False),
    "CommentBody": _text(Comment.BODY_MAX_LENGTH),
    "Moderation": _object({"disabled": {"type": "boolean"}}, additionalProperties=False),
}
