"""What each model's rows change on cached pages: the one place that says so.

``MODELS`` maps a model to its ``Tags``:

* ``shown(row)``: the tags a page that loaded the row shows (recorded on load, see
  ``entries``): a comment is part of its post (``post:<id>``);
* ``changed(row)``: the tags a write of the row moves (recorded by the session
  events below, bumped after the commit). Inserting or deleting a row also moves
  ``table:<its table>``, which lists of the whole table show.

The tags: ``post:<id>`` (a post, its comments and count), ``user:<id>`` (a
person as every page shows them: name, avatar, profile text), ``profile:<id>``
(what a profile lists and counts: their posts and follows; ``page_keys.PAGES``
says which pages list a profile), ``table:<name>`` (lists of a whole table).
A new comment therefore changes its post's page and the cards and lists that show
that post, and nothing else; a new post changes the timelines (``table:posts``) and
its author's profile (``profile:<author>``); a profile edit changes ``user:<id>``;
a follow changes both profiles.

A model that is not listed, nor quiet, moves ``*``, which every entry shows: its
writes show at once everywhere, only less narrowly. To plug a new model in, add one
line to ``MODELS``; models no page shows go to ``QUIET_MODELS``. The rules:

1. a tag a write moves must be one that every page showing the write records: on
   load (``shown``), or declared in ``page_keys.PAGES`` (``lists``, ``profile``) for
   rows a page shows without loading them (a new row; a count);
2. an *update* that can make a row join or leave a list (a draft published, a post
   hidden) must move that list's tags in ``changed`` too (``table:posts``,
   ``profile:<author>``): the pages listing it never loaded it;
3. a row's tags must come from its own columns, not a query (they run in a flush).

Examples for models to come: tags on posts, ``PostTag(post_id, tag_id)``:
``shown=changed=lambda row: (f"post:{row.post_id}", f"tag:{row.tag_id}")``, and a
page listing a tag's posts declares ``tag:<id>``; something shown only to its
recipient (a notification, a message, a block), ``changed=lambda row:
(f"viewer:{row.recipient_id}",)``: every signed-in page records ``viewer:<its
viewer>`` (and ``user:`` and ``profile:`` of the viewer).

No view has to remember to invalidate anything: the session events (``events``)
move the tags of every row a commit wrote.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect

from app.hashtags import tag_key
from app.models import (
    ActorKey,
    ApiToken,
    AuditEntry,
    Block,
    Comment,
    DataExport,
    Delivery,
    DomainBlock,
    Follow,
    FollowerApproval,
    Job,
    LoginSession,
    Message,
    ModerationAction,
    Mute,
    Notification,
    NotificationPreference,
    Onboarding,
    OutboxMail,
    PendingFollower,
    Post,
    PostImage,
    Reaction,
    RecoveryCode,
    RemoteActor,
    RemoteFollow,
    RemoteObject,
    Report,
    RoleChange,
    SeenActivity,
    Tag,
    TagFollow,
    TwoFactor,
    User,
)
from app.rendering import post_hashtags


def _nothing(row: Any) -> tuple[str, ...]:
    return ()


EVERYTHING = "*"  # every entry shows it
MODERATORS = "moderators"  # every page a moderator sees shows it


def _hashtags_changed(post: Post) -> bool:
    """Whether an edit files the post under other tags (the old text unknown: yes)."""
    history = inspect(post).attrs.body.history
    if not history.has_changes():
        return False
    if not history.deleted:
        return True
    def filed_under(text: str | None) -> set[str]:
        return {tag_key(name) for name in post_hashtags(text or "")}

    return filed_under(history.deleted[0]) != filed_under(post.body)


def _post_changed(post: Post) -> tuple[str, ...]:
    if inspect(post).attrs.draft.history.has_changes():
        return (f"post:{post.id}", "table:posts", f"profile:{post.author_id}")
    if _hashtags_changed(post):  # it joins or leaves the Followed tabs of tags' followers
        return (f"post:{post.id}", "table:posts")
    return (f"post:{post.id}",)


@dataclass(frozen=True)
class Tags:
    shown: Callable[[Any], Iterable[str]]
    changed: Callable[[Any], Iterable[str]]
    # Moved too when a row is inserted or deleted (besides ``table:<its table>``).
    listed_in: Callable[[Any], Iterable[str]] = _nothing


MODELS: dict[type, Tags] = {
    # A new or deleted post changes its author's profile (the count, the list).
    # A draft published joins the lists (rule 2), as a new post does.
    Post: Tags(shown=lambda post: (f"post:{post.id}",), changed=_post_changed,
               listed_in=lambda post: (f"profile:{post.author_id}",)),
    PostImage: Tags(shown=lambda image: (f"post:{image.post_id}",),
                    changed=lambda image: (f"post:{image.post_id}",)),
    Comment: Tags(shown=lambda comment: (f"post:{comment.post_id}",),
                  changed=lambda comment: (f"post:{comment.post_id}",)),
    User: Tags(shown=lambda user: (f"user:{user.id}",), changed=lambda user: (f"user:{user.id}",)),
    # Both profiles count it; the follower's Followed tab lists the other's posts.
    Follow: Tags(shown=lambda follow: (f"profile:{follow.follower_id}",
                                       f"profile:{follow.followed_id}"),
                 changed=lambda follow: (f"profile:{follow.follower_id}",
                                         f"profile:{follow.followed_id}")),
    # Seen only by the people concerned: every signed-in page records its viewer.
    Notification: Tags(shown=_nothing, changed=lambda note: (f"viewer:{note.user_id}",)),
    Message: Tags(shown=_nothing, changed=lambda message: (f"viewer:{message.sender_id}",
                                                           f"viewer:{message.recipient_id}")),
    # What a block or a mute hides, it hides from the pages of the two people.
    Block: Tags(shown=_nothing, changed=lambda block: (f"viewer:{block.blocker_id}",
                                                       f"viewer:{block.blocked_id}")),
    Mute: Tags(shown=_nothing, changed=lambda mute: (f"viewer:{mute.muter_id}",)),
    # A tag followed or no longer: its posts join or leave the follower's Followed tab.
    TagFollow: Tags(shown=_nothing, changed=lambda follow: (f"viewer:{follow.user_id}",)),
    # Reports and moderators' actions are read on moderation pages, which are never
    # cached; ``moderators`` (recorded by every page a moderator sees) keeps any of
    # their pages that comes to show them true, and the people concerned see theirs.
    # What an action does (a comment disabled, a post deleted, a suspension) is
    # written in its own rows, which move their own tags.
    Report: Tags(shown=_nothing, changed=lambda report: (
        MODERATORS, *((f"viewer:{report.reporter_id}",) if report.reporter_id else ()))),
    ModerationAction: Tags(shown=_nothing, changed=lambda action: (
        MODERATORS, *((f"viewer:{action.user_id}",) if action.user_id else ()))),
    Onboarding: Tags(shown=_nothing, changed=lambda row: (f"viewer:{row.user_id}",)),  # its owner's
    # Likes and boosts from other servers: counted on their post's page (federation).
    Reaction: Tags(shown=lambda reaction: (f"post:{reaction.post_id}",),
                   changed=lambda reaction: (f"post:{reaction.post_id}",)),
}
# Rows no page shows: writing them changes nothing a visitor sees.
# Notification preferences too: digests write them every minute and no page shows them.
# The audit log is read on administration pages only, which are never cached.
# Federation's bookkeeping too: what pages show of it (remote posts, comments and
# accounts) is written as Post, Comment and User rows.
# A tag shows only through its posts: a post's tags follow its text, so the post
# moves (``post:<id>``, and ``table:posts`` when its tags change, see ``_post_changed``).
# Role changes are an administrators' log; the user's new role moves ``user:<id>``.
# (A Role itself is not listed: a role's permissions change what all its people see.)
QUIET_MODELS = (ApiToken, AuditEntry, DataExport, Job, LoginSession, NotificationPreference,
                OutboxMail, RecoveryCode, TwoFactor, ActorKey, Delivery, DomainBlock,
                FollowerApproval, PendingFollower, RemoteActor, RemoteFollow, RemoteObject,
                SeenActivity, Tag, RoleChange)
QUIET_TABLES = frozenset(model.__tablename__ for model in QUIET_MODELS)
# What a bulk UPDATE or DELETE (which may change any row of its table) moves, for the
# tables whose rows show in fewer places than everywhere; other tables move ``*``.
BULK_TAGS: dict[str, tuple[str, ...]] = {
    "reports": (MODERATORS,),  # closing every open report of one thing at once
    "moderation_actions": (MODERATORS,),
}
# User columns whose change no cached page needs to show at once, and those whose
# change shows on other pages than the person's own: the bell's count only on the
# pages its owner sees; a suspension on every page that lists their posts.
QUIET_USER_COLUMNS = frozenset({"last_seen"})
USER_COLUMN_TAGS: dict[str, Callable[[User], Iterable[str]]] = {
    "unread_notifications": lambda user: (f"viewer:{user.id}",),
    "suspended_until": lambda user: (EVERYTHING,),
}


def _changed_user_tags(user: User) -> set[str]:
    state = inspect(user)
    moved: set[str] = set()
    for key in state.mapper.attrs.keys():
        if key in QUIET_USER_COLUMNS or getattr(state.mapper.attrs[key], "uselist", False):
            continue
        if state.attrs[key].history.has_changes():
            moved.update(USER_COLUMN_TAGS.get(key, MODELS[User].changed)(user))
    return moved


def changed_tags(instance: object, new_or_deleted: bool) -> set[str]:
    """The tags a write of ``instance`` moves (none for quiet rows and columns)."""
    if isinstance(instance, QUIET_MODELS):
        return set()
    tags = MODELS.get(type(instance))
    if tags is None:
        return {EVERYTHING}
    if new_or_deleted:
        return {*tags.changed(instance), *tags.listed_in(instance),
                f"table:{type(instance).__tablename__}"}
    if isinstance(instance, User):
        return _changed_user_tags(instance)
    return set(tags.changed(instance))


def shown_tags(instance: object) -> Iterable[str]:
    tags = MODELS.get(type(instance))
    return tags.shown(instance) if tags is not None else ()
