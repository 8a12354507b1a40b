"""Validation of API request bodies (the API's counterpart of forms)."""

from typing import Any

from app.exceptions import ValidationError


def _text_field(data: Any, field: str, max_length: int) -> str:
    if not isinstance(data, dict):
        raise ValidationError("the request body must be a JSON object")
    extra = sorted(set(data) - {field})
    if extra:
        raise ValidationError(f"unexpected field(s): {', '.join(extra)}")
    value = data.get(field)
    if value is None:
        raise ValidationError(f"'{field}' is required")
    if not isinstance(value, str):
        raise ValidationError(f"'{field}' must be a string")
    if not value.strip():
        raise ValidationError(f"'{field}' must not be empty")
    if len(value) > max_length:
        raise ValidationError(f"'{field}' must be at most {max_length} characters")
    return value


def post_body_from_json(data: Any) -> str:
    from app.models import Post

    return _text_field(data, "body", Post.BODY_MAX_LENGTH)


def comment_body_from_json(data: Any) -> str:
    from app.models import Comment

    return _text_field(data, "body", Comment.BODY_MAX_LENGTH)
