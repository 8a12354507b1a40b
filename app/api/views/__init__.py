"""The API's resources, one module each."""

from app.api.views import comments, docs, exports, posts, search, tokens, users  # noqa: F401
