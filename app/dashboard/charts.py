"""Bar charts drawn as SVG on the server: no script, no third-party request.

Each chart is an SVG document of its own, shown with ``<img>`` (an image cannot
run anything, and pages never carry inline SVG: tests/hostile.py refuses it in
any page). It is decoration for sighted readers: the image has an empty ``alt``
and the page puts a table of the same figures next to it (``dashboard.html``),
which screen readers read instead. The colours read on light and dark
backgrounds alike; only presentation attributes are used, which the style
policy allows.
"""

from collections.abc import Sequence
from datetime import date

from markupsafe import escape

WIDTH, HEIGHT = 600, 160
TOP, BOTTOM, LEFT = 14, 20, 36  # room for the largest value, the dates and the scale
BAR, TEXT = "#3d8bfd", "#8c959f"  # Bootstrap's blue-400 and a grey, on white and on dark


def _nice_ceiling(value: int) -> int:
    """The scale's top: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 1
    while True:
        for step in (1, 2, 5):
            if step * power >= value:
                return step * power
        power *= 10


def bar_chart(days: Sequence[date], values: Sequence[int]) -> str:
    """One bar per day, the scale's top on the left, first and last dates below."""
    top = _nice_ceiling(max(values, default=0))
    plot_width, plot_height = WIDTH - LEFT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(values), 1)
    bars = []
    for index, value in enumerate(values):
        height = plot_height * value / top
        x = LEFT + index * slot + slot * 0.1
        y = TOP + plot_height - height
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" '
                    f'height="{height:.1f}"/>')
    baseline = TOP + plot_height
    labels = ""
    if days:
        labels = (f'<text x="{LEFT}" y="{HEIGHT - 4}">{escape(days[0].isoformat())}</text>'
                  f'<text x="{WIDTH}" y="{HEIGHT - 4}" text-anchor="end">'
                  f"{escape(days[-1].isoformat())}</text>")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<g font-family="sans-serif" font-size="11" fill="{TEXT}">'
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{top}</text>'
        f'<text x="{LEFT - 4}" y="{baseline}" text-anchor="end">0</text>{labels}</g>'
        f'<line x1="{LEFT}" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
        f'<g fill="{BAR}">{"".join(bars)}</g></svg>'
    )
