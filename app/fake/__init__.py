"""Fake data for development, the benchmark and ``flask shell``.

``fill()`` is what ``flask fake`` runs (app/cli/fake.py): users, posts,
follows and comments inserted in bulk (``data.py``, through the batch loader
in ``bulk_insert.py``). ``users(n)`` and ``posts(n)`` are the book's
``flask shell`` habit::

    >>> from app import fake
    >>> fake.users(100)
    >>> fake.posts(100)  # by the users already there
"""

from sqlalchemy import select

from app.caching import content_changed
from app.extensions import db
from app.fake.data import FAKE_PASSWORD, FakeData, fill
from app.models import User

__all__ = ["FAKE_PASSWORD", "fill", "posts", "users"]


def users(count: int = 100, seed: int | None = None) -> int:
    """Add ``count`` confirmed users (password ``FAKE_PASSWORD``); returns how many."""
    return fill(users=count, posts=0, follows=0, comments=0, seed=seed)["users"]


def posts(count: int = 100, seed: int | None = None) -> int:
    """Add ``count`` posts by the users already there; returns how many."""
    authors = [(user_id, since.timestamp()) for user_id, since in db.session.execute(
        select(User.id, User.member_since).order_by(User.member_since, User.id))]
    added = len(FakeData(seed=seed).posts(count, authors))
    db.session.commit()
    content_changed()  # the rows went in below the ORM, unseen by its events
    return added
