from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from app import db
from app.models import AnonymousUser, Permission, Role, User, utcnow
from tests.base import FlaskyTestCase


class PasswordTestCase(FlaskyTestCase):
    def test_password_is_hashed(self):
        user = User(email="a@example.com", username="a", password="cat-and-dog")
        self.assertIsNotNone(user.password_hash)
        self.assertNotIn("cat-and-dog", user.password_hash)

    def test_password_is_write_only(self):
        user = User(email="a@example.com", username="a", password="cat-and-dog")
        with self.assertRaises(AttributeError):
            user.password  # noqa: B018

    def test_verification(self):
        user = User(email="a@example.com", username="a", password="cat-and-dog")
        self.assertTrue(user.verify_password("cat-and-dog"))
        self.assertFalse(user.verify_password("dog-and-cat"))
        self.assertFalse(user.verify_password(""))

    def test_salts_are_random(self):
        first = User(email="a@example.com", username="a", password="cat-and-dog")
        second = User(email="b@example.com", username="b", password="cat-and-dog")
        self.assertNotEqual(first.password_hash, second.password_hash)

    def test_production_hash_is_scrypt_and_fits_the_column(self):
        self.app.config["FLASKY_PASSWORD_HASH_METHOD"] = "scrypt"
        user = self.create_user()
        self.assertTrue(user.password_hash.startswith("scrypt:"))
        self.assertLessEqual(len(user.password_hash), User.password_hash.type.length)
        self.assertTrue(user.verify_password(self.password))

    def test_user_without_password_never_verifies(self):
        user = User(email="a@example.com", username="a")
        self.assertFalse(user.verify_password(""))


class RoleAssignmentTestCase(FlaskyTestCase):
    def test_new_user_gets_default_role(self):
        user = self.create_user()
        self.assertEqual(user.role.name, "User")
        self.assertTrue(user.can(Permission.FOLLOW))
        self.assertTrue(user.can(Permission.COMMENT))
        self.assertTrue(user.can(Permission.WRITE))
        self.assertFalse(user.can(Permission.MODERATE))
        self.assertFalse(user.can(Permission.ADMIN))
        self.assertFalse(user.is_administrator())

    def test_flasky_admin_becomes_administrator_whatever_the_case(self):
        self.app.config["FLASKY_ADMIN"] = "Boss@Example.com"
        user = self.create_user("boss", email="boss@EXAMPLE.com")
        self.assertEqual(user.role.name, "Administrator")
        self.assertTrue(user.is_administrator())
        for permission in Permission:
            self.assertTrue(user.can(permission))

    def test_moderator_role(self):
        user = self.create_user(role="Moderator")
        self.assertTrue(user.can(Permission.MODERATE))
        self.assertFalse(user.can(Permission.ADMIN))

    def test_anonymous_user_can_nothing(self):
        anonymous = AnonymousUser()
        for permission in Permission:
            self.assertFalse(anonymous.can(permission))
        self.assertFalse(anonymous.is_administrator())
        self.assertFalse(anonymous.is_authenticated)


class IdentityTestCase(FlaskyTestCase):
    def test_email_is_stored_lowercase_with_matching_avatar_hash(self):
        user = self.create_user("john", email="  John@Example.COM ")
        self.assertEqual(user.email, "john@example.com")
        self.assertEqual(user.avatar_hash, "d4c74594d841139328695756648b6bd6")

    def test_avatar_hash_follows_email_changes(self):
        user = self.create_user()
        before = user.avatar_hash
        user.email = "other@example.com"
        self.assertNotEqual(user.avatar_hash, before)

    def test_emails_unique_whatever_the_case(self):
        self.create_user("john", email="john@example.com")
        db.session.add(User(email="JOHN@example.com", username="other", password="x" * 8))
        with self.assertRaises(IntegrityError):
            db.session.commit()

    def test_usernames_unique_whatever_the_case(self):
        self.create_user("john")
        db.session.add(User(email="other@example.com", username="JOHN", password="x" * 8))
        with self.assertRaises(IntegrityError):
            db.session.commit()

    def test_lookup_by_username_and_email_ignores_case(self):
        user = self.create_user("John")
        self.assertEqual(User.by_username("jOHN"), user)
        self.assertEqual(User.by_email("JOHN@example.com"), user)
        self.assertIsNone(User.by_username("nobody"))

    def test_timestamps_are_aware_utc(self):
        user = self.create_user()
        db.session.expire_all()
        user = db.session.get(User, user.id)
        self.assertEqual(user.member_since.utcoffset(), timedelta(0))
        self.assertLess(utcnow() - user.member_since, timedelta(seconds=30))

    def test_defaults_are_evaluated_per_row(self):
        first = self.create_user("first")
        first.member_since = utcnow() - timedelta(days=3)
        db.session.commit()
        second = self.create_user("second")
        self.assertGreater(second.member_since - first.member_since, timedelta(days=2))

    def test_gravatar_url(self):
        user = self.create_user("john", email="john@example.com")
        url = user.gravatar(size=256, default="retro", rating="pg")
        self.assertTrue(url.startswith("https://secure.gravatar.com/avatar/" + user.avatar_hash))
        self.assertIn("s=256", url)
        self.assertIn("d=retro", url)
        self.assertIn("r=pg", url)


class PingTestCase(FlaskyTestCase):
    def test_ping_writes_at_most_once_per_interval(self):
        user = self.create_user()
        old = utcnow() - timedelta(hours=1)
        user.last_seen = old
        db.session.commit()
        self.assertTrue(user.ping())
        self.assertGreater(user.last_seen, old)
        self.assertFalse(user.ping())  # too soon for another write


class FollowModelTestCase(FlaskyTestCase):
    def test_follow_and_unfollow(self):
        alice, bob = self.create_user("alice"), self.create_user("bob")
        self.assertTrue(alice.follow(bob))
        db.session.commit()
        self.assertTrue(alice.is_following(bob))
        self.assertTrue(bob.is_followed_by(alice))
        self.assertFalse(bob.is_following(alice))
        self.assertFalse(alice.follow(bob))  # already followed
        self.assertTrue(alice.unfollow(bob))
        db.session.commit()
        self.assertFalse(alice.is_following(bob))
        self.assertFalse(alice.unfollow(bob))

    def test_nobody_follows_themselves(self):
        alice = self.create_user("alice")
        self.assertFalse(alice.follow(alice))
        db.session.commit()
        self.assertFalse(alice.is_following(alice))


class RoleModelTestCase(FlaskyTestCase):
    def test_insert_roles_is_idempotent(self):
        Role.insert_roles()
        Role.insert_roles()
        roles = db.session.scalars(db.select(Role).order_by(Role.name)).all()
        self.assertEqual([role.name for role in roles], ["Administrator", "Moderator", "User"])
        self.assertEqual([role.name for role in roles if role.default], ["User"])

    def test_insert_roles_repairs_changed_permissions(self):
        role = db.session.scalar(db.select(Role).filter_by(name="Moderator"))
        role.reset_permissions()
        db.session.commit()
        Role.insert_roles()
        self.assertTrue(role.has_permission(Permission.MODERATE))

    def test_permission_arithmetic(self):
        role = Role(name="Tester")
        self.assertEqual(role.permissions, 0)
        role.add_permission(Permission.FOLLOW)
        role.add_permission(Permission.WRITE)
        role.add_permission(Permission.WRITE)
        self.assertTrue(role.has_permission(Permission.FOLLOW | Permission.WRITE))
        role.remove_permission(Permission.WRITE)
        self.assertFalse(role.has_permission(Permission.WRITE))
        self.assertTrue(role.has_permission(Permission.FOLLOW))
        role.reset_permissions()
        self.assertFalse(role.has_permission(Permission.FOLLOW))

    def test_permission_values_are_the_documented_bits(self):
        self.assertEqual(
            [Permission.FOLLOW, Permission.COMMENT, Permission.WRITE, Permission.MODERATE,
             Permission.ADMIN],
            [1, 2, 4, 8, 16],
        )
