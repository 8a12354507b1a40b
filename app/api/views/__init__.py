"""The API's resources, one module each."""

from app.api.views import comments, docs, exports, posts, tokens, users  # noqa: F401
