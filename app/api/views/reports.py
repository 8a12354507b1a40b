"""Reporting a post, a comment, a message sent to the caller, or a person, as
the page does (app/social/reporting.py): the same thing twice is one report,
and what the page refuses is refused here (400), what it does not show 404."""

from flask import abort, url_for

from app.access import acting_user, can_read_post
from app.api import bp
from app.api.forms import json_body, report_from_json
from app.database import committed
from app.models import Report
from app.security.rate_limits import posting_limit
from app.social import reporting


def _report_to_json(report: Report, kind: str, thing_id: int) -> dict:
    return {"kind": kind, "id": thing_id, "reason": report.reason, "details": report.details,
            "status": report.status, "timestamp": report.timestamp.isoformat(),
            "user_url": url_for("api.get_user", id=report.user_id, _external=True)
            if report.user_id is not None else None}


@bp.post("/reports/")
@posting_limit
def new_report():
    kind, thing_id, reason, details = report_from_json(json_body())
    reporter, thing = acting_user(), reporting.load_by_id(kind, thing_id)
    if (thing is None or not reporting.visible_to(reporter, kind, thing)
            or (kind == "post" and not can_read_post(thing))):
        abort(404, f"There is no such {kind}. It may have been deleted.")
    try:
        reporting.check(reporter, kind, thing)
    except reporting.ReportRefused as refused:
        abort(400, str(refused))
    report = reporting.existing(reporter, kind, thing)
    if report is not None:
        return _report_to_json(report, kind, thing_id), 200
    report = reporting.report(reporter, kind, thing, reason, details)
    if not committed():  # a concurrent request made the same report: it is this one
        return _report_to_json(reporting.existing(reporter, kind, thing), kind, thing_id), 200
    return _report_to_json(report, kind, thing_id), 202
