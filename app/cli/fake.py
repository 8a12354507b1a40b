"""``flask fake``: fill the database with realistic fake data (app/fake/)."""

from contextlib import AbstractContextManager
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect

from app.extensions import db
from app.fake import FAKE_PASSWORD, fill
from app.models import User


def _bar(length: int, label: str) -> AbstractContextManager:
    return click.progressbar(length=length, label=label, show_pos=True, show_percent=True)


@click.command("fake")
@click.option("--users", default=100, show_default=True, help="Users to create.")
@click.option("--posts", default=1_000, show_default=True, help="Posts, spread over users.")
@click.option("--follows", default=10, show_default=True, help="Follows per user.")
@click.option("--comments", default=1_000, show_default=True, help="Comments, spread over posts.")
@click.option("--seed", type=int, default=None, help="Make the data reproducible.")
@with_appcontext
def fake_command(users: int, posts: int, follows: int, comments: int, seed: int | None) -> None:
    """Fill the database with realistic fake users, posts, follows and comments.

    Every fake user is confirmed and logs in with the password "password".
    Run `flask deploy` first so that the tables exist.
    """
    if min(users, posts, follows, comments) < 0:
        raise click.BadParameter("sizes cannot be negative")
    if not inspect(db.engine).has_table(User.__tablename__):
        raise click.ClickException("The database has no tables yet: run `flask deploy` first.")
    started = datetime.now(UTC)
    counts = fill(users, posts, follows, comments, seed=seed, progress=_bar)
    seconds = (datetime.now(UTC) - started).total_seconds()
    summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
    click.echo(f"Added {summary} in {seconds:.1f}s. Password for every fake user: "
               f"{FAKE_PASSWORD!r}.")
