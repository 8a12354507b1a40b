"""Forms of the administration pages."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.forms import check_email_is_free, check_username_is_free, email_field, username_field
from app.main.forms.profiles import EditProfileForm
from app.models import Role, User

SEARCH_MAX_LENGTH = 100


def declared_again(field: Any) -> Any:
    """The same field definition declared anew, so it takes its new place in
    the declaring form's order (fields render in the order they were made)."""
    return field.field_class(*field.args, **field.kwargs)


class RoleChoiceMixin:
    """A form whose ``role`` select offers the given roles and answers the chosen one."""

    role: SelectField

    def offer_roles(self, roles: list[Role]) -> None:
        self.roles_by_id = {role.id: role for role in roles}
        self.role.choices = [SelectChoice(role.id, role.name) for role in roles]

    def chosen_role(self) -> Role:
        """The chosen role; only call after the form validated."""
        return self.roles_by_id[self.role.data]


class EditProfileAdminForm(RoleChoiceMixin, EditProfileForm):
    """The profile form plus what only administrators may change."""

    email = email_field()
    username = username_field()
    confirmed = BooleanField(_l("Confirmed"))
    role = SelectField(_l("Role"), coerce=int)
    name = declared_again(EditProfileForm.name)
    location = declared_again(EditProfileForm.location)
    about_me = declared_again(EditProfileForm.about_me)
    submit = SubmitField(_l("Save"))

    # Copied onto the user by populate_obj; the role goes through app.role_changes.change_role.
    PROFILE_FIELDS = ("email", "username", "confirmed", "name", "location", "about_me")

    def __init__(self, user: User, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(obj=user, **kwargs)
        self.user = user
        self.offer_roles(roles)
        if not self.is_submitted():
            self.role.data = user.role_id  # obj=user offers a Role where the select wants its id

    def validate_email(self, field: StringField) -> None:
        check_email_is_free(field.data, owner=self.user)

    def validate_username(self, field: StringField) -> None:
        check_username_is_free(field.data, owner=self.user)

    def populate_obj(self, obj: Any) -> None:
        for name in self.PROFILE_FIELDS:
            self[name].populate_obj(obj, name)


class RoleChangeForm(RoleChoiceMixin, FlaskForm):
    """One row's role select on the user list; ``next`` brings the admin back."""

    role = SelectField(_l("Role"), coerce=int)
    next = HiddenField()
    submit = SubmitField(_l("Change"))

    def __init__(self, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.offer_roles(roles)


class UserSearchForm(FlaskForm):
    """The user list's filters, read from the query string (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Length(max=SEARCH_MAX_LENGTH)],
                    render_kw={"placeholder": _l("Username, name or email"), "type": "search"})
    role = SelectField(_l("Role"), choices=[], validate_choice=False)

    def __init__(self, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.role.choices = [SelectChoice("", _l("All roles"))] + [
            SelectChoice(str(role.id), role.name) for role in roles]

    def search_text(self) -> str:
        """The text to look for; empty when it is missing or too long."""
        text = (self.q.data or "").strip()
        return "" if self.q.errors else text

    def role_id(self) -> int | None:
        """The role to filter by; None for all roles or a value that is no role."""
        value = self.role.data or ""
        return int(value) if value.isdecimal() and int(value) in self._role_ids() else None

    def _role_ids(self) -> set[int]:
        return {int(choice.value) for choice in self.role.choices if choice.value}
