from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class RoleChange(db.Model):
    """Who changed whose role, from what to what, and when.

    ``actor`` is None and ``reason`` says why when Flasky itself changed the
    role: the ``FLASKY_ADMIN`` address was confirmed, or its account moved away
    from it (app/admin_address.py).
    """

    ADMIN_ADDRESS_CONFIRMED = "admin-address-confirmed"
    ADMIN_ADDRESS_LEFT = "admin-address-left"
    # Written by migration 0003: the role had been given at registration, unproven.
    ADMIN_ADDRESS_UNCONFIRMED = "admin-address-unconfirmed"
    REASONS = {
        ADMIN_ADDRESS_CONFIRMED: _l("Flasky: the FLASKY_ADMIN address was confirmed"),
        ADMIN_ADDRESS_LEFT: _l("Flasky: the account left the FLASKY_ADMIN address"),
        ADMIN_ADDRESS_UNCONFIRMED: _l("Flasky: the FLASKY_ADMIN address was never confirmed"),
    }

    __tablename__ = "role_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    old_role: Mapped[str | None] = mapped_column(String(64))
    new_role: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    reason: Mapped[str | None] = mapped_column(String(32))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def changed_by(self) -> str:
        """Who made the change, as the role-change log shows it."""
        if self.actor is not None:
            return self.actor.username
        return self.REASONS.get(self.reason or "", _l("a deleted user"))
