"""The administrators' GET forms: the dashboard's range and the audit log's
filters, read from the query string (no CSRF: they change nothing). A value
they refuse is a form error on the page, never a 500."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError

MAX_DAYS = 366
EARLIEST = date(2000, 1, 1)


def _today() -> date:
    return datetime.now(UTC).date()


def _not_absurd(form: FlaskForm, field: DateField) -> None:
    if field.data is not None and not EARLIEST <= field.data <= _today() + timedelta(days=1):
        raise ValidationError(_l("Choose a day between %(first)s and today.",
                                 first=EARLIEST.isoformat()))


def _within_days(form: FlaskForm, field: IntegerField) -> None:
    """Stops the chain for a number too large to compare (NumberRange would overflow)."""
    if field.data is not None and not 1 <= field.data <= MAX_DAYS:
        raise StopValidation(_l("Choose from 1 to %(most)s days.", most=MAX_DAYS))


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class DashboardRangeForm(GetForm):
    days = IntegerField(_l("Days"), default=30, validators=[Optional(), _within_days],
                        render_kw={"min": 1, "max": MAX_DAYS})
    end = DateField(_l("Ending on"), validators=[Optional(), _not_absurd])

    def chosen(self) -> tuple[int, date]:
        """The days and the last day to show (30 days up to today when unset)."""
        return self.days.data or 30, self.end.data or _today()


class AuditFilterForm(GetForm):
    actor = StringField(_l("By"), validators=[Optional(), Length(max=64)],
                        render_kw={"placeholder": _l("Username")})
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional(), _not_absurd])
    until = DateField(_l("To"), validators=[Optional(), _not_absurd])

    def __init__(self, actions: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.action.choices = [SelectChoice("", _l("Every action"))] + [
            SelectChoice(name, label) for name, label in actions.items()]

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end comes before the start."))
