"""Readable slugs for permalinks, made from a title: the title's words, lowered,
joined by hyphens, with everything else (markup, punctuation, emoji) left out.

A slug is derived, never stored: changing the title changes the permalink, and the
old link redirects to the new one (the post's id is what identifies it)."""

import re
import unicodedata

SLUG_MAX_LENGTH = 80
_NOT_WORD = re.compile(r"[^\w]+|_+")
# Words that name a page under /post/<id>/ themselves (/post/<id>/delete).
RESERVED = frozenset({"delete"})


def slugify(text: str | None) -> str:
    """``"Hello, <b>World</b>!"`` -> ``"hello-b-world-b"``; "" when nothing is left."""
    if not text:
        return ""
    words = _NOT_WORD.split(unicodedata.normalize("NFKC", text).casefold())
    slug = "-".join(word for word in words if word)
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_MAX_LENGTH]
    return f"{slug}-post" if slug in RESERVED else slug
