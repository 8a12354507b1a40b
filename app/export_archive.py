"""The zip of one person's data (app/exports.py builds and stores it):

* ``profile.json``: the account;
* ``posts.json``, ``comments.json``: what they wrote, oldest first;
* ``following.json``, ``followers.json``: whom they follow, who follows them;
* ``posts/<date>-<id>.md``: each post as a Markdown file.

Rows are read in batches of ``BATCH_SIZE``, each a keyset query (``WHERE key >
last ORDER BY key LIMIT n``) in a read of its own, so the cost of a batch does
not grow with the person's history and nothing is held between batches.
"""

import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from flask_babel import _, format_number
from sqlalchemy import Row, Select, func, select

from app.extensions import db
from app.models import Comment, Follow, Post, User

BATCH_SIZE = 500
# Reading is this share of the job's progress; storing the zip is the rest.
READING_SHARE = 90

Progress = Callable[[float, str], None]


def profile_of(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "location": user.location,
        "about_me": user.about_me,
        "member_since": user.member_since.isoformat(),
        "last_seen": user.last_seen.isoformat(),
        "role": user.role.name if user.role is not None else None,
        "confirmed": user.confirmed,
    }


def post_to_dict(row: Row) -> dict[str, Any]:
    return {"id": row.id, "timestamp": row.timestamp.isoformat(), "title": row.title,
            "draft": row.draft, "body": row.body}


def post_file(row: Row) -> tuple[str, str]:
    """The Markdown file of one post: its name and its text, the title (a JSON
    string, which YAML reads too) and a draft's mark in the front matter."""
    name = f"posts/{row.timestamp:%Y-%m-%d}-{row.id}.md"
    title = f"title: {json.dumps(row.title, ensure_ascii=False)}\n" if row.title else ""
    draft = "draft: true\n" if row.draft else ""
    text = (f"---\nid: {row.id}\ntimestamp: {row.timestamp.isoformat()}\n{title}{draft}"
            f"---\n\n{row.body}\n")
    return name, text


def comment_to_dict(row: Row) -> dict[str, Any]:
    return {"id": row.id, "post_id": row.post_id, "timestamp": row.timestamp.isoformat(),
            "body": row.body, "disabled": row.disabled}


def follow_to_dict(row: Row) -> dict[str, Any]:
    return {"username": row.username, "since": row.timestamp.isoformat()}


def queries(user_id: int) -> dict[str, Select]:
    """What goes into each JSON file; the first column is the (unique) batch key."""
    return {
        "posts.json": select(Post.id, Post.timestamp, Post.title, Post.draft, Post.body)
        .where(Post.author_id == user_id),
        "comments.json": select(Comment.id, Comment.post_id, Comment.timestamp, Comment.body,
                                Comment.disabled).where(Comment.author_id == user_id),
        "following.json": select(Follow.followed_id, User.username, Follow.timestamp)
        .join(User, User.id == Follow.followed_id).where(Follow.follower_id == user_id),
        "followers.json": select(Follow.follower_id, User.username, Follow.timestamp)
        .join(User, User.id == Follow.follower_id).where(Follow.followed_id == user_id),
    }


def batches(query: Select, size: int = BATCH_SIZE) -> Iterator[list[Row]]:
    """The rows of ``query`` in order of its first column, ``size`` at a time."""
    key = query.selected_columns[0]
    last = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = db.session.execute(page.order_by(key).limit(size)).all()
        db.session.commit()  # end this read: nothing is held between batches
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1][0]


class _Counter:
    """Turns rows read into the job's progress."""

    def __init__(self, total: int, report: Progress) -> None:
        self.total, self.done, self.report = max(total, 1), 0, report

    def add(self, rows: int, what: str) -> None:
        self.done += rows
        self.report(READING_SHARE * self.done / self.total,
                    _("Collecting your data: %(what)s (%(done)s of %(total)s items).", what=what,
                      done=format_number(self.done), total=format_number(self.total)))


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


class _JsonList:
    """A JSON list written item by item to ``stream``."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.first = stream, True
        stream.write(b"[")

    def add(self, item: dict[str, Any]) -> None:
        self.stream.write(b"\n  " if self.first else b",\n  ")
        self.stream.write(json.dumps(item, ensure_ascii=False).encode())
        self.first = False

    def close(self) -> None:
        self.stream.write(b"]\n" if self.first else b"\n]\n")


def write_archive(user: User, file: IO[bytes], report: Progress) -> None:
    """Write ``user``'s zip to ``file``, reporting progress as batches are read."""
    sources = queries(user.id)
    counter = _Counter(sum(_count(query) for query in sources.values()), report)
    profile = json.dumps(profile_of(user), ensure_ascii=False, indent=2)
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", profile + "\n")
        _write_posts(archive, sources.pop("posts.json"), counter)
        shapes = {"comments.json": comment_to_dict, "following.json": follow_to_dict,
                  "followers.json": follow_to_dict}
        for name, query in sources.items():
            with archive.open(name, "w") as stream:
                items = _JsonList(stream)
                for rows in batches(query):
                    for row in rows:
                        items.add(shapes[name](row))
                    counter.add(len(rows), name.removesuffix(".json"))
                items.close()


def _write_posts(archive: zipfile.ZipFile, query: Select, counter: _Counter) -> None:
    """One Markdown file per post, and posts.json: a zip takes one file at a
    time, so the list collects in a temporary file and goes in last."""
    with tempfile.TemporaryFile() as listing:
        items = _JsonList(listing)
        for rows in batches(query):
            for row in rows:
                items.add(post_to_dict(row))
                archive.writestr(*post_file(row))
            counter.add(len(rows), "posts")
        items.close()
        listing.seek(0)
        with archive.open("posts.json", "w") as stream:
            shutil.copyfileobj(listing, stream)
