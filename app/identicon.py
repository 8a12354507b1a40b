"""Deterministic SVG identicons, drawn from an avatar hash.

A 5x5 grid mirrored left to right, coloured from the hash, like GitHub's:
the same email always gives the same picture, and nothing leaves the site.
The background is transparent: the page's own theme shows through (``.avatar``
in flasky.css), so it does not glare in dark mode. ``VERSION`` names the
drawing in its URL, which browsers keep for a year: a changed drawing gets
a new one.
"""

import colorsys
import re

_HASH = re.compile(r"[0-9a-f]{32}")
VERSION = "2"  # 1: an opaque #f0f0f0 background


def is_avatar_hash(value: str) -> bool:
    return _HASH.fullmatch(value) is not None  # no match before a trailing newline


def identicon_svg(avatar_hash: str) -> str:
    digits = [int(c, 16) for c in avatar_hash]
    hue = int(avatar_hash[-7:], 16) / 0xFFFFFFF
    red, green, blue = (round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.45, 0.55))
    colour = f"#{red:02x}{green:02x}{blue:02x}"
    cells = []
    for row in range(5):
        for col in range(3):
            if digits[row * 3 + col] % 2 == 0:
                for x in {col, 4 - col}:
                    cells.append(f'<rect x="{x + 1}" y="{row + 1}" width="1" height="1"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" '
        'shape-rendering="crispEdges">'
        f'<g fill="{colour}">{"".join(cells)}</g></svg>'
    )
