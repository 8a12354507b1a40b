"""``flask search reindex``: rebuild the search index from the tables (app/search/)."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.search import KINDS
from app.search.rebuild import rebuild, rows_to_index

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
    connection = db.session.connection()
    with click.progressbar(length=rows_to_index(connection, kinds), label="indexing",
                           show_pos=True, show_percent=True) as bar:
        for kind in kinds:
            rebuild(connection, kind, bar.update)
    db.session.commit()
    click.echo(f"Rebuilt the search index of {', '.join(kinds)}.")
