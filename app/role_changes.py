"""Changing a user's role: the one place that enforces the last-Administrator
rule and writes the audit row, whichever page the change comes from."""

from flask_babel import _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app import audit
from app.extensions import db
from app.models import Permission, Role, RoleChange, User


class LastAdministratorError(Exception):
    """Raised instead of leaving Flasky with nobody able to administer it."""

    def __init__(self, user: User) -> None:
        super().__init__(_("%(username)s is the last Administrator; make someone else an "
                           "Administrator first.", username=user.username))
        self.user = user


def assignable_roles() -> list[Role]:
    """Every role, weakest first, as the role selects offer them."""
    return list(db.session.scalars(select(Role).order_by(Role.permissions, Role.name)))


def other_administrator_exists(user: User) -> bool:
    """Whether someone besides ``user`` keeps the ADMIN permission (an account
    being deleted, app/account_deletion.py, does not count).

    The administrators' rows are locked (FOR UPDATE, a no-op on SQLite, whose
    writers are serialised anyway), so two administrators demoting each other
    at the same moment on PostgreSQL cannot both succeed.
    """
    admin_role_ids = [role.id for role in db.session.scalars(select(Role))
                      if role.has_permission(Permission.ADMIN)]
    administrator_ids = db.session.scalars(
        select(User.id).where(User.role_id.in_(admin_role_ids), User.deleting.is_(False))
        .order_by(User.id).with_for_update(of=User)
    ).all()
    return any(administrator_id != user.id for administrator_id in administrator_ids)


def change_role(actor: User, user: User, new_role: Role) -> RoleChange | None:
    """Give ``user`` the role ``new_role`` on behalf of ``actor``.

    Adds the change and its ``RoleChange`` audit row to the session without
    committing, so they are committed together with whatever else the caller
    changes. Returns None when the role is unchanged (nothing to audit).

    Raises LastAdministratorError, changing nothing, when that would remove
    the ADMIN permission from the last user who has it.
    """
    old_role = user.role
    if old_role is not None and old_role.id == new_role.id:
        return None
    loses_admin = user.is_administrator() and not new_role.has_permission(Permission.ADMIN)
    if loses_admin and not other_administrator_exists(user):
        raise LastAdministratorError(user)
    user.role = new_role
    change = RoleChange(actor=actor, user=user, new_role=new_role.name,
                        old_role=old_role.name if old_role is not None else None)
    db.session.add(change)
    audit.record(actor, audit.ROLE_CHANGE, user=user,
                 details=f"{change.old_role or 'none'} -> {change.new_role}")
    return change


def role_changes() -> Select:
    """The audit trail, newest first, with both users loaded in the same query."""
    return (select(RoleChange)
            .options(joinedload(RoleChange.actor), joinedload(RoleChange.user))
            .order_by(RoleChange.timestamp.desc(), RoleChange.id.desc()))
