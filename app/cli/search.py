"""``flask search reindex``: rebuild the search index from the tables (app/search/)."""

from contextlib import AbstractContextManager

import click
from flask.cli import AppGroup

from app.extensions import db
from app.search import KINDS
from app.search.rebuild import rebuild


def _bar(length: int, label: str) -> AbstractContextManager:
    return click.progressbar(length=length, label=label, show_pos=True, show_percent=True)


search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
@click.option("--kind", "kinds", type=click.Choice(KINDS), multiple=True,
              help="Only this kind (repeat for several); all by default.")
def reindex(kinds: tuple[str, ...]) -> None:
    """Rebuild the search index of posts, comments and people from the tables.

    For rows written around Flasky (a restored dump, a bulk load): the index is
    otherwise kept in step by the database itself. Searches see the old index
    until the new one is committed.
    """
    kinds = kinds or KINDS
    rebuild(db.session.connection(), kinds, progress=_bar)
    db.session.commit()
    click.echo(f"Rebuilt the search index of {', '.join(kinds)}.")
