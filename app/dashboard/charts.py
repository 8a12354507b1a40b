"""Bar charts drawn as SVG on the server: no script, no third-party request.

A chart is decoration for sighted readers: the SVG is ``aria-hidden`` and the
page puts a table of the same figures next to it (``dashboard.html``), which
screen readers read instead. Colours come from ``currentColor`` and Bootstrap's
text classes, so the chart follows the light and dark themes; only
presentation attributes are used, which the page's style policy allows.
"""

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 600, 160
TOP, BOTTOM, LEFT = 14, 20, 36  # room for the largest value, the dates and the scale


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


def bar_chart(days: Sequence[date], values: Sequence[int]) -> Markup:
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
                    f'height="{height:.1f}" fill="currentColor"/>')
    baseline = TOP + plot_height
    labels = ""
    if days:
        labels = (f'<text x="{LEFT}" y="{HEIGHT - 4}" font-size="11" fill="currentColor">'
                  f"{escape(days[0].isoformat())}</text>"
                  f'<text x="{WIDTH}" y="{HEIGHT - 4}" font-size="11" text-anchor="end" '
                  f'fill="currentColor">{escape(days[-1].isoformat())}</text>')
    return Markup(
        f'<svg class="dashboard-chart w-100 h-auto" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="presentation" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="11" text-anchor="end" '
        f'fill="currentColor">{top}</text>'
        f'<text x="{LEFT - 4}" y="{baseline}" font-size="11" text-anchor="end" '
        f'fill="currentColor">0</text>'
        f'<line x1="{LEFT}" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" '
        f'stroke="currentColor" stroke-width="1"/>'
        f'<g class="text-primary" fill="currentColor">{"".join(bars)}</g>{labels}</svg>'
    )
