"""Snippets: a window of a text around what matched, with the matched words in
``<mark>``, the same on both databases.

A snippet is built from the text itself (a post's Markdown, a name), never from
HTML: the text is escaped piece by piece and the only tags added are our own
``<mark>`` and ``</mark>``, so it is safe to show whatever the text holds.
Words are found and compared as the index finds them (text.py), so what is
marked is what matched: ``cat`` marks "Cat" and "cat-like" but not "cats",
``cat*`` marks "cats" too, a phrase is marked as one stretch.
"""

import unicodedata

from markupsafe import Markup, escape

from app.search.query import Query, Term
from app.search.text import word_spans

SNIPPET_LENGTH = 240  # characters of text shown around the first match
LEAD = 60  # of which, at most, before it
ELLIPSIS = "\u2026"

Span = tuple[int, int, str]


def _matches(term: Term, spans: list[Span], at: int) -> bool:
    if at + len(term.words) > len(spans):
        return False
    for offset, word in enumerate(term.words):
        found = spans[at + offset][2]
        last = offset == len(term.words) - 1
        if not (found == word or (last and term.prefix and found.startswith(word))):
            return False
    return True


def marked_ranges(text: str, query: Query) -> list[tuple[int, int]]:
    """Where ``query``'s required words and phrases occur in ``text``, merged."""
    spans = list(word_spans(text))
    ranges = sorted((spans[at][0], spans[at + len(term.words) - 1][1])
                    for term in query.required for at in range(len(spans))
                    if _matches(term, spans, at))
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, ranges: list[tuple[int, int]], length: int) -> tuple[int, int]:
    """The stretch of ``text`` to show: from a little before the first match, cut
    at spaces where there are any."""
    if len(text) <= length:
        return 0, len(text)
    start = max(0, ranges[0][0] - LEAD) if ranges else 0
    if start > 0:
        space = text.find(" ", start, ranges[0][0])
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start + length // 2, end)
        end = space if space != -1 else end
    return start, end


def highlight(text: str | None, query: Query, length: int = SNIPPET_LENGTH) -> Markup:
    """A snippet of ``text``: escaped, its matches in ``<mark>``, at most about
    ``length`` characters, with an ellipsis where it was cut."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    ranges = marked_ranges(text, query)
    start, end = _window(text, ranges, length)
    pieces = [escape(ELLIPSIS)] if start > 0 else []
    position = start
    for mark_start, mark_end in ranges:
        if mark_end <= start or mark_start >= end:
            continue
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        pieces += [escape(text[position:mark_start]), Markup("<mark>"),
                   escape(text[mark_start:mark_end]), Markup("</mark>")]
        position = mark_end
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(escape(ELLIPSIS))
    return Markup("").join(pieces)
