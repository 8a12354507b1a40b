"""Where a long post is cut in timelines: at a ``<!-- more -->`` line the writer
put there, or else at the last paragraph break before about 1,000 characters.
The permalink always shows the whole post."""

import re

MORE_MARKER = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
EXCERPT_LENGTH = 1_000
FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)


def without_marker(body: str) -> str:
    """The body as the permalink shows it: the marker is an instruction, not text."""
    return MORE_MARKER.sub("", body)


def excerpt(body: str) -> str | None:
    """The Markdown shown before "Read more", or None when the whole post is short."""
    marker = MORE_MARKER.search(body)
    if marker is not None:
        return body[:marker.start()].rstrip() or None
    if len(body) <= EXCERPT_LENGTH:
        return None
    head = _outside_code(body[:EXCERPT_LENGTH])
    cut = head.rfind("\n\n")
    if cut > 0:
        return head[:cut].rstrip()
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head).rstrip() + " …"


def _outside_code(head: str) -> str:
    """``head`` ending before a fenced code block it would cut in two."""
    fences = list(FENCE.finditer(head))
    if len(fences) % 2:
        return head[:fences[-1].start()]
    return head
