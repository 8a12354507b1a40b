"""Figures per day for the dashboard, one statement per figure.

Each day is counted as its own range of one indexed timestamp column (the
day's bounds are computed here, in UTC), so the database answers every day
from the index alone, with no grouping on a computed day and nothing read from
the rows: posts by ``(timestamp, author_id, draft)``, comments by
``(timestamp, author_id)`` (migration 0011), people by ``member_since``. A
statement holds one scalar subquery per day and answers one row.

"Active" people on a day posted, commented or signed in (a session started)
that day; a session kept by a remember-me cookie counts on the day it began.
Drafts are not posts here: what was published that day counts.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, distinct, func, select, union_all

from app.extensions import db
from app.models import Comment, LoginSession, Post, User

FIGURES = ("sign_ups", "active_users", "posts", "comments")
Bounds = list[tuple[datetime, datetime]]


def first_day(days: int, last: date | None = None) -> date:
    return (last or datetime.now(UTC).date()) - timedelta(days=days - 1)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _count(column: Any, start: datetime, end: datetime, *conditions: Any) -> ScalarSelect:
    return (select(func.count()).select_from(column.table)
            .where(column >= start, column < end, *conditions).scalar_subquery())


def _active(start: datetime, end: datetime) -> ScalarSelect:
    people = union_all(
        select(Post.author_id.label("person"))
        .where(Post.timestamp >= start, Post.timestamp < end, Post.published()),
        select(Comment.author_id.label("person"))
        .where(Comment.timestamp >= start, Comment.timestamp < end),
        select(LoginSession.user_id.label("person"))
        .where(LoginSession.created_at >= start, LoginSession.created_at < end),
    ).subquery()
    return select(func.count(distinct(people.c.person))).scalar_subquery()


def _per_day(bounds: Bounds, count) -> list[int]:
    row = db.session.execute(select(*(count(start, end).label(f"day_{index}")
                                      for index, (start, end) in enumerate(bounds)))).one()
    return [int(value or 0) for value in row]


def daily_series(days: int, last: date | None = None) -> dict[str, Any]:
    """``{"days": [date, ...], "<figure>": [count per day, ...]}`` for the
    ``days`` days up to ``last`` (today), one list per figure of ``FIGURES``."""
    start_day = first_day(days, last)
    calendar = [start_day + timedelta(days=offset) for offset in range(days)]
    bounds = [(_midnight(day), _midnight(day + timedelta(days=1))) for day in calendar]
    return {
        "days": calendar,
        "sign_ups": _per_day(bounds, lambda s, e: _count(User.member_since, s, e)),
        "active_users": _per_day(bounds, _active),
        "posts": _per_day(bounds, lambda s, e: _count(Post.timestamp, s, e, Post.published())),
        "comments": _per_day(bounds, lambda s, e: _count(Comment.timestamp, s, e)),
    }
