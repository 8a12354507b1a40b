"""The account forms: registering, logging in, passwords and addresses."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import check_email_is_free, check_username_is_free, email_field, username_field

PASSWORD_MIN, PASSWORD_MAX = 8, 128


def new_password_fields(label: str = "Password") -> tuple[PasswordField, PasswordField]:
    password = PasswordField(label, validators=[
        DataRequired(),
        Length(PASSWORD_MIN, PASSWORD_MAX,
               message=f"Passwords are {PASSWORD_MIN} to {PASSWORD_MAX} characters long."),
        EqualTo("password2", message="Passwords must match."),
    ], render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Confirm password", validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})
    return password, confirm


class LoginForm(FlaskForm):
    email = email_field(canonical=False)
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    remember_me = BooleanField("Keep me logged in")
    submit = SubmitField("Log in")


class RegistrationForm(FlaskForm):
    email = email_field()
    username = username_field()
    password, password2 = new_password_fields()
    submit = SubmitField("Register")

    def validate_email(self, field: EmailField) -> None:
        check_email_is_free(field.data)

    def validate_username(self, field: StringField) -> None:
        check_username_is_free(field.data)


class ChangePasswordForm(FlaskForm):
    old_password = PasswordField("Current password", validators=[
        DataRequired(), Length(max=PASSWORD_MAX)], render_kw={"autocomplete": "current-password"})
    password, password2 = new_password_fields("New password")
    submit = SubmitField("Update password")


class PasswordResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Reset password")


class PasswordResetForm(FlaskForm):
    password, password2 = new_password_fields("New password")
    submit = SubmitField("Reset password")


class ChangeEmailForm(FlaskForm):
    email = email_field("New email")
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Update email address")

    def validate_email(self, field: EmailField) -> None:
        check_email_is_free(field.data)


class ResendConfirmationForm(FlaskForm):
    submit = SubmitField("Send a new confirmation email")
