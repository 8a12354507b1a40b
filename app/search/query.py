"""The search box's language, parsed into a small tree that each backend compiles.

    all these words        every word must match, in any order
    "a quoted phrase"      these words next to each other, in this order
    -word  -"a phrase"     must not match
    word*  "a phra"*       words that start so (the last word of a phrase)
    from:username          by this person (several: by any of them)

Anything else is text. Operators of the databases' own syntaxes (AND, OR,
NOT, NEAR, ``^``, ``:``, parentheses), SQL, markup and punctuation are
searched as the words they contain, if any; each backend quotes every word it
is given (sqlite.py, postgres.py), so no input reaches a database as syntax.
A quote left open runs to the end. ``parse()`` never fails: it answers a
Query, empty when nothing in the input can be searched for.

Words are found and folded as the index finds them (text.py): ``john.smith``
is the phrase "john smith", 北京 the phrase of its two characters.
"""

import re
from dataclasses import dataclass, replace

from app.search.text import words

MAX_QUERY_LENGTH = 1_000  # characters read; the rest of a longer query is ignored
MAX_TERMS = 16  # words and phrases; further ones are ignored
MAX_PHRASE_WORDS = 32  # a longer phrase keeps its first words
MAX_WORD_LENGTH = 100  # a longer word can match nothing (PostgreSQL skips such words)
MAX_AUTHORS = 8

# One piece of the query: an optional "-", then a phrase (its closing quote and a
# "*" after it are optional) or a run of anything but spaces and quotes.
_PIECE = re.compile(r'(-?)(?:"([^"]*)"?(\*?)|([^\s"]+))')
_FROM = re.compile(r"from:(.+)", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of several, that must (or, negated, must not) match."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word matches any word that starts with it
    negated: bool = False
    text: str = ""  # as it was typed, for exact matches


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    authors: tuple[str, ...] = ()  # from:, lower case

    @property
    def required(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.negated)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.negated)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no word to match and no author (excluding alone
        would list everything else)."""
        return not self.required and not self.authors

    @property
    def text(self) -> str:
        """The required words as typed, in lower case (people: an exact match)."""
        return " ".join(term.text for term in self.required).lower()

    def with_prefixes(self) -> "Query":
        """Every required word as a prefix: people are found as their names are typed."""
        terms = tuple(term if term.negated else replace(term, prefix=True)
                      for term in self.terms)
        return replace(self, terms=terms)


def _term(text: str, negated: bool, prefix: bool) -> Term | None:
    found = words(text)[:MAX_PHRASE_WORDS]
    if not found or any(len(word) > MAX_WORD_LENGTH for word in found):
        return None
    return Term(tuple(found), prefix=prefix, negated=negated, text=text.strip())


def _piece(match: re.Match) -> Term | str | None:
    """A Term, an author's name, or None for a piece with nothing to search."""
    minus, phrase, star, word = match.groups()
    negated = bool(minus)
    if phrase is not None:
        return _term(phrase, negated, bool(star))
    author = _FROM.fullmatch(word)
    if author and not negated:
        return author.group(1).lower()
    stripped = word.rstrip("*")
    return _term(stripped, negated, stripped != word)


def parse(text: str | None) -> Query:
    """The Query that ``text`` (anything a client sends) asks for."""
    terms: dict[tuple, Term] = {}  # a term typed twice counts once
    authors: list[str] = []
    for match in _PIECE.finditer((text or "")[:MAX_QUERY_LENGTH]):
        piece = _piece(match)
        if isinstance(piece, Term) and len(terms) < MAX_TERMS:
            terms.setdefault((piece.words, piece.prefix, piece.negated), piece)
        elif isinstance(piece, str) and piece not in authors and len(authors) < MAX_AUTHORS:
            authors.append(piece)
    return Query(tuple(terms.values()), tuple(authors))
