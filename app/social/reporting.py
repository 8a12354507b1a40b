"""Reports and what moderators do about them.

Anyone signed in reports a post, a comment, a message they received or a
person, once per thing (again is the same report). Moderators act on a report
from /moderate/reports: dismiss it, disable the comment, delete the post or the
message, warn the person (by mail), or suspend them for a period or for good.
Every action is recorded with who, why and until when (``ModerationAction``),
and closes every open report of the same thing. The caller commits.
"""

from datetime import timedelta
from typing import Any

from flask_babel import _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.email import send_email
from app.extensions import db
from app.models import (
    Comment,
    LoginSession,
    Message,
    ModerationAction,
    Post,
    Report,
    User,
)
from app.social import suspensions

KINDS = ("post", "comment", "message", "user")
MODELS = {"post": Post, "comment": Comment, "message": Message, "user": User}


class ReportRefused(ValueError):
    """A report that cannot be made; ``str()`` is the sentence to show."""


def author_of(kind: str, thing: Any) -> User:
    return {"post": lambda: thing.author, "comment": lambda: thing.author,
            "message": lambda: thing.sender, "user": lambda: thing}[kind]()


def visible_to(reporter: User, kind: str, thing: Any) -> bool:
    """Whether ``reporter`` may know of ``thing``: a message is its two people's
    alone (anyone else is told there is no such message)."""
    return kind != "message" or thing.recipient_id == reporter.id


# Whole sentences per kind, so each language words them its own way.
OWN = {
    "user": lambda: _("You cannot report yourself."),
    "post": lambda: _("You cannot report your own post."),
    "comment": lambda: _("You cannot report your own comment."),
    "message": lambda: _("You cannot report your own message."),
}


def check(reporter: User, kind: str, thing: Any) -> None:
    """Raise ReportRefused when ``reporter`` may not report ``thing``."""
    if kind == "message" and reporter.id != thing.recipient_id:
        raise ReportRefused(_("You can only report messages sent to you."))
    if author_of(kind, thing).id == reporter.id:
        raise ReportRefused(OWN[kind]())


def existing(reporter: User, kind: str, thing: Any) -> Report | None:
    return db.session.scalar(select(Report).where(Report.reporter_id == reporter.id,
                                                  Report.target == f"{kind}:{thing.id}"))


def report(reporter: User, kind: str, thing: Any, reason: str, details: str) -> Report:
    """A new report (call ``existing`` first: the same thing twice is one report)."""
    check(reporter, kind, thing)
    new = Report(reporter=reporter, target=f"{kind}:{thing.id}", reason=reason,
                 details=details.strip(), user=author_of(kind, thing),
                 **({f"{kind}_id": thing.id} if kind != "user" else {}))
    db.session.add(new)
    return new


def open_reports() -> Select:
    """The moderators' queue, oldest first (first come, first served)."""
    return (select(Report).options(
        joinedload(Report.reporter), joinedload(Report.user),
        joinedload(Report.post).joinedload(Post.author),
        joinedload(Report.comment).joinedload(Comment.post),
        joinedload(Report.message))
        .where(Report.status == Report.OPEN)
        .order_by(Report.timestamp.asc(), Report.id.asc()))


def recent_actions() -> Select:
    return (select(ModerationAction)
            .options(joinedload(ModerationAction.moderator), joinedload(ModerationAction.user),
                     joinedload(ModerationAction.report))
            .order_by(ModerationAction.timestamp.desc(), ModerationAction.id.desc()))


def actions_for(report: Report) -> list[str]:
    """What a moderator may do about ``report``, for the buttons and the checks."""
    actions = [ModerationAction.DISMISS]
    if report.kind == "comment" and report.comment is not None:
        actions.append(ModerationAction.DISABLE_COMMENT)
    if report.kind == "post" and report.post is not None:
        actions.append(ModerationAction.DELETE_POST)
    if report.kind == "message" and report.message is not None:
        actions.append(ModerationAction.DELETE_MESSAGE)
    if report.user is not None:
        actions += [ModerationAction.WARN, ModerationAction.SUSPEND]
    return actions


def _close(report: Report, status: str) -> None:
    db.session.execute(update(Report).where(Report.target == report.target,
                                            Report.status == Report.OPEN)
                       .values(status=status).execution_options(synchronize_session=False))


def act(report: Report, moderator: User, action: str, reason: str,
        period: timedelta | None = None) -> ModerationAction:
    """Do ``action`` about ``report`` and record it; raise ReportRefused for an
    action the report does not allow."""
    if action not in actions_for(report):
        raise ReportRefused(_("That action does not apply to this report."))
    until = None
    if action == ModerationAction.DISABLE_COMMENT:
        report.comment.disabled = True
    elif action == ModerationAction.DELETE_POST:
        db.session.delete(report.post)
    elif action == ModerationAction.DELETE_MESSAGE:
        db.session.delete(report.message)
    elif action == ModerationAction.WARN:
        send_email(report.user.email, _l("A warning from the moderators"), "email/warning",
                   user=report.user, reason=reason)
    elif action == ModerationAction.SUSPEND:
        until = suspensions.suspend(report.user, period)
        LoginSession.end_all(report.user)  # signed out now; signing in is refused
    record = ModerationAction(moderator=moderator, report=report, user=report.user,
                              action=action, reason=reason.strip(), until=until)
    db.session.add(record)
    audit.record(moderator, action, user=report.user, target=f"report:{report.id}",
                 details=record.reason + (f" (until {until.isoformat()})" if until else ""))
    _close(report, Report.DISMISSED if action == ModerationAction.DISMISS else Report.ACTED)
    return record


def load(kind: str, key: str) -> Any | None:
    """The thing a report URL names (a username for people), or None."""
    if kind == "user":
        return User.by_username(key)
    return load_by_id(kind, int(key)) if key.isdigit() and len(key) < 10 else None


def load_by_id(kind: str, id: int) -> Any | None:
    """The thing of ``kind`` with the id ``id`` (the API names people by id), or None."""
    return db.session.get(MODELS[kind], id)
