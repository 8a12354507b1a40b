"""PostgreSQL: the query tree as a tsquery over the generated ``search_vector``
columns (schema.py), ranked by ts_rank.

Every word goes in as a quoted lexeme (``'a'``, a quote inside doubled) of one
``to_tsquery('simple', ...)`` argument, sent as a bound value: ``'a' <-> 'b'``
is a phrase, ``'a':*`` a prefix, ``!`` an exclusion, ``&`` joins them.
"""

from sqlalchemy import ColumnElement, Select, func, literal_column, not_

from app.search.query import Query, Term
from app.search.schema import INDEXED, VECTOR

# ts_rank's normalization 1: a longer text ranks lower for the same matches.
LENGTH_NORMALIZATION = 1


def _lexeme(word: str, prefix: bool) -> str:
    quoted = word.replace("\\", "\\\\").replace("'", "''")
    return f"'{quoted}'" + (":*" if prefix else "")


def phrase(term: Term) -> str:
    last = len(term.words) - 1
    lexemes = [_lexeme(word, term.prefix and at == last) for at, word in enumerate(term.words)]
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def tsquery_text(required: tuple[Term, ...], excluded: tuple[Term, ...] = ()) -> str:
    """All of ``required``, none of ``excluded``."""
    return " & ".join([phrase(term) for term in required]
                      + [f"!{phrase(term)}" for term in excluded])


def _tsquery(text: str) -> ColumnElement:
    return func.to_tsquery(literal_column("'simple'"), text)


def restrict(statement: Select, kind: str, query: Query) -> tuple[Select, ColumnElement | None]:
    """``statement`` (a select of the kind's model) narrowed to what ``query``
    matches, and the rank to order by (lower is better), None without words."""
    vector = literal_column(f"{INDEXED[kind].table}.{VECTOR}")
    if query.required:
        tsquery = _tsquery(tsquery_text(query.required, query.excluded))
        statement = statement.where(vector.op("@@")(tsquery))
        return statement, -func.ts_rank(vector, tsquery, LENGTH_NORMALIZATION)
    if query.excluded:
        excluded = " | ".join(phrase(term) for term in query.excluded)
        statement = statement.where(not_(vector.op("@@")(_tsquery(excluded))))
    return statement, None
