"""Flasky's models, importable as ``from app.models import User, Post, ...``."""

from app.models.anonymous_user import AnonymousUser
from app.models.api_token import ApiToken
from app.models.audit_entry import AuditEntry
from app.models.base import UTCDateTime, utcnow
from app.models.block import Block
from app.models.comment import Comment
from app.models.export import DataExport
from app.models.federation import (
    ActorKey,
    Delivery,
    DomainBlock,
    FollowerApproval,
    PendingFollower,
    Reaction,
    RemoteActor,
    RemoteFollow,
    RemoteObject,
    SeenActivity,
)
from app.models.follow import Follow
from app.models.image import PostImage
from app.models.job import Job
from app.models.login_session import LoginSession, load_user
from app.models.message import Message
from app.models.moderation_action import ModerationAction
from app.models.mute import Mute
from app.models.notification import Notification
from app.models.notification_preference import NotificationPreference
from app.models.onboarding import Onboarding
from app.models.outbox import OutboxMail
from app.models.post import Post
from app.models.report import Report
from app.models.role import Permission, Role
from app.models.role_change import RoleChange
from app.models.tag import Tag, TagFollow, post_tags
from app.models.two_factor import RecoveryCode, TwoFactor
from app.models.user import User

__all__ = [
    "ActorKey",
    "AnonymousUser",
    "ApiToken",
    "AuditEntry",
    "Block",
    "Comment",
    "DataExport",
    "Delivery",
    "DomainBlock",
    "Follow",
    "FollowerApproval",
    "Job",
    "LoginSession",
    "Message",
    "ModerationAction",
    "Mute",
    "Notification",
    "NotificationPreference",
    "Onboarding",
    "OutboxMail",
    "PendingFollower",
    "Permission",
    "Post",
    "PostImage",
    "Reaction",
    "RecoveryCode",
    "RemoteActor",
    "RemoteFollow",
    "RemoteObject",
    "Report",
    "Role",
    "RoleChange",
    "SeenActivity",
    "Tag",
    "TagFollow",
    "TwoFactor",
    "UTCDateTime",
    "User",
    "load_user",
    "post_tags",
    "utcnow",
]
