"""The administrators' dashboard at /admin: the community's figures per day,
this week's busiest, the moderators' queue and the machinery's health
(app/dashboard/). A range it cannot show is a form error (400), not a 500."""

from flask import Response, abort, render_template, request
from flask_babel import _
from flask_login import login_required

from app.dashboard import community_figures, machinery
from app.dashboard.charts import bar_chart
from app.dashboard.series import FIGURES
from app.decorators import admin_required
from app.main import bp
from app.main.forms.dashboard import DashboardRangeForm


@bp.route("/admin")
@login_required
@admin_required
def admin_dashboard():
    form = DashboardRangeForm(formdata=request.args)
    valid = form.validate()
    days, end = form.chosen() if valid else DashboardRangeForm(formdata=None).chosen()
    figures = community_figures(days, end)
    page = render_template("admin/dashboard.html", title=_("Dashboard"), form=form,
                           days=days, end=end, figures=figures, health=machinery())
    return page, 200 if valid else 400


@bp.route("/admin/charts/<figure>.svg")
@login_required
@admin_required
def admin_chart(figure: str):
    """One figure's chart, for the dashboard's ``<img>``; the same range rules."""
    if figure not in FIGURES:
        abort(404, _("There is no such chart."))
    form = DashboardRangeForm(formdata=request.args)
    if not form.validate():
        abort(400, _("Choose a range the dashboard offers."))
    days, end = form.chosen()
    chart = community_figures(days, end)["series"]
    return Response(bar_chart(chart["days"], chart[figure]), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=60"})
