"""Times as the reader reads them: Flask-Moment's ``moment(...)`` in templates,
with the text inside each span written on the server in the reader's language
and time zone (Flask-Babel), so a page is right without JavaScript; the static
timestamps script (with moment's locale for the page's language) then refines
it in the browser, e.g. into "hace 3 minutos".

The server writes absolute dates, never "3 minutes ago": a stored page (the
page cache keys on language and zone) stays true however long it is kept.
"""

from datetime import UTC, datetime, timedelta

from babel.dates import format_skeleton
from flask import Flask
from flask_babel import format_date, format_datetime, get_locale, get_timezone, to_user_timezone
from flask_moment import moment
from markupsafe import Markup, escape

from app.models.base import utcnow

# moment.js formats the templates use, and Babel's closest width for each.
DATE_FORMATS = {"L": "short", "LL": "long", "ll": "medium"}
DATETIME_FORMATS = {"LLL": "long", "lll": "medium", "LLLL": "full"}
EDIT_GRACE = timedelta(minutes=1)  # was_edited()


def reader_text(timestamp: datetime, moment_format: str | None) -> str:
    """``timestamp`` written for this request's reader."""
    if moment_format in DATE_FORMATS:
        return format_date(timestamp, DATE_FORMATS[moment_format])
    return format_datetime(timestamp, DATETIME_FORMATS.get(moment_format or "", "medium"))


class ReaderMoment(moment):
    """Flask-Moment's object, its fallback text in the reader's words."""

    def _render(self, func, format=None, timestamp2=None, no_suffix=None, units=None,
                refresh=False):
        rendered = super()._render(func, format=format, timestamp2=timestamp2,
                                   no_suffix=no_suffix, units=units, refresh=refresh)
        if isinstance(self.timestamp, str):
            return rendered
        iso = self._timestamp_as_iso_8601(self.timestamp)
        shown = escape(reader_text(self.timestamp, format))
        # The span's text is its ISO timestamp; the reader's words replace it.
        head, _, tail = str(rendered).rpartition(f">{iso}</span>")
        return Markup(f"{head}>{shown}</span>{tail}")  # nosec B704: head is Flask-Moment's


def init_dates(app: Flask) -> None:
    """Templates' ``moment`` becomes ReaderMoment (Flask-Moment reads its class here)."""
    app.extensions["moment"] = ReaderMoment
    init_timestamps(app)


# -- The timestamp macro's words (app/templates/_timestamp.html) -----------------
# A post's, comment's or message's time: the date ("Nov 3", with the year when it
# is not this year's), the exact date and time for its title, both in the reader's
# language and zone. Nothing relative: static/js/timestamps.js says "3 hours ago"
# for the first day in the browser, so a cached page never goes stale.


def short_date(timestamp: datetime) -> str:
    """"Nov 3" this year, "Nov 3, 2025" in another (the reader's zone)."""
    local, now = to_user_timezone(timestamp), to_user_timezone(utcnow())
    if local.year == now.year:
        return format_skeleton("MMMd", local, locale=get_locale())
    return format_date(timestamp, "medium")


def exact_time(timestamp: datetime) -> str:
    """The date and time to the second, e.g. "Nov 3, 2025, 2:05:09 PM"."""
    return format_datetime(timestamp, "medium")


def iso_utc(timestamp: datetime) -> str:
    """The machine-readable moment for ``<time datetime>``, in UTC."""
    return timestamp.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def reader_zone() -> str:
    """The reader's IANA zone, for the script to count days and years in it."""
    return str(get_timezone())


def was_edited(created: datetime, updated: datetime | None) -> bool:
    """Whether ``updated`` is a real edit: publishing a draft also stamps it, at the
    same moment, and a fix in the first minute is part of writing the post."""
    return updated is not None and updated - created > EDIT_GRACE


def init_timestamps(app: Flask) -> None:
    app.jinja_env.globals.update(short_date=short_date, exact_time=exact_time,
                                 iso_utc=iso_utc, reader_zone=reader_zone,
                                 was_edited=was_edited)
