"""The first minutes: a short checklist for someone who has just confirmed their
address (add a name and bio, follow three people, write a first post).

Each step ticks itself from what the person has done, not from clicks on the
list; the list goes once every step is done or when they dismiss it
(``Onboarding.dismissed_at``). It is started by confirming (app/auth), so people
who joined before it existed never see it. Reading it is one query.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, Select, bindparam, exists, func, select

from app.database import plain_rows
from app.extensions import db
from app.models import Follow, Onboarding, Post, User, utcnow

FOLLOWS_WANTED = 3


@dataclass(frozen=True)
class Checklist:
    has_profile: bool
    follows: int
    has_posted: bool

    @property
    def follows_enough(self) -> bool:
        return self.follows >= FOLLOWS_WANTED

    @property
    def done(self) -> bool:
        return self.has_profile and self.follows_enough and self.has_posted


def start(user: User) -> None:
    """Begin ``user``'s checklist (once; the caller commits)."""
    if db.session.get(Onboarding, user.id) is None:
        db.session.add(Onboarding(user_id=user.id))


@cache
def _progress() -> Select:
    """``(follows, has posted)`` of ``user_id`` while their checklist is shown, built
    once: every signed-in home page asks it."""
    reader = bindparam("user_id", type_=Integer)
    follows = select(func.count()).where(Follow.follower_id == reader).scalar_subquery()
    posted = exists().where(Post.author_id == reader, Post.published())
    return select(follows, posted).where(Onboarding.user_id == reader,
                                         Onboarding.dismissed_at.is_(None))


def checklist(user: User) -> Checklist | None:
    """``user``'s checklist while it is to be shown: started, not dismissed, not done."""
    row = plain_rows(_progress(), {"user_id": user.id}).first()
    if row is None:
        return None
    items = Checklist(has_profile=bool(user.name and user.about_me), follows=row[0],
                      has_posted=bool(row[1]))
    return None if items.done else items


def dismiss(user: User) -> None:
    """Hide ``user``'s checklist for good (the caller commits)."""
    onboarding = db.session.get(Onboarding, user.id)
    if onboarding is not None and onboarding.dismissed_at is None:
        onboarding.dismissed_at = utcnow()
