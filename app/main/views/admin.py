"""Administration: editing or deleting any profile, the user list with role
changes, and the role-change audit trail. Every role change goes through
``app.role_changes.change_role``, which keeps the last Administrator and the
audit; a deletion goes through ``app.account_deletion``, as one's own does."""

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from app import audit
from app.account_deletion import request_deletion
from app.auth.redirects import safe_next_url
from app.database import committed
from app.decorators import admin_required
from app.extensions import db
from app.forms import EmptyForm
from app.loading import get_or_404
from app.main import bp
from app.main.forms import EditProfileAdminForm, RoleChangeForm, UserSearchForm
from app.models import User
from app.pagination import page_number, page_of, paginate
from app.role_changes import LastAdministratorError, assignable_roles, change_role, role_changes

# Lists of people share one page size.
PEOPLE_PER_PAGE = "FLASKY_FOLLOWERS_PER_PAGE"
logger = logging.getLogger("flasky.admin")
# What an administrator may edit in someone's profile (the role is audited apart).
PROFILE_FIELDS = ("email", "username", "confirmed", "name", "location", "about_me")


def users_matching(search: str = "", role_id: int | None = None) -> Select:
    """Users whose username, name or email contains ``search`` in any letter case,
    optionally with one role, alphabetically; ``%``, ``_`` and ``/`` match themselves."""
    query = select(User).options(joinedload(User.role)).order_by(func.lower(User.username))
    if search:
        needle = search.lower()
        query = query.where(or_(*(
            func.lower(column).contains(needle, autoescape=True)
            for column in (User.username, User.name, User.email)
        )))
    if role_id is not None:
        query = query.where(User.role_id == role_id)
    return query


@bp.route("/edit-profile/<int:id>", methods=["GET", "POST"])
@login_required
@admin_required
def edit_profile_admin(id: int):
    user = get_or_404(User, id)
    form = EditProfileAdminForm(user, assignable_roles())
    if form.validate_on_submit():
        try:
            change_role(current_user, user, form.chosen_role())
        except LastAdministratorError as error:
            form.role.errors.append(str(error))
        else:
            changed = audit.changed_fields(form, user, PROFILE_FIELDS)
            if changed:
                audit.record(current_user, audit.EDIT_PROFILE, user=user, details=changed)
            form.populate_obj(user)
            if committed():
                flash(_("The profile of %(username)s has been updated.", username=user.username),
                      "success")
                return redirect(url_for("main.user", username=user.username))
            form.username.errors.append(_("Someone else just took this email or username."))
    return render_template("edit_profile_admin.html", form=form, user=user,
                           title=_("Edit %(username)s", username=user.username))


@bp.route("/edit-profile/<int:id>/delete", methods=["GET", "POST"])
@login_required
@admin_required
def delete_user_admin(id: int):
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    user = get_or_404(User, id)
    if user.id == current_user.id:
        flash(_("To delete your own account, use Delete my account in your settings."), "info")
        return redirect(url_for("main.settings"))
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_template("admin/delete_user.html", form=form, user=user,
                               title=_("Delete %(username)s", username=user.username))
    username = user.username
    try:
        job = request_deletion(user, by_administrator=True)
    except LastAdministratorError as error:
        flash(str(error), "danger")
        return redirect(url_for("main.edit_profile_admin", id=id))
    if job is not None:
        audit.record(current_user, audit.DELETE_ACCOUNT, user=user, details=username)
    db.session.commit()  # the removal starts
    if job is None:
        flash(_("The account of %(username)s is being deleted already.", username=username),
              "info")
    else:
        logger.warning("Administrator %s (user %s) deleted the account %s (user %s), job %s",
                       current_user.username, current_user.id, username, id, job.id)
        flash(_("The account of %(username)s is being deleted; it will be gone in a moment.",
                username=username), "success")
    return redirect(url_for("main.admin_users"))


@bp.route("/admin/users")
@login_required
@admin_required
def admin_users():
    roles = assignable_roles()
    search = UserSearchForm(roles, formdata=request.args)
    search.validate()
    filters = _active_filters(search)
    pagination = paginate(users_matching(search.search_text(), search.role_id()),
                          page=page_number(), per_page=current_app.config[PEOPLE_PER_PAGE],
                          error_out=False)
    if pagination.page > 1 and not pagination.items:
        # Past the end, typically after a role change emptied the last filtered page.
        return redirect(url_for("main.admin_users", page=pagination.pages or 1, **filters))
    return render_template("admin/users.html", title=_("Users"), search=search, filters=filters,
                           pagination=pagination, users=pagination.items,
                           role_form=RoleChangeForm(roles))


def _active_filters(search: UserSearchForm) -> dict[str, str | int]:
    """The filters in force, for the pagination links and the row forms' ``next``."""
    filters = {"q": search.search_text(), "role": search.role_id()}
    return {name: value for name, value in filters.items() if value}


@bp.route("/admin/users/<int:id>/role", methods=["POST"])
@login_required
@admin_required
def change_user_role(id: int):
    user = get_or_404(User, id)
    form = RoleChangeForm(assignable_roles())
    back = safe_next_url(form.next.data) or url_for("main.admin_users")
    if not form.validate_on_submit():
        flash(_("The role of %(username)s was not changed: choose one of the roles.",
                username=user.username), "danger")
        return redirect(back)
    try:
        change = change_role(current_user, user, form.chosen_role())
    except LastAdministratorError as error:
        flash(str(error), "danger")
        return redirect(back)
    db.session.commit()
    if change is None:
        flash(_("%(username)s already has the role %(role)s.", username=user.username,
                role=user.role.name), "info")
    else:
        flash(_("%(username)s is now %(new)s (was %(old)s).", username=user.username,
                new=change.new_role, old=change.old_role), "success")
    if not current_user.is_administrator():  # demoted themselves: the list is closed to them
        return redirect(url_for("main.index"))
    return redirect(back)


@bp.route("/admin/role-changes")
@login_required
@admin_required
def admin_role_changes():
    pagination = page_of(role_changes(), PEOPLE_PER_PAGE)
    return render_template("admin/role_changes.html", title=_("Role changes"),
                           pagination=pagination, changes=pagination.items)
