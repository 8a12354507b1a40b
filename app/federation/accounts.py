"""Who is local and who is remote.

A remote account is a ``User`` row named ``name@host`` with a ``RemoteActor``
beside it. Local usernames cannot contain ``@`` (app/forms.py), so the name
alone tells the two apart where no query is wanted.
"""

from sqlalchemy import select

from app.extensions import db
from app.models import RemoteActor, User


def is_remote_name(username: str) -> bool:
    return "@" in username


def local_user(username: str) -> User | None:
    """The local account called ``username`` (any case), or None."""
    if is_remote_name(username):
        return None
    user = User.by_username(username)
    return user if user is not None and not user.deleting else None


def remote_actor_of(user: User | int) -> RemoteActor | None:
    user_id = user if isinstance(user, int) else user.id
    if user_id is None:
        return None
    return db.session.scalar(select(RemoteActor).where(RemoteActor.user_id == user_id))


def remote_actor_by_uri(uri: str) -> RemoteActor | None:
    return db.session.scalar(select(RemoteActor).where(RemoteActor.uri == uri))


def local_users_count() -> int:
    from sqlalchemy import func

    remote = select(RemoteActor.user_id)
    return db.session.scalar(select(func.count(User.id)).where(
        User.id.not_in(remote), User.confirmed.is_(True))) or 0


# Remote accounts have no mailbox here: an address under a documentation domain
# (RFC 2606), unique per account, that no mail can reach.
REMOTE_EMAIL_DOMAIN = "remote-account.example"


def remote_email(uri: str) -> str:
    import hashlib

    return f"{hashlib.sha256(uri.encode()).hexdigest()[:32]}@{REMOTE_EMAIL_DOMAIN}"
