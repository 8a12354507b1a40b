"""``flask backup``: a consistent copy of the database while the site runs."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.operations.backup import BackupError, backup


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: a dated file in FLASKY_BACKUP_DIR).")
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Copy the database (SQLite's online backup, or pg_dump) without stopping
    the site; docs/operations.md says how to restore it."""
    try:
        written = backup(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")
