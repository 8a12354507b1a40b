"""The audit log at /admin/audit: every moderator's and administrator's action
(app/audit.py), filtered by who, what and when, and the same rows as CSV.
Filters it cannot read are form errors (400), never a 500."""

from flask import Response, render_template, request
from flask_babel import _
from flask_login import login_required

from app import audit
from app.decorators import admin_required
from app.main import bp
from app.main.forms.dashboard import AuditFilterForm
from app.pagination import page_of

ENTRIES_PER_PAGE = "FLASKY_FOLLOWERS_PER_PAGE"


def _filters() -> tuple[AuditFilterForm, dict[str, str], bool]:
    """The form, the filters in force (for links), and whether they were valid."""
    form = AuditFilterForm(audit.ACTIONS, formdata=request.args)
    valid = form.validate()
    if not valid:
        return form, {}, False
    chosen = {"actor": (form.actor.data or "").strip(), "action": form.action.data or "",
              "since": form.since.data.isoformat() if form.since.data else "",
              "until": form.until.data.isoformat() if form.until.data else ""}
    return form, {name: value for name, value in chosen.items() if value}, True


def _query(form: AuditFilterForm, valid: bool):
    if not valid:
        return audit.entries()
    return audit.entries(form.actor.data or "", form.action.data or "", form.since.data,
                         form.until.data)


@bp.route("/admin/audit")
@login_required
@admin_required
def admin_audit():
    form, filters, valid = _filters()
    pagination = page_of(_query(form, valid), ENTRIES_PER_PAGE)
    page = render_template("admin/audit.html", title=_("Audit log"), form=form,
                           filters=filters, pagination=pagination, entries=pagination.items,
                           label=audit.label)
    return page, 200 if valid else 400


@bp.route("/admin/audit.csv")
@login_required
@admin_required
def admin_audit_csv():
    form, _filters_in_force, valid = _filters()
    if not valid:
        errors = "; ".join(error for field in form for error in field.errors)
        return Response(_("The filters could not be read: %(errors)s", errors=errors) + "\n",
                        status=400, mimetype="text/plain")
    # Built whole before the response starts (rows read in batches), so no
    # database read outlives the request; 100,000 entries are about 20 MB.
    body = "".join(audit.csv_rows(_query(form, valid)))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=flasky-audit-log.csv"})
