"""The ``FLASKY_ADMIN`` rule: which account becomes Administrator by its address, and when.

The configured address earns the Administrator role only once it is
*confirmed* (the confirmation link, an email change confirmed at the new
address, or an account created already confirmed), never at registration,
so nobody can claim the role by registering the address before its owner.
An account that moves away from the address loses a role it got from it.
Both changes are written to the role-change log with a ``reason`` and no
actor.

The rule runs from a SQLAlchemy ``before_flush`` listener, so every path
that confirms an account or changes its address (pages, API, ``flask
shell``) obeys it without remembering to.
"""

from typing import Any

from flask import current_app
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.email_addresses import email_lookup_key
from app.extensions import db
from app.models import Permission, Role, RoleChange, User
from app.role_changes import other_administrator_exists


def admin_address() -> str | None:
    """The configured address in the form emails are stored in, or None."""
    configured = current_app.config.get("FLASKY_ADMIN") if current_app else None
    return email_lookup_key(configured) if configured else None


def _role_came_from_address(session: Session, user: User) -> bool:
    """Whether the user's Administrator role was granted for the address: the
    latest role change says so, or there is none (before this rule, the role
    was given at registration and not logged)."""
    latest = session.scalar(
        select(RoleChange).where(RoleChange.user_id == user.id)
        .order_by(RoleChange.timestamp.desc(), RoleChange.id.desc()).limit(1))
    if latest is None:
        return user.is_administrator()
    return latest.reason == RoleChange.ADMIN_ADDRESS_CONFIRMED


def _set_role(session: Session, user: User, role: Role, reason: str) -> None:
    old_role = user.role
    user.role = role
    session.add(RoleChange(actor=None, user=user, old_role=old_role.name if old_role else None,
                           new_role=role.name, reason=reason))


def apply_admin_address_rule(session: Session, user: User, old_email: str | None) -> None:
    """Grant or withdraw the role for ``user``, whose address or confirmation changed."""
    address = admin_address()
    if address is None:
        return
    if user.confirmed and user.email == address:
        if not user.is_administrator():
            administrator = session.scalar(select(Role).filter_by(name="Administrator"))
            _set_role(session, user, administrator, RoleChange.ADMIN_ADDRESS_CONFIRMED)
    elif (old_email == address and user.email != address and user.id is not None
          and user.can(Permission.ADMIN) and _role_came_from_address(session, user)):
        default = session.scalar(select(Role).filter_by(default=True))
        _set_role(session, user, default, RoleChange.ADMIN_ADDRESS_LEFT)


def _changed_accounts(session: Session) -> list[tuple[User, str | None]]:
    """Users whose address or confirmation changes in this flush, with the old address."""
    changed = []
    for user in [*session.new, *session.dirty]:
        if not isinstance(user, User):
            continue
        state = inspect(user)
        email, confirmed = state.attrs.email.history, state.attrs.confirmed.history
        if user in session.new or email.has_changes() or confirmed.has_changes():
            old_email = email.deleted[0] if email.deleted else user.email
            changed.append((user, old_email))
    return changed


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    changed = _changed_accounts(session)
    if not changed:
        return
    with session.no_autoflush:
        for user, old_email in changed:
            apply_admin_address_rule(session, user, old_email)


def listen_for_admin_address() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def move_would_leave_no_administrator(user: User, new_email: str) -> bool:
    """Whether moving ``user`` to ``new_email`` would take the role from the last
    Administrator (the change-email form refuses it instead)."""
    address = admin_address()
    if address is None or user.email != address or email_lookup_key(new_email) == address:
        return False
    return (user.is_administrator() and _role_came_from_address(db.session, user)
            and not other_administrator_exists(user))


def grant_to_existing_account() -> None:
    """Apply the rule to the account that already has the address (``flask deploy``
    after FLASKY_ADMIN changed): it becomes Administrator if it is confirmed."""
    address = admin_address()
    user = User.by_email(address) if address else None
    if user is not None:
        apply_admin_address_rule(db.session, user, user.email)
        db.session.commit()
