"""What federation keeps (app/federation/): signing keys, the remote accounts
known here, which local rows mirror which remote objects, the activities
already handled, reactions from other servers, blocked domains and deliveries.

A remote account is kept as a ``User`` row of its own (``RemoteActor.user``):
its posts, comments, follows, blocks and suspensions then go through the same
rules, pages and moderation as everyone else's. Such a user has no password and
an address under ``.invalid``, so nobody can sign in as it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User

URI_LENGTH = 500


class ActorKey(db.Model):
    """The RSA key pair that signs a local user's requests (``user_id`` None: the
    site's own actor, which signs fetches no user asked for)."""

    __tablename__ = "actor_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    public_pem: Mapped[str] = mapped_column(Text)
    private_pem: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RemoteActor(db.Model):
    """An account on another server, as its actor document described it."""

    __tablename__ = "remote_actors"
    __table_args__ = (Index("ix_remote_actors_domain", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    key_id: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    inbox: Mapped[str] = mapped_column(String(URI_LENGTH))
    shared_inbox: Mapped[str | None] = mapped_column(String(URI_LENGTH))
    profile_url: Mapped[str | None] = mapped_column(String(URI_LENGTH))
    icon_url: Mapped[str | None] = mapped_column(String(URI_LENGTH))
    domain: Mapped[str] = mapped_column(String(255))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    @property
    def delivery_inbox(self) -> str:
        """Where activities for this account go: its server's shared inbox if any."""
        return self.shared_inbox or self.inbox


class FollowerApproval(db.Model):
    """A local user who approves followers from other servers by hand."""

    __tablename__ = "follower_approvals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)


class PendingFollower(db.Model):
    """A remote account's follow waiting for its local user's approval."""

    __tablename__ = "pending_followers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("remote_actors.id", ondelete="CASCADE"), primary_key=True)
    activity_uri: Mapped[str] = mapped_column(String(URI_LENGTH))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[RemoteActor] = relationship()


class RemoteFollow(db.Model):
    """A local user's follow of a remote account: asked, then accepted by its server."""

    __tablename__ = "remote_follows"

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("remote_actors.id", ondelete="CASCADE"), primary_key=True)
    activity_uri: Mapped[str] = mapped_column(String(URI_LENGTH))
    accepted: Mapped[bool] = mapped_column(default=False)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RemoteObject(db.Model):
    """A local post or comment that mirrors a remote Note or Article, by its id."""

    __tablename__ = "remote_objects"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("remote_actors.id", ondelete="CASCADE"),
                                          index=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), unique=True)


class SeenActivity(db.Model):
    """An incoming activity already handled: the same id again changes nothing."""

    __tablename__ = "seen_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Reaction(db.Model):
    """A Like or an Announce (boost) of a local post by a remote account."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "actor_id", "kind"),)

    LIKE = "like"
    ANNOUNCE = "announce"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("remote_actors.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(16))
    activity_uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)


class DomainBlock(db.Model):
    """A server the administrators refuse: nothing from it is taken, nothing sent to it."""

    __tablename__ = "domain_blocks"

    domain: Mapped[str] = mapped_column(String(255), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(db.Model):
    """One activity for one inbox, sent by a job (app/federation/delivery.py)."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_state_created", "state", "created"),)

    QUEUED, DELIVERED, FAILED = "queued", "delivered", "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox: Mapped[str] = mapped_column(String(URI_LENGTH))
    activity: Mapped[str] = mapped_column(Text)  # the JSON body, as sent
    key_id: Mapped[str] = mapped_column(String(URI_LENGTH))
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
