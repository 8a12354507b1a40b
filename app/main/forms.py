from flask_wtf import FlaskForm
from wtforms import SubmitField


class EmptyForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state by POST."""

    submit = SubmitField("Submit")
