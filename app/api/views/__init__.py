"""The API's resources, one module each."""

from app.api.views import (  # noqa: F401
    comments,
    docs,
    exports,
    posts,
    search,
    tags,
    tokens,
    users,
)
