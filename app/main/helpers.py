"""Load-or-404 and pagination helpers that keep the views short."""

from flask import abort, current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Comment, Post, User
from app.pagination import paginate as fast_paginate

MAX_PAGE = 2**31 - 1


def paginate(query: Select, per_page_setting: str) -> Pagination:
    """One page of ``query``, numbered by ``?page=``.

    A page past the end answers 404; a malformed number means page 1.
    """
    page = request.args.get("page", 1, type=int)
    if page > MAX_PAGE:  # no list is that long, and its offset would overflow the database
        abort(404)
    return fast_paginate(query, page=page, per_page=current_app.config[per_page_setting],
                         error_out=True)


def last_page(total: int, per_page_setting: str) -> int:
    per_page = current_app.config[per_page_setting]
    return max(1, (total + per_page - 1) // per_page)


def get_user_or_404(username: str) -> User:
    """The user whatever the case of ``username``; 404 when there is none."""
    user = User.by_username(username)
    if user is None:
        abort(404, description=f"There is no user called {username!r}.")
    return user


def get_post_or_404(post_id: int) -> Post:
    """The post with its author loaded in the same query; 404 when there is none."""
    return db.get_or_404(Post, post_id, options=[joinedload(Post.author)],
                         description="There is no such post. It may have been deleted.")


def get_comment_or_404(comment_id: int) -> Comment:
    return db.get_or_404(Comment, comment_id,
                         description="There is no such comment. It may have been deleted.")


def committed() -> bool:
    """Commit; False (rolled back) when a unique constraint refused the change,
    that is, a concurrent request got there first (same follow, email or
    username)."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
