"""Who to follow: the people a signed-in person is offered on the home page and on
an empty Followed tab.

First people followed by those they follow (the more of them, the earlier), then
people who wrote lately. Never themselves or someone they already follow; never
anyone they blocked or muted, who blocked them, is suspended, or is not
listable (unconfirmed, on another server, closing their account:
app/social/people.py). One query, bounded like the directory's "most active".
"""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Follow, User
from app.social.blocking import ids_blocking
from app.social.people import listable, recent_authors
from app.social.visibility import hidden_from

SHOWN = 5


def suggestions(user: User, limit: int = SHOWN) -> Select:
    """The people to suggest to ``user``, best first, as a ``Select`` of users."""
    mine, theirs = aliased(Follow), aliased(Follow)
    friends = (select(theirs.followed_id.label("id"), func.count().label("score"))
               .select_from(mine).join(theirs, theirs.follower_id == mine.followed_id)
               .where(mine.follower_id == user.id).group_by(theirs.followed_id).subquery())
    recent = recent_authors()
    hidden = hidden_from(user)
    excluded = sorted(hidden.suspended | hidden.blocked | hidden.muted | {user.id})
    followed = select(Follow.followed_id).where(Follow.follower_id == user.id)
    return (select(User)
            .outerjoin(friends, friends.c.id == User.id)
            .outerjoin(recent, recent.c.id == User.id)
            .where((friends.c.id.is_not(None)) | (recent.c.id.is_not(None)),
                   listable(), User.id.not_in(excluded), User.id.not_in(followed),
                   User.id.not_in(ids_blocking(user.id)))
            .order_by(func.coalesce(friends.c.score, 0).desc(),
                      func.coalesce(recent.c.posts, 0).desc(), User.id.desc())
            .limit(limit))


def suggestions_for(user: User, limit: int = SHOWN) -> list[User]:
    """``suggestions`` loaded (its Follow buttons all say Follow: none is followed)."""
    return list(db.session.scalars(suggestions(user, limit)))
