from enum import IntFlag

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Permission(IntFlag):
    FOLLOW = 1
    COMMENT = 2
    WRITE = 4
    MODERATE = 8
    ADMIN = 16


class Role(db.Model):
    __tablename__ = "roles"

    _USER = Permission.FOLLOW | Permission.COMMENT | Permission.WRITE
    ROLES = {
        "User": _USER,
        "Moderator": _USER | Permission.MODERATE,
        "Administrator": _USER | Permission.MODERATE | Permission.ADMIN,
    }
    DEFAULT_ROLE = "User"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    default: Mapped[bool] = mapped_column(default=False, index=True)
    permissions: Mapped[int] = mapped_column(default=0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.permissions is None:
            self.permissions = 0

    @staticmethod
    def insert_roles() -> None:
        """Create or update the standard roles; safe to run any number of times."""
        existing = {role.name: role for role in db.session.scalars(select(Role))}
        for name, permissions in Role.ROLES.items():
            role = existing.get(name) or Role(name=name)
            role.permissions = int(permissions)
            role.default = name == Role.DEFAULT_ROLE
            db.session.add(role)
        db.session.commit()

    def has_permission(self, perm: int) -> bool:
        return grants(self.permissions, perm)

    def add_permission(self, perm: int) -> None:
        self.permissions |= perm

    def remove_permission(self, perm: int) -> None:
        self.permissions &= ~perm

    def reset_permissions(self) -> None:
        self.permissions = 0

    def __repr__(self) -> str:
        return f"<Role {self.name!r}>"


def grants(permissions: int, perm: int) -> bool:
    """Whether a role's ``permissions`` include every bit of ``perm``."""
    perm = int(perm)  # plain ints: IntFlag arithmetic is slow, and this runs per link
    return permissions & perm == perm
