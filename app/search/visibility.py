"""Who may find what: the one filter every search goes through (the results
page, its counts and the API), so search never shows what the pages would not.

Today: a disabled comment is found only by those who may read it on its page
(moderators, app/access.py), and a draft by nobody. A later rule (blocked people,
suspended accounts) is one more clause here, for every kind it concerns.
"""

from typing import Any

from sqlalchemy import Select

from app.access import can_read_disabled_comments
from app.models import Comment, Post, User
from app.social.visibility import without_hidden_in_sql

AUTHORS = {"posts": Post.author_id, "comments": Comment.author_id, "people": User.id}


def visible(kind: str, statement: Select, viewer: Any) -> Select:
    """``statement`` (a select of ``kind``'s rows) without the rows ``viewer``
    (a user, or the anonymous user) may not see."""
    if kind == "comments" and not can_read_disabled_comments(viewer):
        statement = statement.where(Comment.disabled.is_(False))
    if kind == "posts":  # drafts are found by nobody: search shows what is public
        statement = statement.where(Post.published())
    # Nobody finds a suspended account's words; nobody finds those they blocked.
    return without_hidden_in_sql(statement, AUTHORS[kind], viewer, muted_too=False)
