"""The administrators' dashboard at /admin: how the community is doing
(``series``: per day; ``community``: this week and the moderators' queue), drawn
by ``charts``, and how the machinery is (app/operations/health.py).

The community's figures are cached (app/caching ``cached``) until what they
count changes: a new or deleted post, comment or account moves its table's tag,
a report or a suspension moves everything. Sign-ins and tag edits move no tag
(login sessions are quiet rows; ``post_tags`` is no model), so every entry also
expires after ``FIGURES_TIMEOUT`` seconds. On a busy site something changes
every second, so the per-day series is kept in two parts: today's, recounted
when content changes (one day of the index: milliseconds), and the days before
it, which only a deletion of older rows can change, kept for
``CLOSED_DAYS_TIMEOUT`` whatever is written (90 closed days take up to a second
to count at a million posts: once an hour, not once per new comment). The
health figures are read live: they are what an operator looks at after fixing
something.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app

from app.caching import cached
from app.dashboard import community, series
from app.operations import health
from app.operations.metrics import page_cache_counts

FIGURES_TIMEOUT = 300
CLOSED_DAYS_TIMEOUT = 3600
COUNTED_TABLES = ("table:posts", "table:comments", "table:users", "table:login_sessions")


def community_figures(days: int, end: date | None = None) -> dict[str, Any]:
    """Per-day series for ``days`` days up to ``end`` (today), this week's
    busiest tags and people, and the moderators' queue."""
    end = end or datetime.now(UTC).date()
    return {
        "series": _daily_series(days, end),
        "tags": cached("dashboard:tags", community.busiest_tags, lists=("table:posts",),
                       timeout=FIGURES_TIMEOUT),
        "people": cached("dashboard:people", community.busiest_people,
                         lists=("table:posts", "table:comments"), timeout=FIGURES_TIMEOUT),
        "moderation": cached("dashboard:moderation", community.moderation_queue,
                             timeout=FIGURES_TIMEOUT),
    }


def _daily_series(days: int, end: date) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    if end > today:  # a range the form allows for time zones ahead of UTC
        return cached(f"dashboard:series:{days}:{end.isoformat()}",
                      lambda: series.daily_series(days, end), lists=COUNTED_TABLES,
                      timeout=FIGURES_TIMEOUT)
    if end < today:  # every day closed
        return cached(f"dashboard:closed:{days}:{end.isoformat()}",
                      lambda: series.daily_series(days, end), timeout=CLOSED_DAYS_TIMEOUT)
    live = cached(f"dashboard:today:{today.isoformat()}", lambda: series.daily_series(1, today),
                  lists=COUNTED_TABLES, timeout=FIGURES_TIMEOUT)
    if days == 1:
        return live
    yesterday = today - timedelta(days=1)
    closed = cached(f"dashboard:closed:{days - 1}:{yesterday.isoformat()}",
                    lambda: series.daily_series(days - 1, yesterday),
                    timeout=CLOSED_DAYS_TIMEOUT)
    return {figure: closed[figure] + live[figure] for figure in ("days", *series.FIGURES)}


def machinery() -> dict[str, Any]:
    """The mail outbox, the jobs, federation's deliveries (when federation is on), the
    database's size and the page cache's hits."""
    cache = page_cache_counts()
    served = cache["hit"] + cache["miss"]
    federating = current_app.config["FLASKY_FEDERATION"]
    return {"outbox": health.outbox(), "jobs": health.job_counts(),
            "deliveries": health.deliveries() if federating else None,
            "database_bytes": health.database_size(),
            "cache": {**cache, "rate": cache["hit"] / served if served else None}}
