from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime


class NotificationPreference(db.Model):
    """How one person wants one kind of notification: in the app (the bell and
    /notifications) and/or by mail, as digests (app/social/digests.py). No row
    means the defaults: in the app, not by mail.

    ``mailed_until`` is the newest notification a digest has covered (set to
    the moment mail was turned on, so nothing older is ever mailed),
    ``last_mailed_at`` when the last digest went, and ``link_base`` the site
    address the person used when turning mail on, for links in digests sent
    by background jobs when FLASKY_BASE_URL is not set.
    """

    __tablename__ = "notification_preferences"
    __table_args__ = (Index("ix_notification_preferences_by_mail", "by_mail"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    in_app: Mapped[bool] = mapped_column(default=True)
    by_mail: Mapped[bool] = mapped_column(default=False)
    mailed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link_base: Mapped[str | None] = mapped_column(String(200))
