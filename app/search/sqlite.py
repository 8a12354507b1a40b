"""SQLite: the query tree as an FTS5 MATCH expression, ranked by bm25.

Every word goes in double quotes (a quote inside would be doubled, though the
parser's words never hold one), so FTS5 reads the input only as strings to
match: ``"a b"`` is a phrase, ``"a"*`` a prefix, ``X NOT "c"`` an exclusion.
"""

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    Table,
    func,
    literal_column,
    select,
)

from app.search.query import Query, Term
from app.search.schema import INDEXED, Indexed

# The FTS tables as Core tables, apart from the models' metadata (create_all skips them).
_METADATA = MetaData()
_TABLES = {kind: Table(indexed.fts, _METADATA, Column("rowid", Integer), Column(indexed.fts))
           for kind, indexed in INDEXED.items()}
# bm25 weights per column: a username counts four times a name, a title twice the text.
WEIGHTS = {"people": (4.0, 1.0), "posts": (2.0, 1.0)}


def phrase(term: Term) -> str:
    quoted = " ".join(word.replace('"', '""') for word in term.words)
    return f'"{quoted}"' + ("*" if term.prefix else "")


def match_expression(required: tuple[Term, ...], excluded: tuple[Term, ...] = ()) -> str:
    """All of ``required``, none of ``excluded``."""
    expression = "(" + " AND ".join(phrase(term) for term in required) + ")"
    return expression + "".join(f" NOT {phrase(term)}" for term in excluded)


def _matching(indexed: Indexed, expression: str) -> ColumnElement:
    table = _TABLES[indexed.kind]
    return table.c[indexed.fts].op("MATCH")(expression)


def restrict(statement: Select, kind: str, query: Query) -> tuple[Select, ColumnElement | None]:
    """``statement`` (a select of the kind's model) narrowed to what ``query``
    matches, and the rank to order by (lower is better), None without words."""
    indexed = INDEXED[kind]
    table, model = _TABLES[kind], indexed.model
    if query.required:
        statement = (statement.join(table, table.c.rowid == model.id)
                     .where(_matching(indexed, match_expression(query.required, query.excluded))))
        return statement, func.bm25(literal_column(indexed.fts), *WEIGHTS.get(kind, ()))
    if query.excluded:
        expression = " OR ".join(phrase(term) for term in query.excluded)
        statement = statement.where(model.id.not_in(
            select(table.c.rowid).where(_matching(indexed, expression))))
    return statement, None
