import re
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app import db
from app.cli.fake import fake_command
from app.fake import FAKE_PASSWORD, fill
from app.models import Comment, Follow, Post, Role, User
from tests.base import FlaskyTestCase

USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


class FakeDataTestCase(FlaskyTestCase):
    def fill_small(self, seed: int | None = 7) -> dict[str, int]:
        return fill(users=25, posts=120, follows=6, comments=90, seed=seed, now=NOW)

    def snapshot(self) -> dict[str, list]:
        """Everything a seeded run decides, in a comparable form."""
        return {
            "users": db.session.execute(select(User.id, User.username, User.email,
                                               User.member_since).order_by(User.id)).all(),
            "posts": db.session.execute(select(Post.author_id, Post.body, Post.timestamp)
                                        .order_by(Post.id)).all(),
            "follows": db.session.execute(select(Follow.follower_id, Follow.followed_id)
                                          .order_by(Follow.follower_id,
                                                    Follow.followed_id)).all(),
            "comments": db.session.execute(select(Comment.post_id, Comment.author_id,
                                                  Comment.body).order_by(Comment.id)).all(),
        }

    def test_counts_match_the_request(self):
        counts = self.fill_small()
        self.assertEqual(counts, {"users": 25, "posts": 120, "follows": 150, "comments": 90})
        self.assertEqual(count(User), 25)
        self.assertEqual(count(Post), 120)
        self.assertEqual(count(Follow), 25 * 6)
        self.assertEqual(count(Comment), 90)

    def test_follows_are_never_self_or_duplicate(self):
        self.fill_small()
        selves = db.session.scalar(select(func.count()).select_from(Follow)
                                   .where(Follow.follower_id == Follow.followed_id))
        self.assertEqual(selves, 0)
        per_follower = db.session.execute(
            select(Follow.follower_id, func.count(func.distinct(Follow.followed_id)))
            .group_by(Follow.follower_id)).all()
        self.assertEqual(len(per_follower), 25)
        self.assertTrue(all(distinct == 6 for _, distinct in per_follower))

    def test_follows_are_capped_by_the_number_of_other_users(self):
        fill(users=4, posts=0, follows=10, comments=0, seed=1, now=NOW)
        self.assertEqual(count(Follow), 4 * 3)

    def test_same_seed_gives_the_same_data(self):
        self.fill_small(seed=42)
        first = self.snapshot()
        db.session.remove()
        db.drop_all()
        db.create_all()
        Role.insert_roles()
        self.fill_small(seed=42)
        self.assertEqual(self.snapshot(), first)

    def test_different_seeds_give_different_data(self):
        self.fill_small(seed=1)
        first = self.snapshot()
        db.session.remove()
        db.drop_all()
        db.create_all()
        Role.insert_roles()
        self.fill_small(seed=2)
        self.assertNotEqual(self.snapshot()["users"], first["users"])

    def test_users_are_valid_unique_confirmed_and_default_role(self):
        self.create_user("existing")
        self.fill_small()
        users = db.session.scalars(select(User)).all()
        usernames = [user.username.lower() for user in users]
        emails = [user.email for user in users]
        self.assertEqual(len(set(usernames)), len(usernames))
        self.assertEqual(len(set(emails)), len(emails))
        default = db.session.scalar(select(Role).filter_by(default=True))
        for user in users:
            self.assertRegex(user.username, USERNAME)
            self.assertEqual(user.email, user.email.lower())
            self.assertTrue(user.confirmed)
            self.assertEqual(user.role, default)
            self.assertEqual(user.avatar_hash and len(user.avatar_hash), 32)

    def test_time_runs_forward(self):
        self.fill_small()
        author = aliased(User)
        early_posts = db.session.scalar(
            select(func.count()).select_from(Post).join(author, Post.author)
            .where(Post.timestamp < author.member_since))
        self.assertEqual(early_posts, 0)
        early_comments = db.session.scalar(
            select(func.count()).select_from(Comment).join(Post, Comment.post)
            .join(author, Comment.author)
            .where((Comment.timestamp < Post.timestamp)
                   | (Comment.timestamp < author.member_since)))
        self.assertEqual(early_comments, 0)
        newest = db.session.scalar(select(func.max(Post.timestamp)))
        oldest = db.session.scalar(select(func.min(User.member_since)))
        self.assertLessEqual(newest, NOW)
        self.assertGreater((NOW - oldest).days, 30)

    def test_bodies_are_rendered_html(self):
        self.fill_small()
        for post in db.session.scalars(select(Post).limit(20)):
            self.assertTrue(post.body)
            self.assertTrue(post.body_html.startswith("<"), post.body_html[:80])
        comment = db.session.scalar(select(Comment).limit(1))
        self.assertIn("<p>", comment.body_html)

    def test_fake_users_log_in_with_the_documented_password(self):
        self.fill_small()
        user = db.session.scalar(select(User).order_by(User.id.desc()))
        self.assertTrue(user.verify_password(FAKE_PASSWORD))
        wrong = self.login(user.email, password="not-" + FAKE_PASSWORD, follow_redirects=False)
        self.assertEqual(wrong.status_code, 200)
        response = self.login(user.email, password=FAKE_PASSWORD, follow_redirects=False)
        self.assertRedirectsTo(response, "/")


class FakeCommandTestCase(FlaskyTestCase):
    def invoke(self, *args: str):
        return self.app.test_cli_runner().invoke(fake_command, list(args))

    def test_command_fills_and_names_the_password(self):
        result = self.invoke("--users", "12", "--posts", "40", "--follows", "3",
                             "--comments", "30", "--seed", "5")
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn(repr(FAKE_PASSWORD), result.output)
        self.assertEqual((count(User), count(Post), count(Follow), count(Comment)),
                         (12, 40, 36, 30))

    def test_command_adds_to_existing_data(self):
        self.invoke("--users", "5", "--posts", "5", "--follows", "2", "--comments", "5")
        result = self.invoke("--users", "5", "--posts", "5", "--follows", "2", "--comments", "5")
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(count(User), 10)
        self.assertEqual(count(Follow), 20)

    def test_negative_sizes_are_refused(self):
        result = self.invoke("--users", "-1")
        self.assertNotEqual(result.exit_code, 0)
        self.assertEqual(count(User), 0)
