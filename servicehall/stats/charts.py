"""Charts drawn by the hall itself: inline SVG built on the server, no script, no library, nothing
from another site. Text is laid out in CSS pixels and bars in percentages of the width, so the
labels stay readable on a phone instead of shrinking with the picture. Each chart is an image
with a title and a description for screen readers; its numbers are in the table under it."""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

BAR_ROW = 44  # px per bar: the label line, then the bar
BAR_HEIGHT = 12
LINE_TOP, LINE_PLOT, LINE_BOTTOM = 24, 160, 36  # px: the top label, the plot, the day labels
DAY_LABELS = 5  # at most this many dates under the line


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str = ""  # how the value is written beside the label (a sum of money, say)
    tone: str = ""  # "" (the hall's blue), "dark" or "warning"


def number(value: int) -> str:
    return f"{value:,}"


def _frame(chart_id: str, title: str, description: str, height: int, css: str, body) -> SafeString:
    return format_html(
        '<svg class="chart {}" id="{}" width="100%" height="{}" role="img" focusable="false" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css,
        chart_id,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def bar_chart(*, chart_id: str, title: str, bars: list[Bar], description: str = "") -> SafeString:
    """Horizontal bars, one row per item: its name and value on one line, the bar under it."""
    largest = max((bar.value for bar in bars), default=0)

    def width(value: int) -> str:
        if largest <= 0 or value <= 0:
            return "0"
        return f"{max(value * 100 / largest, 0.5):.2f}"

    rows = format_html_join(
        "",
        '<g><text class="chart__label" x="0" y="{}"><tspan>{}</tspan><tspan class="chart__value" dx="8">{}'
        '</tspan></text><rect class="chart__track" x="0" y="{}" width="100%" height="{}" rx="2"></rect>'
        '<rect class="chart__bar{}" x="0" y="{}" width="{}%" height="{}" rx="2"></rect></g>',
        (
            (
                i * BAR_ROW + 18,
                bar.label,
                bar.shown or number(bar.value),
                i * BAR_ROW + 26,
                BAR_HEIGHT,
                f" chart__bar--{bar.tone}" if bar.tone else "",
                i * BAR_ROW + 26,
                width(bar.value),
                BAR_HEIGHT,
            )
            for i, bar in enumerate(bars)
        ),
    )
    description = description or _("共%(n)s项，各项数值见图下的表格。") % {"n": len(bars)}
    return _frame(chart_id, title, description, max(len(bars), 1) * BAR_ROW + 4, "chart--bars", rows)


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least value (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _day_label(day: date) -> str:
    return f"{day.month}/{day.day}"


def _label_positions(count: int) -> list[int]:
    if count <= DAY_LABELS:
        return list(range(count))
    step = (count - 1) / (DAY_LABELS - 1)
    return sorted({round(i * step) for i in range(DAY_LABELS)})


def line_chart(*, chart_id: str, title: str, points: list[tuple[date, int]], description: str) -> SafeString:
    """A line over the days (with the area under it): the plot stretches to the width, the axis
    labels do not."""
    if not points:
        return _frame(chart_id, title, description, LINE_TOP, "chart--line", "")
    top = nice_ceiling(max(value for _day, value in points))
    span = max(len(points) - 1, 1)
    values = [value for _day, value in points] if len(points) > 1 else [points[0][1]] * 2
    coordinates = " ".join(f"{i},{top - value}" for i, value in enumerate(values))
    grid = format_html_join(
        "",
        '<line class="chart__grid" x1="0" x2="100%" y1="{}" y2="{}"></line>'
        '<text class="chart__axis" x="0" y="{}">{}</text>',
        (
            (
                LINE_TOP + LINE_PLOT * (1 - share),
                LINE_TOP + LINE_PLOT * (1 - share),
                LINE_TOP + LINE_PLOT * (1 - share) - 4,
                number(round(top * share)),
            )
            for share in ((0, 0.5, 1) if top % 2 == 0 else (0, 1))
        ),
    )
    plot = format_html(
        '<svg x="0" y="{}" width="100%" height="{}" viewBox="0 0 {} {}" preserveAspectRatio="none" '
        'overflow="visible"><polygon class="chart__area" points="0,{} {} {},{}"></polygon>'
        '<polyline class="chart__line" points="{}" vector-effect="non-scaling-stroke"></polyline></svg>',
        LINE_TOP,
        LINE_PLOT,
        span,
        top,
        top,
        coordinates,
        span,
        top,
        coordinates,
    )
    last = len(points) - 1
    days = format_html_join(
        "",
        '<text class="chart__axis" x="{}%" y="{}" text-anchor="{}">{}</text>',
        (
            (
                f"{i * 100 / max(last, 1):.2f}",
                LINE_TOP + LINE_PLOT + 22,
                "start" if i == 0 else "end" if i == last else "middle",
                _day_label(points[i][0]),
            )
            for i in _label_positions(len(points))
        ),
    )
    height = LINE_TOP + LINE_PLOT + LINE_BOTTOM
    return _frame(
        chart_id, title, description, height, "chart--line", format_html("{}{}{}", grid, plot, days)
    )
