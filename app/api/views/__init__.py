"""The API's resources, one module each."""

from app.api.views import (  # noqa: F401
    comments,
    docs,
    exports,
    images,
    messages,
    notifications,
    posts,
    search,
    tags,
    tokens,
    users,
)
