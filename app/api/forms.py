"""Validation of API request bodies (the API's counterpart of forms).

Length limits are the models' own (Post.BODY_MAX_LENGTH,
Comment.BODY_MAX_LENGTH), the same ones the web forms enforce, and so is
the check that the Markdown renders within its bounds (app/rendering.py).
"""

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from flask import request

from app.database import LARGEST_ID
from app.exceptions import ValidationError
from app.images.processing import ImageRefused, Processed, process
from app.models import Comment, Post, PostImage, Report
from app.models.base import represent_as_json
from app.rendering import RenderingRefused, render_comment_html, render_post_html
from app.social.reporting import KINDS


def json_body() -> Any:
    """The request's JSON document; 415 for another content type, 400 when unreadable.

    Parsed here rather than by ``request.get_json`` so that deeply nested
    documents (RecursionError) are a 400, not a 500.
    """
    if not request.is_json:
        raise ValidationError("send the body as application/json", status=415)
    try:
        return json.loads(request.get_data())
    except (ValueError, RecursionError):
        raise ValidationError("the request body is not valid JSON") from None


def _fields(data: Any, expected: set[str], optional: frozenset[str] = frozenset()
            ) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError("the request body must be a JSON object")
    extra = sorted(set(data) - expected - optional)
    if extra:
        raise ValidationError(f"unexpected field(s): {', '.join(extra)}")
    missing = sorted(expected - set(data))
    if missing:
        raise ValidationError(f"missing field(s): {', '.join(missing)}")
    return data


def _storable(text: str) -> bool:
    """False for lone surrogates (JSON allows them, UTF-8 does not) and NUL,
    which PostgreSQL refuses to store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _text_field(data: Any, field: str, max_length: int,
                render: Callable[[str], str], optional: frozenset[str] = frozenset()) -> str:
    value = _fields(data, {field}, optional)[field]
    if not isinstance(value, str):
        raise ValidationError(f"'{field}' must be a string")
    if not value.strip():
        raise ValidationError(f"'{field}' must not be empty")
    if not _storable(value):
        raise ValidationError(f"'{field}' must be Unicode text without NUL characters")
    if len(value) > max_length:
        raise ValidationError(f"'{field}' must be at most {max_length} characters")
    try:
        render(value)
    except RenderingRefused as refused:
        raise ValidationError(f"'{field}' is refused: {refused}") from None
    return value


POST_OPTIONAL_FIELDS = frozenset({"title", "draft"})


def post_body_from_json(data: Any) -> str:
    return _text_field(data, "body", Post.BODY_MAX_LENGTH, render_post_html,
                       POST_OPTIONAL_FIELDS)


def post_title_from_json(data: dict[str, Any], default: str | None = None) -> str | None:
    """``title``: a string of at most Post.TITLE_MAX_LENGTH characters, or null
    (blank is null); ``default`` when the field is left out."""
    if "title" not in data:
        return default
    value = data["title"]
    if value is None:
        return None
    if not isinstance(value, str) or not _storable(value):
        raise ValidationError("'title' must be Unicode text without NUL characters, or null")
    if len(value) > Post.TITLE_MAX_LENGTH:
        raise ValidationError(f"'title' must be at most {Post.TITLE_MAX_LENGTH} characters")
    return value.strip() or None


def post_draft_from_json(data: dict[str, Any], default: bool = False) -> bool:
    """``draft``: true keeps the post to its author; ``default`` when left out."""
    value = data.get("draft", default)
    if not isinstance(value, bool):
        raise ValidationError("'draft' must be true or false")
    return value


def image_from_json(data: Any) -> tuple[Processed, str]:
    """``{"data": base64, "alt_text": ...}``: the image, decoded and re-encoded
    (app/images/processing.py), and its required alt text."""
    fields = _fields(data, {"data", "alt_text"})
    alt_text = fields["alt_text"]
    if not isinstance(alt_text, str) or not _storable(alt_text) or not alt_text.strip():
        raise ValidationError("'alt_text' must describe the image for people who cannot "
                              "see it")
    if len(alt_text) > PostImage.ALT_TEXT_MAX_LENGTH:
        raise ValidationError(f"'alt_text' must be at most {PostImage.ALT_TEXT_MAX_LENGTH} "
                              "characters")
    if not isinstance(fields["data"], str):
        raise ValidationError("'data' must be the image file in base64")
    try:
        image = base64.b64decode(fields["data"], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("'data' must be the image file in base64") from None
    try:
        return process(image), alt_text.strip()
    except ImageRefused as refused:
        raise ValidationError(f"'data' is refused: {refused}") from None


def report_from_json(data: Any) -> tuple[str, int, str, str]:
    """``{"kind", "id", "reason", "details"}`` (details optional) as the page's
    report form reads them: a kind of thing, its id, one of Report.REASONS."""
    fields = _fields(data, {"kind", "id", "reason"}, frozenset({"details"}))
    if not isinstance(fields["kind"], str) or fields["kind"] not in KINDS:
        raise ValidationError(f"'kind' must be one of: {', '.join(KINDS)}")
    id = fields["id"]
    if isinstance(id, bool) or not isinstance(id, int) or not 0 <= id <= LARGEST_ID:
        raise ValidationError(f"'id' must be a whole number from 0 to {LARGEST_ID}")
    if not isinstance(fields["reason"], str) or fields["reason"] not in Report.REASONS:
        raise ValidationError(f"'reason' must be one of: {', '.join(Report.REASONS)}")
    details = fields.get("details") or ""
    if not isinstance(details, str) or not _storable(details):
        raise ValidationError("'details' must be Unicode text without NUL characters")
    if len(details) > Report.DETAILS_MAX_LENGTH:
        raise ValidationError(f"'details' must be at most {Report.DETAILS_MAX_LENGTH} "
                              "characters")
    return fields["kind"], id, fields["reason"], details


def post_from_json(data: Any) -> Post:
    post = Post(body=post_body_from_json(data))
    post.title = post_title_from_json(data)
    post.draft = post_draft_from_json(data)
    return post


def comment_body_from_json(data: Any) -> str:
    return _text_field(data, "body", Comment.BODY_MAX_LENGTH, render_comment_html)


def disabled_from_json(data: Any) -> bool:
    value = _fields(data, {"disabled"})["disabled"]
    if not isinstance(value, bool):
        raise ValidationError("'disabled' must be true or false")
    return value


represent_as_json(Post, from_json=post_from_json)
represent_as_json(Comment, from_json=lambda data: Comment(body=comment_body_from_json(data)))
