"""search index: FTS5 tables fed by triggers on SQLite, tsvector columns on PostgreSQL

SQLite: for posts, comments and users an FTS5 table (unicode61, remove_diacritics
2) whose external content is a view of the text in index form, and triggers that
keep it in step; the view and the triggers call flasky_search_text(), which Flasky
registers on each of its connections (app/search/text.py, app/search/schema.py).
PostgreSQL: a generated search_vector column ('simple' configuration) with a GIN
index on each table (adding a stored column rewrites the table).

The statements are written out here as they were when this revision was made;
tests/test_migrations.py checks that they build what db.create_all() builds.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00

"""
import string

from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

FUNCTION = "flasky_search_text"
INDEXED = {"posts": ("body",), "comments": ("body",), "users": ("username", "name")}
CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
       "\U00020000-\U0003134f")
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
PUNCTUATION = string.punctuation


def _triggers(table):
    return {f"{table}_fts_{action}": action for action in ("insert", "delete", "update")}


def _sqlite_statements(table, columns):
    names = ", ".join(columns)

    def values(row):
        return ", ".join(f"{FUNCTION}({row}.{column})" for column in columns)

    fts, source = f"{table}_fts", f"{table}_fts_source"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {values('new')});"
    delete = (f"INSERT INTO {fts}({fts}, rowid, {names}) "
              f"VALUES ('delete', old.id, {values('old')});")
    on = {"insert": "AFTER INSERT", "delete": "AFTER DELETE",
          "update": f"AFTER UPDATE OF {names}"}
    body = {"insert": insert, "delete": delete, "update": f"{delete} {insert}"}
    selected = ", ".join(f"{FUNCTION}({column}) AS {column}" for column in columns)
    return [
        f"CREATE VIEW {source} AS SELECT id, {selected} FROM {table}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{source}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        *(f"CREATE TRIGGER {name} {on[action]} ON {table} BEGIN {body[action]} END"
          for name, action in _triggers(table).items()),
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _regex_class(ranges):
    def escape(character):
        if character == "-":
            return character
        code = ord(character)
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return "[" + "".join(escape(character) for character in ranges) + "]"


def _index_text(column):
    spaced = (f"regexp_replace(coalesce({column}, ''), '({_regex_class(CJK)})', "
              "' \\1 ', 'g')")
    bare = f"regexp_replace(normalize({spaced}, NFD), '{_regex_class(MARKS)}', '', 'g')"
    punctuation = "U&'" + "".join(f"\\{ord(character):04X}" for character in PUNCTUATION) + "'"
    return f"translate({bare}, {punctuation}, '{' ' * len(PUNCTUATION)}')"


def _postgres_statements(table, columns):
    vectors = [f"to_tsvector('simple', {_index_text(column)})" for column in columns]
    if len(vectors) > 1:
        vectors[0] = f"setweight({vectors[0]}, 'A')"
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({' || '.join(vectors)}) STORED",
        f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)",
    ]


def _execute(statements):
    connection = op.get_bind()
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    for table, columns in INDEXED.items():
        if dialect == "sqlite":
            _execute(_sqlite_statements(table, columns))
        elif dialect == "postgresql":
            _execute(_postgres_statements(table, columns))


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in INDEXED:
        if dialect == "sqlite":
            _execute([*(f"DROP TRIGGER IF EXISTS {name}" for name in _triggers(table)),
                      f"DROP TABLE IF EXISTS {table}_fts",
                      f"DROP VIEW IF EXISTS {table}_fts_source"])
        elif dialect == "postgresql":
            _execute([f"DROP INDEX IF EXISTS ix_{table}_search_vector",
                      f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector"])
