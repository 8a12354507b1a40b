"""The administrators' dashboard at /admin: the community's figures per day,
this week's busiest, the moderators' queue and the machinery's health
(app/dashboard/). A range it cannot show is a form error (400), not a 500."""

from flask import render_template, request
from flask_babel import _
from flask_login import login_required

from app.dashboard import community_figures, machinery
from app.dashboard.charts import bar_chart
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
                           days=days, end=end, figures=figures, health=machinery(),
                           bar_chart=bar_chart)
    return page, 200 if valid else 400
