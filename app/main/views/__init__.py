"""The pages, one module per area."""

from app.main.views import (  # noqa: F401
    admin,
    admin_jobs,
    avatars,
    drafts,
    feeds,
    follows,
    images,
    moderation,
    posts,
    preview,
    profiles,
    search,
    settings,
    tags,
    timeline,
)
