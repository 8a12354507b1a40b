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


def _queries(app, path: str, headers: dict[str, str], email: str, password: str) -> int:
    """The statements a repeated request for ``path`` runs (two warm it up: a signed-in
    page is stored once the session holds its CSRF secret)."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    client = app.test_client()
    if headers.get("Cookie"):
        client.post("/auth/login", data={"email": email, "password": password})
        client.set_cookie("show_followed", "1")
    extra = {key: value for key, value in headers.items() if key != "Cookie"}
    client.get(path, headers=extra)
    client.get(path, headers=extra)
    with counting_queries(engine) as statements:
        response = client.get(path, headers=extra)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} to the query counter")
    return len(statements)


def count_queries(make_app, pages: dict[str, tuple[str, dict[str, str]]], email: str,
                  password: str) -> dict[str, tuple[int, int]]:
    """SQL statements per page: (with the cache off, with the cache on)."""
    uncached, cached = make_app(FLASKY_CACHE=False), make_app(FLASKY_CACHE=True)
    return {name: (_queries(uncached, path, headers, email, password),
                   _queries(cached, path, headers, email, password))
            for name, (path, headers) in pages.items()}
