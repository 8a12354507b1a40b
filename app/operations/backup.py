"""A consistent copy of the database, taken while the site runs.

SQLite: the online backup API copies every page in one step, inside one read
transaction: in WAL mode (app/database.py) writers go on writing meanwhile, and
the copy is the database as it was at that moment. (Copying in several steps
would restart whenever another connection writes, and might never finish on a
busy site.) The copy goes to a file beside the target that is renamed into
place once complete and checked, so a half-written backup never carries the
final name. PostgreSQL: ``pg_dump`` in
its custom format (one transaction's snapshot; ``pg_restore`` reads it).
docs/operations.md says how to restore either.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404: pg_dump is run with a fixed argument list
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from app.extensions import db


class BackupError(RuntimeError):
    """The backup could not be written; ``str()`` says why."""


def default_target(dialect: str) -> Path:
    folder = current_app.config["FLASKY_BACKUP_DIR"] or os.path.join(
        current_app.instance_path, "backups")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite" if dialect == "sqlite" else "dump"
    return Path(folder) / f"flasky-{stamp}.{suffix}"


def backup(target: Path | None = None) -> Path:
    """Write the backup to ``target`` (or a dated file in FLASKY_BACKUP_DIR)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = url.get_backend_name()
    if dialect not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {dialect} databases are not supported.")
    target = Path(target or default_target(dialect))
    if target.exists():
        raise BackupError(f"{target} exists already; choose another file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if dialect == "sqlite":
            _sqlite_backup(url.database, partial)
        else:
            _pg_dump(url, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _sqlite_backup(database: str | None, partial: Path) -> None:
    if not database or database == ":memory:":
        raise BackupError("An in-memory database has nothing to back up.")
    if not Path(database).exists():
        raise BackupError(f"There is no database file at {database}.")
    source = sqlite3.connect(database, timeout=current_app.config[
        "FLASKY_SQLITE_BUSY_TIMEOUT"] / 1000)
    copy = sqlite3.connect(partial)
    try:
        with copy:
            source.backup(copy)  # every page in one step, one snapshot
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed its integrity check.")
    finally:
        copy.close()
        source.close()


def _pg_dump(url, partial: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupError("pg_dump was not found: install PostgreSQL's client programs.")
    environment = {**os.environ, "PGPASSWORD": url.password or ""}
    arguments = [program, "--format=custom", "--no-owner", f"--file={partial}",
                 f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}",
                 *([f"--username={url.username}"] if url.username else []),
                 url.database or ""]
    db.session.remove()  # nothing of this process holds a transaction open meanwhile
    result = subprocess.run(arguments, env=environment, capture_output=True,  # nosec B603
                            text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
