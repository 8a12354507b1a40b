"""Mail digests of notifications: at most one mail per person and kind every
DIGEST_INTERVAL, listing what happened since the last one, sent through the
mail outbox by a periodic job. Each carries its kind's signed unsubscribe link.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_ngettext
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.email import send_email
from app.extensions import db
from app.jobs import periodic, task
from app.links import links_based_at
from app.models import Notification, NotificationPreference, User, utcnow
from app.social.grouping import PHRASES, text_of
from app.social.preferences import LABELS, unsubscribe_token
from app.social.suspensions import is_suspended

DIGEST_INTERVAL = timedelta(minutes=15)
BATCH = 200  # preferences looked at per run; the next run takes the rest
MAX_ITEMS = 50  # listed in one digest; the mail says how many more


def _due() -> list[NotificationPreference]:
    """Preferences with mail on whose last digest is at least DIGEST_INTERVAL old
    and that have something new, oldest digest first."""
    newer = (select(Notification.id).where(
        Notification.user_id == NotificationPreference.user_id,
        Notification.kind == NotificationPreference.kind,
        Notification.timestamp > NotificationPreference.mailed_until).exists())
    return list(db.session.scalars(
        select(NotificationPreference)
        .where(NotificationPreference.by_mail.is_(True), newer,
               or_(NotificationPreference.last_mailed_at.is_(None),
                   NotificationPreference.last_mailed_at <= utcnow() - DIGEST_INTERVAL))
        .order_by(NotificationPreference.last_mailed_at.asc().nulls_first())
        .limit(BATCH)))


def _send(preference: NotificationPreference) -> bool:
    user = db.session.get(User, preference.user_id)
    items = list(db.session.scalars(
        select(Notification).options(joinedload(Notification.actor))
        .where(Notification.user_id == user.id, Notification.kind == preference.kind,
               Notification.timestamp > preference.mailed_until)
        .order_by(Notification.timestamp.asc(), Notification.id.asc())))
    preference.mailed_until = items[-1].timestamp
    preference.last_mailed_at = utcnow()
    if user.deleting or is_suspended(user):
        return False
    base = current_app.config["FLASKY_BASE_URL"] or preference.link_base or "http://localhost/"
    with links_based_at(base):
        subject = lazy_ngettext("%(kind)s: %(num)s new", "%(kind)s: %(num)s new", len(items),
                               kind=LABELS[preference.kind])
        send_email(user.email, subject, "email/digest",
                   user=user, kind=preference.kind, items=items[:MAX_ITEMS],
                   more=max(len(items) - MAX_ITEMS, 0), text_of=text_of, phrase=PHRASES,
                   token=unsubscribe_token(user, preference.kind))
    return True


@periodic(every=timedelta(seconds=60))
@task(attempts=1)
def send_digests() -> int:
    """Send the digests that are due, one commit per person and kind."""
    sent = 0
    for preference in _due():
        sent += _send(preference)
        db.session.commit()
    return sent
