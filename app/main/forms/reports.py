"""Reporting something to the moderators, and what moderators decide."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.models import ModerationAction, Report
from app.social.suspensions import PERIODS

DETAILS_MAX_LENGTH = Report.DETAILS_MAX_LENGTH
PERIOD_LABELS = {"1": "1 day", "7": "7 days", "30": "30 days", "forever": "For good"}


class ReportForm(FlaskForm):
    reason = SelectField("Why are you reporting this?", choices=list(Report.REASONS.items()),
                         validators=[InputRequired(message="Please choose a reason.")])
    details = TextAreaField("Anything the moderators should know (optional)", validators=[
        Optional(), Length(max=DETAILS_MAX_LENGTH,
                           message=f"Please keep it under {DETAILS_MAX_LENGTH:,} characters.")],
        render_kw={"rows": 3})
    submit = SubmitField("Send the report")


class ModerationForm(FlaskForm):
    action = SelectField("Action", choices=list(ModerationAction.LABELS.items()),
                         validators=[InputRequired()])
    reason = TextAreaField("Why (recorded, and sent with a warning)", validators=[
        DataRequired(message="Please say why."),
        Length(max=DETAILS_MAX_LENGTH,
               message=f"Please keep it under {DETAILS_MAX_LENGTH:,} characters.")],
        render_kw={"rows": 2})
    period = SelectField("Suspend for", choices=[(key, PERIOD_LABELS[key]) for key in PERIODS],
                         default="7")
    submit = SubmitField("Do it")
