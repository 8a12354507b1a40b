"""Reporting a post, a comment, a message or a person (POST, field ``reason``),
and the moderators' queue at /moderate/reports with its actions and their log.
The rules are in app/social/reporting.py."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user, login_required

from app.decorators import permission_required
from app.extensions import db
from app.loading import get_or_404
from app.main import bp
from app.main.forms import ModerationForm, ReportForm
from app.models import Permission, Report
from app.pagination import page_of
from app.security.rate_limits import posting_limit
from app.social import reporting
from app.social.suspensions import PERIODS

# Whole sentences per kind, so each language words them its own way.
NOT_FOUND = {
    "post": lambda: _("There is no such post. It may have been deleted."),
    "comment": lambda: _("There is no such comment. It may have been deleted."),
    "message": lambda: _("There is no such message. It may have been deleted."),
    "user": lambda: _("There is no such user. It may have been deleted."),
}


def _thing_or_404(kind: str, key: str):
    if kind not in reporting.KINDS:
        abort(404, description=_("Only posts, comments, messages and people can be reported."))
    thing = reporting.load(kind, key)
    if thing is None or not reporting.visible_to(current_user, kind, thing):
        abort(404, description=NOT_FOUND[kind]())
    return thing


@bp.route("/report/<kind>/<key>", methods=["GET", "POST"])
@login_required
@posting_limit
def report(kind: str, key: str):
    user, thing = current_user._get_current_object(), _thing_or_404(kind, key)
    form = ReportForm()
    try:
        reporting.check(user, kind, thing)
    except reporting.ReportRefused as refused:
        flash(str(refused), "warning")
        return redirect(url_for(".index"))
    if reporting.existing(user, kind, thing) is not None:
        flash(_("You have reported this already; the moderators will look at it."), "info")
        return redirect(url_for(".index"))
    if form.validate_on_submit():
        reporting.report(user, kind, thing, form.reason.data, form.details.data or "")
        db.session.commit()
        flash(_("Thank you. The moderators will look at your report."), "success")
        return redirect(url_for(".index"))
    return render_template("report.html", title=_("Report"), form=form, kind=kind, thing=thing)


@bp.route("/moderate/reports")
@login_required
@permission_required(Permission.MODERATE)
def moderate_reports():
    pagination = page_of(reporting.open_reports(), "FLASKY_COMMENTS_PER_PAGE")
    return render_template("moderate/reports.html", title=_("Reports"), pagination=pagination,
                           reports=pagination.items, actions_for=reporting.actions_for,
                           form=ModerationForm(formdata=None))


@bp.route("/moderate/reports/<int:id>", methods=["POST"])
@login_required
@permission_required(Permission.MODERATE)
def act_on_report(id: int):
    report = get_or_404(Report, id)
    form = ModerationForm()
    if report.status != Report.OPEN:
        flash(_("That report has been dealt with already."), "info")
    elif not form.validate_on_submit():
        errors = [str(error) for field in form for error in field.errors]
        flash(" ".join(errors) or _("Please choose an action and say why."), "warning")
    else:
        try:
            record = reporting.act(report, current_user._get_current_object(),
                                   form.action.data, form.reason.data, PERIODS[form.period.data])
        except reporting.ReportRefused as refused:
            flash(str(refused), "warning")
        else:
            db.session.commit()
            flash(_("%(action)s. It is recorded in the moderation log.", action=record.label),
                  "success")
    return redirect(url_for(".moderate_reports"))


@bp.route("/moderate/actions")
@login_required
@permission_required(Permission.MODERATE)
def moderation_log():
    pagination = page_of(reporting.recent_actions(), "FLASKY_FOLLOWERS_PER_PAGE")
    return render_template("moderate/actions.html", title=_("Moderation log"),
                           pagination=pagination, actions=pagination.items)
