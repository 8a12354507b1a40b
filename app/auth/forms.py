from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Regexp,
    StopValidation,
    ValidationError,
)

from app.email_addresses import EmailAddressError, normalise_email
from app.models import User

USERNAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_.]*\Z"  # \Z: "$" would allow a final newline
USERNAME_MESSAGE = (
    "Usernames start with a letter and have only letters, numbers, dots or underscores."
)
PASSWORD_MIN, PASSWORD_MAX = 8, 128


class CanonicalEmail:
    """Replaces the address with its canonical form (app/email_addresses.py), so
    uniqueness checks and the view see that form, or stops with the reason it is
    refused (a lookalike domain, letters mail cannot be delivered to)."""

    def __call__(self, form: FlaskForm, field: EmailField) -> None:
        try:
            field.data = normalise_email(field.data or "")
        except EmailAddressError as error:
            raise StopValidation(str(error)) from None


def email_field(label: str = "Email", canonical: bool = True) -> EmailField:
    """An address field. ``canonical=False`` (login) checks only the syntax:
    the lookup canonicalises, and an account made before canonical forms
    existed can still log in."""
    check = CanonicalEmail() if canonical else Email()
    return EmailField(label, validators=[DataRequired(), Length(max=254), check],
                      render_kw={"autocomplete": "email"})


def username_field() -> StringField:
    return StringField("Username", validators=[
        DataRequired(), Length(1, 64), Regexp(USERNAME_PATTERN, message=USERNAME_MESSAGE)],
        render_kw={"autocomplete": "username"})


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


def _taken_by_someone_else(found: User | None, owner: User | None) -> bool:
    return found is not None and (owner is None or found.id != owner.id)


def check_email_is_free(email: str, owner: User | None = None) -> None:
    """Raise unless ``email`` is unused, in any letter case, or used by ``owner``."""
    if _taken_by_someone_else(User.by_email(email), owner):
        raise ValidationError("Email already registered.")


def check_username_is_free(username: str, owner: User | None = None) -> None:
    """Raise unless ``username`` is unused, in any letter case, or used by ``owner``."""
    if _taken_by_someone_else(User.by_username(username), owner):
        raise ValidationError("Username already in use.")


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
