"""The forms of two-factor authentication: a code, and the password with a code."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.auth.forms import PASSWORD_MAX
from app.auth.two_factor import MAX_CODE_LENGTH


def code_field(label=None, description=None) -> StringField:
    return StringField(label or _l("Code"), validators=[
        DataRequired(message=_l("Enter the code from your authenticator app.")),
        Length(max=MAX_CODE_LENGTH, message=_l("That is too long for a code."))],
        description=description,
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none",
                   "spellcheck": "false"})


class TwoFactorLoginForm(FlaskForm):
    code = code_field(_l("Code"), _l("The 6-digit code your authenticator app shows, "
                                     "or one of your recovery codes."))
    submit = SubmitField(_l("Verify"))


class ConfirmSetupForm(FlaskForm):
    code = code_field(_l("Code from your app"),
                      _l("Enter the 6-digit code the app shows to finish setting up."))
    submit = SubmitField(_l("Turn on two-factor authentication"))


class RecoveryCodesForm(FlaskForm):
    code = code_field(_l("Code from your app"))
    submit = SubmitField(_l("Make new recovery codes"))


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(max=PASSWORD_MAX)], render_kw={"autocomplete": "current-password"})
    code = code_field(_l("Code"), _l("A code from your authenticator app, or a recovery code."))
    submit = SubmitField(_l("Turn off two-factor authentication"),
                         render_kw={"class": "btn btn-outline-danger"})
