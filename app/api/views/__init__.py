"""The API's resources, one module each."""

from app.api.views import (  # noqa: F401
    blocks,
    comments,
    docs,
    exports,
    images,
    messages,
    notifications,
    posts,
    reports,
    search,
    tags,
    tokens,
    users,
)
