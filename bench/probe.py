"""In-process looks at the seeded database: what to request, and the SQL each page runs."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event, func, select


@dataclass
class Targets:
    email: str  # the user who logs in (for the Followed tab and the API token)
    profile: str  # the username with the most posts
    post_id: int  # the post with the most comments
    post_comments: int


def find_targets(app) -> Targets:
    from app.extensions import db
    from app.models import Comment, Post, User

    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))
        email = db.session.scalar(select(User.email).order_by(User.id).offset(users // 2))
        author_id = db.session.execute(
            select(Post.author_id).group_by(Post.author_id)
            .order_by(func.count().desc()).limit(1)).scalar_one()
        post_id, comments = db.session.execute(
            select(Comment.post_id, func.count()).group_by(Comment.post_id)
            .order_by(func.count().desc()).limit(1)).one()
        profile = db.session.get(User, author_id).username
    return Targets(email=email, profile=profile, post_id=post_id, post_comments=comments)


@contextmanager
def counting_queries(engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_queries(app, pages: dict[str, tuple[str, dict[str, str]]], email: str,
                  password: str) -> dict[str, tuple[int, int, int]]:
    """(status, queries on the first request, queries on a repeat) for each page."""
    from app.extensions import db

    counts = {}
    with app.app_context():
        engine = db.engine
    for name, (path, headers) in pages.items():
        client = app.test_client()
        if headers.get("Cookie"):
            client.post("/auth/login", data={"email": email, "password": password})
            client.set_cookie("show_followed", "1")
        extra = {key: value for key, value in headers.items() if key != "Cookie"}
        runs = []
        for _ in range(2):
            with counting_queries(engine) as statements:
                response = client.get(path, headers=extra)
            runs.append(len(statements))
        counts[name] = (response.status_code, runs[0], runs[1])
    return counts
