"""Form pieces every blueprint uses: the POST-only button form, Markdown text
areas within rendering's bounds, and account fields in their canonical form."""

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Regexp,
    StopValidation,
    ValidationError,
)

from app.email_addresses import EmailAddressError, normalise_email
from app.languages import lazy_number
from app.models import User
from app.rendering import RenderingRefused

USERNAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_.]*\Z"  # \Z: "$" would allow a final newline
USERNAME_MESSAGE = _l(
    "Usernames start with a letter and have only letters, numbers, dots or underscores."
)


def strip_or_none(value: str | None) -> str | None:
    """Blank profile fields are stored as NULL, not as empty strings."""
    if value is None:
        return None
    return value.strip() or None


class Renders:
    """Refuses Markdown that rendering refuses (app/rendering.py), saying why.
    Text an earlier validator already refused (too long, say) is not rendered."""

    def __init__(self, render: Callable[[str], str]) -> None:
        self.render = render

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.errors or not field.data:
            return
        try:
            self.render(field.data)
        except RenderingRefused as refused:
            raise ValidationError(refused.sentence) from None


def unix_newlines(value: str | None) -> str | None:
    """Browsers send a text area's line breaks as CRLF: counted as one character,
    as the composer's counter counts them (js/composer.js)."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def body_field(label: str, max_length: int, rows: int,
               render: Callable[[str], str]) -> TextAreaField:
    """A required Markdown text area with the model's length limit, whose
    text must also be within rendering's bounds. No ``maxlength``, which would
    cut a long paste without a word: the composer's counter (``data-limit``)
    warns, and the server refuses and gives the text back."""
    return TextAreaField(label, filters=[unix_newlines], validators=[
        DataRequired(message=_l("Please write something first.")),
        Length(max=max_length,
               message=_l("Please keep it under %(num)s characters.", num=lazy_number(max_length))),
        Renders(render),
    ], description=_l("Markdown is supported."),
        render_kw={"rows": rows, "maxlength": False, "data-limit": max_length})


class ModelForm(FlaskForm):
    """A form whose ``populate_obj`` copies data fields only, never the buttons
    nor the fields named in ``not_copied`` (uploads the view stores itself)."""

    not_copied: tuple[str, ...] = ()

    def populate_obj(self, obj: Any) -> None:
        for name, field in self._fields.items():
            if not isinstance(field, SubmitField) and name not in self.not_copied:
                field.populate_obj(obj, name)


class EmptyForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state by POST."""

    submit = SubmitField(_l("Submit"))


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


def username_field(description: str = "") -> StringField:
    return StringField(_l("Username"), description=description, validators=[
        DataRequired(), Length(1, 64), Regexp(USERNAME_PATTERN, message=USERNAME_MESSAGE)],
        render_kw={"autocomplete": "username"})


def _taken_by_someone_else(found: User | None, owner: User | None) -> bool:
    return found is not None and (owner is None or found.id != owner.id)


def check_email_is_free(email: str, owner: User | None = None) -> None:
    """Raise unless ``email`` is unused, in any letter case, or used by ``owner``."""
    if _taken_by_someone_else(User.by_email(email), owner):
        raise ValidationError(_l("Email already registered."))


def check_username_is_free(username: str, owner: User | None = None) -> None:
    """Raise unless ``username`` is unused, in any letter case, or used by ``owner``."""
    if _taken_by_someone_else(User.by_username(username), owner):
        raise ValidationError(_l("Username already in use."))
