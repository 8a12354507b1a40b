"""The settings page's own form: deleting one's account (its button is in
the template, red)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.auth.forms import PASSWORD_MAX


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    username = StringField(_l("Your username, typed again"), validators=[
        DataRequired(), Length(max=64)], render_kw={"autocomplete": "off", "spellcheck": "false"},
        description=_l("To be sure you mean it."))

    def matches(self, username: str) -> bool:
        """Whether the username typed is exactly ``username`` (spaces around aside)."""
        return (self.username.data or "").strip() == username
