"""Who to follow: the people a signed-in person is offered on the home page and on
an empty Followed tab.

First people followed by those they follow (the more of them, the earlier), then
people who wrote lately. Never themselves or someone they already follow; never
anyone they blocked or muted, who blocked them, is suspended, or is not
listable (unconfirmed, on another server, closing their account:
app/social/people.py). One query, bounded like the directory's "most active".
"""

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Follow, User
from app.social.blocking import ids_blocking
from app.social.people import listable, recent_authors
from app.social.visibility import hidden_from

SHOWN = 5


def suggestions(user: User, limit: int = SHOWN) -> Select:
    """The people to suggest to ``user``, best first, as a ``Select`` of users.

    The candidates come first (followed by those ``user`` follows, or among the
    latest posts' authors), so only they are looked up, not every account."""
    mine, theirs = aliased(Follow), aliased(Follow)
    friends = (select(theirs.followed_id.label("id"), func.count().label("friends"),
                      literal(0).label("posts"))
               .select_from(mine).join(theirs, theirs.follower_id == mine.followed_id)
               .where(mine.follower_id == user.id).group_by(theirs.followed_id))
    recent = recent_authors()
    writers = select(recent.c.id, literal(0).label("friends"), recent.c.posts)
    both = union_all(friends, writers).subquery()
    candidates = (select(both.c.id, func.sum(both.c.friends).label("friends"),
                         func.sum(both.c.posts).label("posts"))
                  .group_by(both.c.id).subquery())
    hidden = hidden_from(user)
    excluded = sorted(hidden.suspended | hidden.blocked | hidden.muted | {user.id})
    followed = select(Follow.followed_id).where(Follow.follower_id == user.id)
    return (select(User).join(candidates, candidates.c.id == User.id)
            .where(listable(), User.id.not_in(excluded), User.id.not_in(followed),
                   User.id.not_in(ids_blocking(user.id)))
            .order_by(candidates.c.friends.desc(), candidates.c.posts.desc(), User.id.desc())
            .limit(limit))


def suggestions_for(user: User, limit: int = SHOWN) -> list[User]:
    """``suggestions`` loaded (its Follow buttons all say Follow: none is followed)."""
    return list(db.session.scalars(suggestions(user, limit)))
