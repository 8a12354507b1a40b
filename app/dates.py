"""Times as the reader reads them: Flask-Moment's ``moment(...)`` in templates,
with the text inside each span written on the server in the reader's language
and time zone (Flask-Babel), so a page is right without JavaScript; the static
timestamps script (with moment's locale for the page's language) then refines
it in the browser, e.g. into "hace 3 minutos".

The server writes absolute dates, never "3 minutes ago": a stored page (the
page cache keys on language and zone) stays true however long it is kept.
"""

from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_datetime
from flask_moment import moment
from markupsafe import Markup, escape

# moment.js formats the templates use, and Babel's closest width for each.
DATE_FORMATS = {"L": "short", "LL": "long", "ll": "medium"}
DATETIME_FORMATS = {"LLL": "long", "lll": "medium", "LLLL": "full"}


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
