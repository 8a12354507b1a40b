"""Text as the search index sees it: one normal form, the same on both databases.

``index_text()`` is what gets indexed. SQLite runs it as the SQL function
``flasky_search_text()`` (registered on every connection, schema.py);
PostgreSQL runs the same three steps in SQL (``POSTGRES_INDEX_TEXT``):

1. every CJK character (Han, kana, Hangul) is set apart by spaces, so each is
   a token of its own; a word of them is searched as a phrase of characters,
   which finds two-character words (北京) that a trigram index cannot;
2. decomposition (NFD) with the combining marks dropped: café = cafe,
   καλημέρα = καλημερα, ёлка = елка;
3. ASCII punctuation becomes a space, so both databases split ``john.smith``,
   ``foo-bar`` or ``example.com`` into words (PostgreSQL's parser would keep
   each as one token).

Letter case is folded by the databases (unicode61, to_tsvector) and by
``fold()`` here. ``words()`` finds the words of a text as the tokenizers do:
runs of letters and digits, each CJK character alone.
"""

import re
import string
import unicodedata
from collections.abc import Iterator

CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
       "\U00020000-\U0003134f")
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
PUNCTUATION = string.punctuation

_CJK_CHARACTER = re.compile(f"[{CJK}]")
_MARK = re.compile(f"[{MARKS}]")
_PUNCTUATION_TO_SPACE = str.maketrans(PUNCTUATION, " " * len(PUNCTUATION))
# A word: one CJK character, or a run of other letters and digits (\w without "_").
_WORD = re.compile(f"[{CJK}]|(?:(?![{CJK}])[^\\W_])+")


def index_text(text: str | None) -> str:
    """``text`` in the form both indexes tokenize (see the module's docstring)."""
    if not text:
        return ""
    spaced = _CJK_CHARACTER.sub(r" \g<0> ", text)
    bare = _MARK.sub("", unicodedata.normalize("NFD", spaced))
    return bare.translate(_PUNCTUATION_TO_SPACE)


def fold(word: str) -> str:
    """A word as the index compares it: without marks, in lower case."""
    return _MARK.sub("", unicodedata.normalize("NFD", word)).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` as the index finds them, folded."""
    return [match.group().lower() for match in _WORD.finditer(index_text(text))]


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word of ``text`` (already in NFC) with its start, end and folded form."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), fold(match.group())


def _sql_unicode_string(characters: str) -> str:
    """A PostgreSQL Unicode-escape literal: plain ASCII in the statement, so no
    quote, colon or percent sign of ``characters`` reaches a driver or parser."""
    return "U&'" + "".join(f"\\{ord(character):04X}" for character in characters) + "'"


def _sql_regex_class(ranges: str) -> str:
    r"""A bracket expression of ``ranges`` with \u and \U escapes (PostgreSQL AREs)."""
    def escape(character: str) -> str:
        if character == "-":
            return character
        code = ord(character)
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return "[" + "".join(escape(character) for character in ranges) + "]"


def postgres_index_text(column_sql: str) -> str:
    """``index_text(column)`` as a PostgreSQL expression (immutable, so it can
    define a generated column)."""
    cjk = _sql_regex_class(CJK)
    spaced = f"regexp_replace(coalesce({column_sql}, ''), '({cjk})', ' \\1 ', 'g')"
    bare = f"regexp_replace(normalize({spaced}, NFD), '{_sql_regex_class(MARKS)}', '', 'g')"
    return (f"translate({bare}, {_sql_unicode_string(PUNCTUATION)}, "
            f"'{' ' * len(PUNCTUATION)}')")
