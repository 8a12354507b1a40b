"""Timestamps read back as aware UTC datetimes, whatever was written and whichever
database stores them (app/models/base.py, ``UTCDateTime``)."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from app import db
from app.models import Post, User
from tests.base import FlaskyTestCase


class UTCDateTimeTestCase(FlaskyTestCase):
    def stored(self, when: datetime | None) -> tuple[datetime | None, datetime | None]:
        """``when`` as a post's timestamp and a user's last sighting, read back afresh
        (through the ORM and as a plain row)."""
        author = self.create_user(f"author{id(when) % 10_000}")
        post = Post(body="When?", author=author, timestamp=when)
        db.session.add(post)
        db.session.commit()
        post_id = post.id
        db.session.expire_all()
        loaded = db.session.get(Post, post_id).timestamp
        plain = db.session.connection().execute(
            select(Post.timestamp).where(Post.id == post_id)).scalar_one()
        return loaded, plain

    def test_naive_aware_and_other_zones_come_back_as_the_same_instant_in_utc(self):
        instant = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        for written in (instant, instant.replace(tzinfo=None),
                        instant.astimezone(timezone(timedelta(hours=-7)))):
            for read in self.stored(written):
                self.assertEqual(read, instant)
                self.assertEqual(read.utcoffset(), timedelta(0), written)

    def test_a_missing_time_stays_missing(self):
        user = self.create_user("nobody")  # never suspended
        db.session.expire_all()
        self.assertIsNone(db.session.get(User, user.id).suspended_until)
        self.assertIsNone(db.session.connection().execute(
            select(User.suspended_until).where(User.id == user.id)).scalar_one())
