"""Suspended accounts: a moderator's action (app/social/reporting.py) sets
``User.suspended_until``; until then the person cannot log in or use the API
and what they wrote is hidden (app/social/visibility.py). "For good" is the
far end of time, so one comparison answers both."""

from datetime import UTC, datetime, timedelta

from flask_babel import _, format_datetime
from sqlalchemy import ColumnElement, select

from app.models import User, utcnow

FOR_GOOD = datetime(9999, 12, 31, tzinfo=UTC)
# The periods a moderator picks from; None is for good.
PERIODS = {"1": timedelta(days=1), "7": timedelta(days=7), "30": timedelta(days=30),
           "forever": None}


def is_suspended(user: User) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and until > utcnow()


def suspended_until_text(user: User) -> str:
    """The end of a suspension, as the refusals say it."""
    if user.suspended_until is None:
        return ""
    if user.suspended_until >= FOR_GOOD:
        return _("This account has been suspended for good.")
    return _("This account is suspended until %(date)s.",
             date=format_datetime(user.suspended_until, "long"))


def suspend(user: User, period: timedelta | None) -> datetime:
    user.suspended_until = FOR_GOOD if period is None else utcnow() + period
    return user.suspended_until


def suspended_ids(now: ColumnElement[datetime] | None = None):
    """The ids of the accounts suspended at ``now`` (by default now; a
    ``bindparam`` for a statement built once), as a subquery."""
    return select(User.id).where(User.suspended_until > (utcnow() if now is None else now))
