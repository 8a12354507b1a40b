"""The week's busiest tags and people, and what waits for the moderators.

The busiest are found from the week's posts and comments, read by their
timestamp indexes (migration 0011) and grouped; names are loaded for the top ten only.
Drafts are left out: a tag or an author is busy with what people can read.
"""

from datetime import timedelta
from typing import Any

from sqlalchemy import func, literal, select, union_all

from app.extensions import db
from app.models import Comment, Post, Report, Tag, User, post_tags, utcnow
from app.social.suspensions import FOR_GOOD

LEADERS = 10
WEEK = timedelta(days=7)


def _week(*columns: Any, model: Any) -> Any:
    """The week's rows of ``model`` (published posts only), gathered first
    (MATERIALIZED), so the database reads them by their timestamp index rather
    than walking another index to group them."""
    since = utcnow() - WEEK
    query = select(*columns).where(model.timestamp >= since)
    if model is Post:
        query = query.where(Post.published())
    return query.cte(f"week_{model.__tablename__}").prefix_with("MATERIALIZED")


def busiest_tags(limit: int = LEADERS) -> list[dict[str, Any]]:
    """The tags of the most posts published this week, with their counts."""
    week = _week(Post.id, model=Post)
    posts = func.count().label("posts")
    counted = (select(post_tags.c.tag_id, posts)
               .select_from(week).join(post_tags, post_tags.c.post_id == week.c.id)
               .group_by(post_tags.c.tag_id).order_by(posts.desc(), post_tags.c.tag_id)
               .limit(limit).subquery())
    query = (select(Tag.name, counted.c.posts).join(counted, counted.c.tag_id == Tag.id)
             .order_by(counted.c.posts.desc(), Tag.key))
    return [{"name": name, "posts": posts} for name, posts in db.session.execute(query)]


def busiest_people(limit: int = LEADERS) -> list[dict[str, Any]]:
    """The people who wrote the most posts and comments this week."""
    posts = _week(Post.author_id.label("person"), model=Post)
    comments = _week(Comment.author_id.label("person"), model=Comment)
    writing = union_all(
        select(posts.c.person, literal(1).label("posts"), literal(0).label("comments")),
        select(comments.c.person, literal(0).label("posts"), literal(1).label("comments")),
    ).subquery()
    totals = (select(writing.c.person, func.sum(writing.c.posts).label("posts"),
                     func.sum(writing.c.comments).label("comments"))
              .group_by(writing.c.person)
              .order_by(func.count().desc(), writing.c.person).limit(limit).subquery())
    query = (select(User.username, totals.c.posts, totals.c.comments)
             .join(totals, totals.c.person == User.id)
             .order_by((totals.c.posts + totals.c.comments).desc(), func.lower(User.username)))
    return [{"username": username, "posts": int(posts), "comments": int(comments)}
            for username, posts, comments in db.session.execute(query)]


def moderation_queue() -> dict[str, Any]:
    """Open reports, and the accounts suspended now (for a while and for good)."""
    now = utcnow()
    open_reports = db.session.scalar(
        select(func.count()).select_from(Report).where(Report.status == Report.OPEN))
    suspended = db.session.execute(
        select(func.count().filter(User.suspended_until < FOR_GOOD),
               func.count().filter(User.suspended_until >= FOR_GOOD))
        .where(User.suspended_until > now)).one()
    return {"open_reports": open_reports, "suspended_for_a_while": suspended[0],
            "suspended_for_good": suspended[1]}
