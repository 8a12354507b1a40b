"""Reporting something to the moderators, and what moderators decide."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.languages import lazy_number
from app.models import ModerationAction, Report
from app.social.suspensions import PERIODS

DETAILS_MAX_LENGTH = Report.DETAILS_MAX_LENGTH
PERIOD_LABELS = {"1": _l("1 day"), "7": _l("7 days"), "30": _l("30 days"),
                 "forever": _l("For good")}


class ReportForm(FlaskForm):
    reason = SelectField(_l("Why are you reporting this?"),
                         choices=[SelectChoice(key, text) for key, text in Report.REASONS.items()],
                         validators=[InputRequired(message=_l("Please choose a reason."))])
    details = TextAreaField(_l("Anything the moderators should know (optional)"), validators=[
        Optional(), Length(max=DETAILS_MAX_LENGTH,
                           message=_l("Please keep it under %(num)s characters.",
                                      num=lazy_number(DETAILS_MAX_LENGTH)))],
        render_kw={"rows": 3})
    submit = SubmitField(_l("Send the report"))


class ModerationForm(FlaskForm):
    action = SelectField(_l("Action"), choices=[SelectChoice(key, label) for key, label
                                                in ModerationAction.LABELS.items()],
                         validators=[InputRequired()])
    reason = TextAreaField(_l("Why (recorded, and sent with a warning)"), validators=[
        DataRequired(message=_l("Please say why.")),
        Length(max=DETAILS_MAX_LENGTH,
               message=_l("Please keep it under %(num)s characters.",
                                      num=lazy_number(DETAILS_MAX_LENGTH)))],
        render_kw={"rows": 2})
    period = SelectField(_l("Suspend for"),
                         choices=[SelectChoice(key, PERIOD_LABELS[key]) for key in PERIODS],
                         default="7")
    submit = SubmitField(_l("Do it"))
