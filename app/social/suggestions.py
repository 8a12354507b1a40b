"""Who to follow: the people a signed-in person is offered on the home page and on
an empty Followed tab.

First people followed by those they follow (the more of them, the earlier), then
people who wrote lately. Never themselves or someone they already follow; never
anyone they blocked or muted, who blocked them, is suspended, or is not
listable (unconfirmed, on another server, closing their account:
app/social/people.py).

Ranking is the costly part (it counts the follows of everyone they follow), and it
need not be to the second: each worker keeps a person's ranked candidates for
``RANKING_SECONDS``. The rules are not kept: every request applies them to the
candidates afresh (one query by primary key), so a follow, a block or a
suspension shows at once; only a new friend's follows wait for the next ranking.
"""

import threading
import time
from collections import OrderedDict

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, lazyload

from app.extensions import db
from app.listed_in import ListedIn
from app.models import Follow, User
from app.social.blocking import ids_blocking
from app.social.people import listable, recent_authors
from app.social.visibility import hidden_from

SHOWN = 5
# How many ranked candidates a worker keeps per person, and for how long.
CANDIDATES = 50
RANKING_SECONDS = 300
RANKINGS_KEPT = 5_000


def _candidates(user_id: int):
    """``(id, friends, posts)`` of everyone who could be suggested to ``user_id``."""
    mine, theirs = aliased(Follow), aliased(Follow)
    friends = (select(theirs.followed_id.label("id"), func.count().label("friends"),
                      literal(0).label("posts"))
               .select_from(mine).join(theirs, theirs.follower_id == mine.followed_id)
               .where(mine.follower_id == user_id).group_by(theirs.followed_id))
    recent = recent_authors()
    writers = select(recent.c.id, literal(0).label("friends"), recent.c.posts)
    both = union_all(friends, writers).subquery()
    return (select(both.c.id, func.sum(both.c.friends).label("friends"),
                   func.sum(both.c.posts).label("posts"))
            .group_by(both.c.id).subquery())


def _excluded(user: User) -> list[int]:
    """``user`` and whoever is hidden from them."""
    hidden = hidden_from(user)
    return sorted(hidden.suspended | hidden.blocked | hidden.muted | {user.id})


def _rules(user_id: int | ColumnElement[int],
           excluded: list[int] | None = None) -> list[ColumnElement[bool]]:
    """The rules: whom ``user_id`` may be offered, ``excluded`` left out (None: the
    caller leaves them out)."""
    followed = select(Follow.followed_id).where(Follow.follower_id == user_id)
    left_out = [User.id.not_in(excluded)] if excluded is not None else []
    return [listable(), *left_out, User.id.not_in(followed),
            User.id.not_in(ids_blocking(user_id))]


def _offerable(user: User) -> list[ColumnElement[bool]]:
    """The rules for ``user``, now."""
    return _rules(user.id, _excluded(user))


# Which of the ``listed`` (ranked) ids the rules let ``user_id`` be offered, but
# ``_excluded``, left out by the caller: built once, run on every signed-in home page.
_ALLOWED = ListedIn(User.id, lambda listed: select(User.id).where(
    listed, *_rules(bindparam("user_id", type_=Integer))))
# The people chosen, without their roles (a person's card shows none).
_CHOSEN = ListedIn(User.id, lambda listed: select(User).options(lazyload(User.role))
                   .where(listed))


def suggestions(user: User, limit: int = SHOWN) -> Select:
    """The people to suggest to ``user``, best first, as a ``Select`` of users.

    The candidates come first (followed by those ``user`` follows, or among the
    latest posts' authors), so only they are looked up, not every account."""
    candidates = _candidates(user.id)
    return (select(User).join(candidates, candidates.c.id == User.id)
            .where(*_offerable(user))
            .order_by(candidates.c.friends.desc(), candidates.c.posts.desc(), User.id.desc())
            .limit(limit))


def ranking(user_id: int) -> Select:
    """The ids of ``user_id``'s best ``CANDIDATES``, best first, by the ranking alone
    (not themselves, nor whom they follow: the rest of the rules come later)."""
    candidates = _candidates(user_id)
    followed = select(Follow.followed_id).where(Follow.follower_id == user_id)
    return (select(candidates.c.id)
            .where(candidates.c.id != user_id, candidates.c.id.not_in(followed))
            .order_by(candidates.c.friends.desc(), candidates.c.posts.desc(),
                      candidates.c.id.desc())
            .limit(CANDIDATES))


class Rankings:
    """One worker's ranked candidates: user id -> (when ranked, ids), bounded."""

    def __init__(self, size: int = RANKINGS_KEPT) -> None:
        self.size = size
        self.kept: OrderedDict[int, tuple[float, tuple[int, ...]]] = OrderedDict()
        self.lock = threading.Lock()

    def of(self, user_id: int) -> tuple[int, ...]:
        now = time.monotonic()
        with self.lock:
            found = self.kept.get(user_id)
            if found is not None and now - found[0] < RANKING_SECONDS:
                self.kept.move_to_end(user_id)
                return found[1]
        ids = tuple(db.session.scalars(ranking(user_id)))
        with self.lock:
            self.kept[user_id] = (now, ids)
            self.kept.move_to_end(user_id)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return ids


def _rankings() -> Rankings:
    return current_app.extensions.setdefault("flasky_suggestion_rankings", Rankings())


def suggestions_for(user: User, limit: int = SHOWN) -> list[User]:
    """``suggestions``, from this worker's ranking of ``user`` and today's rules (its
    Follow buttons all say Follow: none is followed)."""
    ranked = _rankings().of(user.id)
    if not ranked:
        return []
    # Which of them today's rules allow, as ids; then only those shown are loaded.
    allowed = set(_ALLOWED.rows(ranked, {"user_id": user.id}).scalars())
    excluded = set(_excluded(user))
    chosen = [person for person in ranked if person in allowed and person not in excluded][:limit]
    if len(chosen) < limit and len(ranked) == CANDIDATES:  # the rules took too many
        return list(db.session.scalars(suggestions(user, limit)))
    if not chosen:
        return []
    found = {person.id: person for person in _CHOSEN.models(chosen)}
    return [found[person] for person in chosen if person in found]
