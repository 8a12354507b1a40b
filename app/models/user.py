import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, Select, String, Text, func, select
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from app.email_addresses import email_lookup_key, normalise_email
from app.extensions import db
from app.mail_link_tokens import generate_token, load_token
from app.models.api_token import ApiToken
from app.models.base import JsonRepresentable, UTCDateTime, utcnow
from app.models.follow import Follow, followed_posts_of
from app.models.post import Post
from app.models.role import Permission, Role
from app.rendering import render_profile_html

if TYPE_CHECKING:
    from app.models.comment import Comment


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("flasky-timing-equaliser", method=method)


def _fingerprint(value: str | None) -> str:
    """A short digest that changes whenever ``value`` does (single-use tokens)."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


class User(JsonRepresentable, UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(64))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"), index=True)
    # scrypt hashes are ~162 characters; leave room for stronger parameters.
    password_hash: Mapped[str | None] = mapped_column(String(256))
    confirmed: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(64))
    about_me: Mapped[str | None] = mapped_column(Text)
    about_me_html: Mapped[str | None] = mapped_column(Text)
    member_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    avatar_hash: Mapped[str | None] = mapped_column(String(32))
    avatar_image: Mapped[str | None] = mapped_column(String(80))  # uploaded (app/images/)
    # Rotated when the password or email changes: ends other sessions and API tokens.
    auth_stamp: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    # Set while app/account_deletion.py removes the account: it can no longer log in.
    deleting: Mapped[bool] = mapped_column(default=False)
    # The bell's count, kept here so no page pays a query for it; and suspensions (app/social/).
    unread_notifications: Mapped[int] = mapped_column(default=0)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Their own language and IANA time zone (app/languages.py); None: the browser's choice.
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))

    # Joined: each request checks permissions. One-way: a new User is not cascaded in by it.
    role: Mapped[Role | None] = relationship(lazy="joined")
    posts: WriteOnlyMapped[Post] = relationship(back_populates="author", passive_deletes=True)
    comments: WriteOnlyMapped["Comment"] = relationship(
        back_populates="author", passive_deletes=True)
    followed: WriteOnlyMapped[Follow] = relationship(
        foreign_keys="Follow.follower_id", back_populates="follower", passive_deletes=True
    )
    followers: WriteOnlyMapped[Follow] = relationship(
        foreign_keys="Follow.followed_id", back_populates="followed", passive_deletes=True
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The FLASKY_ADMIN address earns its role once confirmed (app/admin_address.py).
        if self.role is None:
            self.role = db.session.scalar(select(Role).filter_by(default=True))
        if self.auth_stamp is None:
            self.auth_stamp = secrets.token_hex(8)

    # -- identity ------------------------------------------------------------

    @validates("email")
    def _normalise_email(self, key: str, email: str) -> str:
        email = normalise_email(email)  # one spelling per mailbox; raises for a lookalike
        self.avatar_hash = hashlib.md5(email.encode(), usedforsecurity=False).hexdigest()
        return email

    @validates("username")
    def _normalise_username(self, key: str, username: str) -> str:
        return username.strip()

    @validates("about_me")
    def _render_about_me(self, key: str, about_me: str | None) -> str | None:
        self.about_me_html = render_profile_html(about_me) if about_me else None
        return about_me

    @staticmethod
    def by_email(email: str) -> "User | None":
        return db.session.scalar(select(User).where(User.email == email_lookup_key(email)))

    @staticmethod
    def by_username(username: str) -> "User | None":
        lowered = username.strip().lower()
        return db.session.scalar(select(User).where(func.lower(User.username) == lowered))

    @staticmethod
    def authenticate(email: str, password: str) -> "User | None":
        """The user with these credentials, or None.

        An unknown email costs one password hash, like a wrong password, so
        the answer's timing does not tell which addresses have accounts.
        """
        user = User.by_email(email)
        if user is None:
            check_password_hash(_dummy_hash(current_app.config["FLASKY_PASSWORD_HASH_METHOD"]),
                                password)
            return None
        return user if user.verify_password(password) and not user.deleting else None

    # The browser session this user was loaded for (app/models/login_session.py),
    # set by the user loader or by signing in; None outside a signed-in request.
    login_session = None
    login_secret = None

    def get_id(self) -> str:
        """What the session and remember-me cookies carry: the user and the
        secret of its server-side session (empty when none: never loads)."""
        return f"{self.id}:{self.login_secret or ''}"

    def rotate_auth_stamp(self) -> None:
        self.auth_stamp = secrets.token_hex(8)

    # -- password ------------------------------------------------------------

    @property
    def password(self) -> str:
        raise AttributeError("password is not a readable attribute")

    @password.setter
    def password(self, password: str) -> None:
        method = current_app.config["FLASKY_PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_auth_stamp()

    def verify_password(self, password: str) -> bool:
        if self.password_hash is None:
            return False
        return check_password_hash(self.password_hash, password)

    # -- tokens sent by mail -------------------------------------------------

    def generate_confirmation_token(self, expiration: int = 3600) -> str:
        return generate_token("confirm", expiration, user=self.id)

    def confirm(self, token: str) -> bool:
        data = load_token("confirm", token)
        if data is None or data.get("user") != self.id:
            return False
        self.confirmed = True
        db.session.add(self)
        return True

    def generate_reset_token(self, expiration: int = 3600) -> str:
        return generate_token(
            "reset", expiration, user=self.id, fp=_fingerprint(self.password_hash),
            email=_fingerprint(self.email),
        )

    @staticmethod
    def reset_password(token: str, new_password: str) -> bool:
        """Set a new password; the token dies with the password and the address it
        was made for (a link mailed to an address the account has left is dead)."""
        data = load_token("reset", token)
        if data is None or not isinstance(data.get("user"), int):
            return False
        user = db.session.get(User, data["user"])
        if (user is None or data.get("fp") != _fingerprint(user.password_hash)
                or data.get("email") != _fingerprint(user.email)):
            return False
        user.password = new_password
        db.session.add(user)
        return True

    def generate_email_change_token(self, new_email: str, expiration: int = 3600) -> str:
        return generate_token(
            "change_email", expiration, user=self.id, new_email=new_email,
            old_email=self.email, stamp=_fingerprint(self.auth_stamp),
        )

    def change_email(self, token: str) -> bool:
        """Move to the token's new address; the token dies with the old address."""
        data = load_token("change_email", token)
        if (
            data is None
            or data.get("user") != self.id
            or data.get("old_email") != self.email
            or data.get("stamp") != _fingerprint(self.auth_stamp)
        ):
            return False
        new_email = data.get("new_email")
        if not isinstance(new_email, str) or not new_email.strip():
            return False
        other = User.by_email(new_email)
        if other is not None and other.id != self.id:
            return False
        self.email = new_email
        self.rotate_auth_stamp()
        db.session.add(self)
        return True

    # -- API tokens ----------------------------------------------------------

    def generate_auth_token(self, expiration: int = 3600) -> str:
        return ApiToken.issue(self, expiration)

    @staticmethod
    def verify_auth_token(token: str) -> "User | None":
        return ApiToken.user_for(token)

    # -- permissions ---------------------------------------------------------

    def can(self, perm: int) -> bool:
        return self.role is not None and self.role.has_permission(perm)

    def is_administrator(self) -> bool:
        return self.can(Permission.ADMIN)

    def ping(self) -> bool:
        """Move ``last_seen`` forward, at most once per FLASKY_LAST_SEEN_INTERVAL.

        Returns True when it changed, so the caller knows a commit is due.
        """
        if not User.ping_due(self.last_seen):
            return False
        self.last_seen = utcnow()
        db.session.add(self)
        return True

    @staticmethod
    def ping_due(last_seen: datetime | None) -> bool:
        """Whether a user last seen at ``last_seen`` is to be moved forward now."""
        interval = timedelta(seconds=current_app.config["FLASKY_LAST_SEEN_INTERVAL"])
        return last_seen is None or utcnow() - last_seen >= interval

    def gravatar(self, size: int = 100, default: str = "identicon", rating: str = "g") -> str:
        return (f"https://secure.gravatar.com/avatar/{self.avatar_hash}"
                f"?s={size}&d={default}&r={rating}")

    # -- follows -------------------------------------------------------------

    def follow(self, user: "User") -> bool:
        """Follow ``user``; False when that is oneself or already followed."""
        if user.id == self.id or self.is_following(user):
            return False
        db.session.add(Follow(follower=self, followed=user))
        return True

    def unfollow(self, user: "User") -> bool:
        follow = db.session.get(Follow, (self.id, user.id))
        if follow is None:
            return False
        db.session.delete(follow)
        return True

    def is_following(self, user: "User") -> bool:
        if user.id is None or self.id is None:
            return False
        return db.session.get(Follow, (self.id, user.id)) is not None

    def is_followed_by(self, user: "User") -> bool:
        return user.is_following(self)

    @property
    def followed_posts(self) -> Select:
        """Posts by the people this user follows, their own, and those under the tags
        they follow, newest first: the book's ``user.followed_posts`` (a ``Select``)."""
        return followed_posts_of().params(followed_posts_of=self.id)

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"


# Usernames keep the case people chose but are unique whatever the case.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
# The list of members, newest first (API /users/), reads this index in order.
Index("ix_users_member_since_id", User.member_since, User.id)
