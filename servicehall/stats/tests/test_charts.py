"""The SVG charts: what they draw is what they were given, and nothing given can break out."""

import re
from datetime import date, timedelta

from servicehall.stats.charts import Bar, bar_chart, line_chart, nice_ceiling


def test_bars_are_as_long_as_their_values_and_say_them():
    svg = bar_chart(
        chart_id="c", title="按城市", bars=[Bar("南京市", 200), Bar("苏州市", 50), Bar("无锡市", 0)]
    )
    assert re.findall(r'class="chart__bar" x="0" y="\d+" width="([\d.]+)%"', svg) == ["100.00", "25.00", "0"]
    assert "<tspan>南京市</tspan>" in svg and ">200</tspan>" in svg
    assert 'role="img"' in svg and '<title id="c-title">按城市</title>' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg


def test_a_tiny_value_still_shows_a_bar_and_a_shown_text_replaces_the_number():
    svg = bar_chart(
        chart_id="c", title="t", bars=[Bar("a", 100_000), Bar("b", 1, shown="0.01 元", tone="warning")]
    )
    assert 'class="chart__bar chart__bar--warning" x="0" y="70" width="0.50%"' in svg
    assert ">0.01 元</tspan>" in svg and ">100,000</tspan>" in svg


def test_names_are_escaped():
    svg = bar_chart(chart_id="c", title="<b>", bars=[Bar('<script>alert("x")</script>', 1)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_the_line_runs_through_every_day_on_a_rounded_scale():
    start = date(2026, 9, 1)
    points = [(start + timedelta(days=i), value) for i, value in enumerate([0, 30, 170, 40])]
    svg = line_chart(chart_id="d", title="每日提交量", points=points, description="共240件")
    assert 'viewBox="0 0 3 200"' in svg  # 170 rounds up to 200
    assert 'points="0,200 1,170 2,30 3,160"' in svg
    assert ">9/1</text>" in svg and ">9/4</text>" in svg and ">200</text>" in svg
    assert '<desc id="d-desc">共240件</desc>' in svg


def test_an_odd_scale_has_no_half_way_line():
    points = [(date(2026, 9, 1), 3), (date(2026, 9, 2), 4)]
    svg = line_chart(chart_id="d", title="t", points=points, description="")
    assert re.findall(r'class="chart__axis" x="0" y="[\d.]+">(\d+)</text>', svg) == ["0", "5"]


def test_a_long_window_gets_a_few_day_labels_only():
    start = date(2026, 9, 1)
    svg = line_chart(
        chart_id="d", title="t", points=[(start + timedelta(days=i), i) for i in range(30)], description=""
    )
    labels = re.findall(r'text-anchor="\w+">(\d+/\d+)</text>', svg)
    assert labels == ["9/1", "9/8", "9/15", "9/23", "9/30"]


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 1, 2, 3, 7, 10, 11, 250, 4001)] == [
        1,
        1,
        2,
        5,
        10,
        10,
        20,
        500,
        5000,
    ]
