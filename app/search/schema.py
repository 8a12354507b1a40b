"""The search index in each database, kept in step with the tables by the
database itself, in the writing transaction.

SQLite: per indexed table an FTS5 table (``posts_fts``, ``comments_fts``,
``users_fts``; tokenizer unicode61 with remove_diacritics 2) whose external
content is a view of the table's text in index form (``posts_fts_source``:
``flasky_search_text(body)``, text.py), and three triggers (after insert, after
delete, after an update of the indexed columns) that feed it. The function is
registered on every connection Flasky opens (``register_search_schema``);
another program writing these tables needs it too (docs/search.md).

PostgreSQL: per indexed table a generated ``search_vector tsvector`` column
(the 'simple' configuration, over the same index form) with a GIN index.

The models know nothing of these objects: ``db.create_all()`` adds them through
table events, migration 0007 for a real database, and ``include_name`` keeps
Alembic from proposing to drop them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import Connection, Table, bindparam, event, text
from sqlalchemy.engine import Engine

from app.extensions import db
from app.models import Comment, Post, User
from app.search.text import index_text, postgres_index_text

FUNCTION = "flasky_search_text"
TOKENIZER = "unicode61 remove_diacritics 2"
VECTOR = "search_vector"


@dataclass(frozen=True)
class Indexed:
    """One searchable kind: its model and the text columns it is found by."""

    kind: str
    model: type
    columns: tuple[str, ...]

    @property
    def table(self) -> str:
        return self.model.__tablename__

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def source(self) -> str:
        return f"{self.table}_fts_source"

    @property
    def vector_index(self) -> str:
        return f"ix_{self.table}_{VECTOR}"

    def triggers(self) -> dict[str, str]:
        return {f"{self.fts}_{event_}": event_ for event_ in ("insert", "delete", "update")}


INDEXED = {
    "posts": Indexed("posts", Post, ("title", "body")),
    "comments": Indexed("comments", Comment, ("body",)),
    "people": Indexed("people", User, ("username", "name")),
}
_TABLE_NAMES = "|".join(indexed.table for indexed in INDEXED.values())
# The FTS tables and the shadow tables FTS5 keeps beside each.
_SEARCH_TABLE = re.compile(f"(?:{_TABLE_NAMES})_fts(?:_(?:data|idx|docsize|config|content))?")


# -- SQLite ------------------------------------------------------------------

def _values(indexed: Indexed, row: str) -> str:
    return ", ".join(f"{FUNCTION}({row}.{column})" for column in indexed.columns)


def sqlite_statements(indexed: Indexed) -> list[str]:
    columns = ", ".join(indexed.columns)
    insert = (f"INSERT INTO {indexed.fts}(rowid, {columns}) "  # nosec B608: table and column names from the fixed index list
              f"VALUES (new.id, {_values(indexed, 'new')});")
    delete = (f"INSERT INTO {indexed.fts}({indexed.fts}, rowid, {columns}) "  # nosec B608: table and column names from the fixed index list
              f"VALUES ('delete', old.id, {_values(indexed, 'old')});")
    on = {"insert": "AFTER INSERT", "delete": "AFTER DELETE",
          "update": f"AFTER UPDATE OF {columns}"}
    body = {"insert": insert, "delete": delete, "update": f"{delete} {insert}"}
    selected = ", ".join(f"{FUNCTION}({column}) AS {column}" for column in indexed.columns)
    return [
        f"CREATE VIEW {indexed.source} AS SELECT id, {selected} FROM {indexed.table}",  # nosec B608: table and column names from the fixed index list
        f"CREATE VIRTUAL TABLE {indexed.fts} USING fts5({columns}, "
        f"content='{indexed.source}', content_rowid='id', tokenize='{TOKENIZER}')",
        *(f"CREATE TRIGGER {name} {on[action]} ON {indexed.table} BEGIN {body[action]} END"
          for name, action in indexed.triggers().items()),
    ]


def sqlite_drop_statements(indexed: Indexed) -> list[str]:
    return [*(f"DROP TRIGGER IF EXISTS {name}" for name in indexed.triggers()),
            f"DROP TABLE IF EXISTS {indexed.fts}", f"DROP VIEW IF EXISTS {indexed.source}"]


def _add_function(dbapi_connection, connection_record) -> None:
    dbapi_connection.create_function(FUNCTION, 1, index_text, deterministic=True)


# -- PostgreSQL --------------------------------------------------------------

def postgres_vector(indexed: Indexed) -> str:
    """The tsvector of a row: the first column (a username, a title) weighs most."""
    vectors = [f"to_tsvector('simple', {postgres_index_text(column)})"
               for column in indexed.columns]
    if len(vectors) > 1:
        vectors[0] = f"setweight({vectors[0]}, 'A')"
    return " || ".join(vectors)


def postgres_statements(indexed: Indexed) -> list[str]:
    return [
        f"ALTER TABLE {indexed.table} ADD COLUMN {VECTOR} tsvector "
        f"GENERATED ALWAYS AS ({postgres_vector(indexed)}) STORED",
        f"CREATE INDEX {indexed.vector_index} ON {indexed.table} USING gin ({VECTOR})",
    ]


def postgres_drop_statements(indexed: Indexed) -> list[str]:
    return [f"DROP INDEX IF EXISTS {indexed.vector_index}",
            f"ALTER TABLE {indexed.table} DROP COLUMN IF EXISTS {VECTOR}"]


# -- both ----------------------------------------------------------------------

def statements(dialect: str, indexed: Indexed, drop: bool = False) -> list[str]:
    if dialect == "sqlite":
        return (sqlite_drop_statements if drop else sqlite_statements)(indexed)
    if dialect == "postgresql":
        return (postgres_drop_statements if drop else postgres_statements)(indexed)
    return []


def execute(connection: Connection, sql: list[str]) -> None:
    for statement in sql:
        connection.exec_driver_sql(statement)


def install(connection: Connection, indexed: Indexed) -> None:
    execute(connection, statements(connection.dialect.name, indexed))


def uninstall(connection: Connection, indexed: Indexed) -> None:
    execute(connection, statements(connection.dialect.name, indexed, drop=True))


def installed(connection: Connection, indexed: Indexed) -> bool:
    """Whether every object of ``indexed``'s index is in the database."""
    if connection.dialect.name == "sqlite":
        names = {indexed.fts, indexed.source, *indexed.triggers()}
        found = connection.execute(
            text("SELECT name FROM sqlite_master WHERE name IN :names").bindparams(
                bindparam("names", expanding=True)), {"names": sorted(names)})
        return set(found.scalars()) == names
    found = connection.execute(text(
        "SELECT count(*) FROM pg_indexes WHERE indexname = :name"), {"name": indexed.vector_index})
    return found.scalar() == 1


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's filter: leave the search objects out of autogenerate's comparison."""
    if type_ == "table":
        return not _SEARCH_TABLE.fullmatch(name or "")
    if type_ == "column":
        return name != VECTOR
    if type_ == "index":
        return not (name or "").endswith(f"_{VECTOR}")
    return True


def _created(indexed: Indexed) -> Callable[..., None]:
    def listener(table: Table, connection: Connection, **kwargs: object) -> None:
        install(connection, indexed)

    return listener


def _dropped(indexed: Indexed) -> Callable[..., None]:
    def listener(table: Table, connection: Connection, **kwargs: object) -> None:
        if connection.dialect.name == "sqlite":  # PostgreSQL's go with their table
            uninstall(connection, indexed)

    return listener


_TABLE_EVENTS = {kind: (_created(indexed), _dropped(indexed))
                 for kind, indexed in INDEXED.items()}


def register_search_schema(app: Flask) -> None:
    """The SQLite function on every connection, and the index objects created and
    dropped with their tables by ``db.create_all()`` and ``db.drop_all()``."""
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _add_function):
        event.listen(engine, "connect", _add_function)
    for kind, (created, dropped) in _TABLE_EVENTS.items():
        table = db.metadata.tables[INDEXED[kind].table]
        if not event.contains(table, "after_create", created):
            event.listen(table, "after_create", created)
            event.listen(table, "before_drop", dropped)
