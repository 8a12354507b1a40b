"""The pages, one module per area."""

from app.main.views import (  # noqa: F401
    admin,
    admin_jobs,
    avatars,
    blocks,
    drafts,
    feeds,
    follows,
    images,
    messages,
    moderation,
    notification_settings,
    notifications,
    posts,
    preview,
    profiles,
    reports,
    search,
    settings,
    tags,
    timeline,
)
