"""The account forms: registering, logging in, passwords and addresses."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import check_email_is_free, check_username_is_free, email_field, username_field

PASSWORD_MIN, PASSWORD_MAX = 8, 128
# The rules, shown under the fields from the start (aria-describedby), not only once broken.
USERNAME_RULES = _l("Up to 64 characters: a letter first, then letters, numbers, dots "
                    "or underscores. Others see it on your profile.")
PASSWORD_RULES = _l("%(min)s to %(max)s characters. A few unrelated words make a strong "
                    "password.", min=PASSWORD_MIN, max=PASSWORD_MAX)


def new_password_fields(label: str = _l("Password")) -> tuple[PasswordField, PasswordField]:
    password = PasswordField(label, validators=[
        DataRequired(),
        Length(PASSWORD_MIN, PASSWORD_MAX,
               message=_l("Passwords are %(min)s to %(max)s characters long.",
                          min=PASSWORD_MIN, max=PASSWORD_MAX)),
        EqualTo("password2", message=_l("Passwords must match.")),
    ], description=PASSWORD_RULES, render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Confirm password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})
    return password, confirm


class LoginForm(FlaskForm):
    email = email_field(canonical=False)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    remember_me = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class RegistrationForm(FlaskForm):
    email = email_field()
    username = username_field(USERNAME_RULES)
    password, password2 = new_password_fields()
    submit = SubmitField(_l("Register"))

    def validate_email(self, field: EmailField) -> None:
        check_email_is_free(field.data)

    def validate_username(self, field: StringField) -> None:
        check_username_is_free(field.data)


class ChangePasswordForm(FlaskForm):
    old_password = PasswordField(_l("Current password"), validators=[
        DataRequired(), Length(max=PASSWORD_MAX)], render_kw={"autocomplete": "current-password"})
    password, password2 = new_password_fields(_l("New password"))
    submit = SubmitField(_l("Update password"))


class PasswordResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Reset password"))


class PasswordResetForm(FlaskForm):
    password, password2 = new_password_fields(_l("New password"))
    submit = SubmitField(_l("Reset password"))


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New email"))
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Update email address"))

    def validate_email(self, field: EmailField) -> None:
        check_email_is_free(field.data)


class ResendConfirmationForm(FlaskForm):
    submit = SubmitField(_l("Send a new confirmation email"))
