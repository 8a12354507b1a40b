"""Deleting an account: closed at once, then removed by a job, in batches.

``request_deletion`` (the person on /settings, or an administrator) closes the
account in the caller's transaction: it is marked ``deleting`` (it can no
longer log in), loses its password and its auth stamp, its login sessions and
API tokens end, and the job is queued. The job removes, in transactions of at
most ``BATCH_SIZE`` rows so the site stays responsive: the person's comments,
the comments on their posts, their posts, follows both ways, API tokens,
login sessions, exports and the jobs they own; last, the user row, together
with the confirmation mail to the old address (rendered from the row while it
is still there). The address is then free to register again.

The last Administrator cannot be deleted (app/role_changes.py). The job runs
again after a failure, and deleting a marked account again queues it anew.
"""

from flask_babel import _, format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.exc import IntegrityError

from app.email import send_email
from app.extensions import db
from app.images.files import release
from app.jobs import enqueue, report_progress, task
from app.models import (
    ApiToken,
    Comment,
    DataExport,
    Follow,
    Job,
    LoginSession,
    Post,
    PostImage,
    User,
)
from app.role_changes import LastAdministratorError, other_administrator_exists

BATCH_SIZE = 500


def unique_key(user_id: int) -> str:
    return f"delete-account:{user_id}"


def request_deletion(user: User, by_administrator: bool = False) -> Job | None:
    """Close ``user``'s account and queue its removal; the caller commits.

    Raises LastAdministratorError, changing nothing, for the last
    Administrator. None when the removal is queued or running already; also
    when a racing request queued it a moment ago, and then the session has
    been rolled back (that request closed the account).
    """
    if user.is_administrator() and not other_administrator_exists(user):
        raise LastAdministratorError(user)
    user.deleting = True
    user.password_hash = None
    user.rotate_auth_stamp()  # every session and API token of it dies at once
    LoginSession.end_all(user)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    try:
        return enqueue(delete_account, user.id, by_administrator,
                       unique_key=unique_key(user.id))
    except IntegrityError:
        db.session.rollback()
        return None


def _steps(user_id: int) -> list[tuple[str, type, ColumnElement, ColumnElement]]:
    """What goes, in order: (label, model, batch key, which rows). Comments on the
    posts go before the posts, so no batch cascades to more than its own rows."""
    posts = select(Post.id).where(Post.author_id == user_id)
    return [
        ("comments", Comment, Comment.id, Comment.author_id == user_id),
        ("comments on posts", Comment, Comment.id, Comment.post_id.in_(posts)),
        ("posts", Post, Post.id, Post.author_id == user_id),
        ("following", Follow, Follow.followed_id, Follow.follower_id == user_id),
        ("followers", Follow, Follow.follower_id, Follow.followed_id == user_id),
        ("API tokens", ApiToken, ApiToken.id, ApiToken.user_id == user_id),
        ("login sessions", LoginSession, LoginSession.id, LoginSession.user_id == user_id),
        ("exports", DataExport, DataExport.id, DataExport.user_id == user_id),
        ("jobs", Job, Job.id, Job.owner_id == user_id),
    ]


def _delete_batch(model: type, key: ColumnElement, which: ColumnElement) -> int:
    """Delete up to BATCH_SIZE rows, in a transaction of their own."""
    keys = db.session.scalars(select(key).where(which).order_by(key).limit(BATCH_SIZE)).all()
    if keys:
        db.session.execute(delete(model).where(which, key.in_(keys))
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return len(keys)


@task(attempts=5, backoff=30)
def delete_account(user_id: int, by_administrator: bool = False) -> int:
    """Remove a closed account and everything it owns; returns the rows removed."""
    user = db.session.get(User, user_id)
    if user is None or not user.deleting:
        return 0
    steps = _steps(user_id)
    total = 1 + sum(db.session.scalar(select(func.count()).select_from(model).where(which))
                    for _, model, _, which in steps)
    _delete_images(user_id)
    done = 0
    for label, model, key, which in steps:
        while removed := _delete_batch(model, key, which):
            done += removed
            report_progress(100 * done / total, _("Deleting %(what)s: %(done)s of %(total)s rows.",
                                                what=label, done=format_number(done),
                                                total=format_number(total)))
    _delete_user(user_id, by_administrator)
    return done + 1


def _delete_images(user_id: int) -> None:
    """The images of the user's posts, through the session (not in bulk), so their
    files go with their rows (app/images/files.py)."""
    posts = select(Post.id).where(Post.author_id == user_id)
    while images := db.session.scalars(select(PostImage).where(PostImage.post_id.in_(posts))
                                       .order_by(PostImage.id).limit(BATCH_SIZE)).all():
        for image in images:
            db.session.delete(image)
        db.session.commit()


def _delete_user(user_id: int, by_administrator: bool) -> None:
    """The row and the confirmation mail, in one transaction: the mail goes out
    exactly when the account is gone. Anything added meanwhile (a new follower)
    goes with the row, by the foreign keys' ON DELETE CASCADE."""
    user = db.session.get(User, user_id, populate_existing=True)
    release(user.avatar_image)  # the uploaded avatar's file, once the row is gone
    send_email(user.email, _l("Your account has been deleted"), "email/account_deleted",
               user=user, by_administrator=by_administrator)
    db.session.execute(delete(User).where(User.id == user_id)
                       .execution_options(synchronize_session=False))
    db.session.commit()
