import re

import numpy as np
import pytest

from backtest.report.svg import (
    MAX_MARKERS_PER_CHART,
    MAX_POINTS_PER_CHART,
    Chart,
    Line,
    Markers,
    format_tick,
    nice_ticks,
    render_chart,
    time_ticks,
)

START_NS = 1_723_118_400_000_000_000  # 2024-08-08 12:00:00 UTC
S = 1_000_000_000


def line(y, label="Equity", **kwargs):
    y = np.asarray(y, dtype=np.float64)
    return Line(label, START_NS + np.arange(len(y), dtype=np.int64) * S, y, "s-equity", **kwargs)


def series_paths(svg):
    return re.findall(r'<path class="series [^"]*" d="([^"]*)"', svg)


def point_count(d):
    return len(re.findall(r"[MLH]", d))


# -- TICKS --


def test_nice_ticks_step_by_one_two_or_five_times_a_power_of_ten():
    assert nice_ticks(0.0, 1.0) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_nice_ticks_cover_the_range_of_a_price_series():
    assert nice_ticks(61_700.3, 61_739.9) == [61_700, 61_710, 61_720, 61_730, 61_740]


def test_nice_ticks_cover_a_negative_range():
    assert nice_ticks(-0.034, -0.001) == [-0.035, -0.03, -0.025, -0.02, -0.015, -0.01, -0.005, 0.0]


def test_time_ticks_over_half_an_hour_are_five_minutes_apart():
    ticks = time_ticks(START_NS, START_NS + 1800 * S)
    assert [label for _, label in ticks] == [
        "12:00",
        "12:05",
        "12:10",
        "12:15",
        "12:20",
        "12:25",
        "12:30",
    ]


def test_time_ticks_over_half_a_minute_show_seconds():
    ticks = time_ticks(START_NS + S // 2, START_NS + 30 * S)
    assert [label for _, label in ticks] == [
        "12:00:05",
        "12:00:10",
        "12:00:15",
        "12:00:20",
        "12:00:25",
        "12:00:30",
    ]


def test_time_ticks_over_days_show_the_date():
    ticks = time_ticks(START_NS, START_NS + 3 * 86_400 * S)
    assert [label for _, label in ticks[:2]] == ["08-08 12:00", "08-09 00:00"]


def test_time_ticks_below_a_second_show_milliseconds():
    ticks = time_ticks(START_NS, START_NS + S // 10)
    assert [label for _, label in ticks] == [
        "12:00:00.000",
        "12:00:00.020",
        "12:00:00.040",
        "12:00:00.060",
        "12:00:00.080",
        "12:00:00.100",
    ]


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (61_737.5, 0.5, "61,737.5"),
        (-0.002, 0.001, "-0.002"),
        (-0.0, 0.005, "0"),
        (100.0, 50.0, "100"),
    ],
)
def test_format_tick_shows_the_decimals_of_its_step(value, step, text):
    assert format_tick(value, step) == text


# -- CHARTS --


def test_chart_is_a_figure_with_its_id_caption_and_svg():
    html = render_chart(Chart("chart-equity", "Equity", "equity (USDT)", [line([1.0, 2.0, 3.0])]))
    assert html.startswith(
        '<figure class="chart" id="chart-equity"><figcaption>Equity</figcaption><svg'
    )
    assert html.endswith("</svg></figure>")


def test_chart_draws_one_series_path_per_line():
    chart = Chart("c", "t", "y", [line([1.0, 2.0]), line([2.0, 1.0], label="Other")])
    assert len(series_paths(render_chart(chart))) == 2


def test_chart_has_axis_labels_and_legend():
    html = render_chart(Chart("c", "t", "equity (USDT)", [line([1.0, 2.0])]))
    assert "equity (USDT)</text>" in html
    assert "time (UTC)</text>" in html
    assert '<text class="legend-label" x="110" y="16">Equity</text>' in html


def test_a_nan_breaks_the_line_into_two_subpaths():
    (d,) = series_paths(render_chart(Chart("c", "t", "y", [line([1.0, 2.0, np.nan, 3.0, 4.0])])))
    assert d.count("M") == 2


def test_a_step_line_holds_each_value_until_the_next_sample():
    (d,) = series_paths(render_chart(Chart("c", "t", "y", [line([1.0, 2.0], is_step=True)])))
    assert re.fullmatch(r"M[\d.]+,[\d.]+H[\d.]+V[\d.]+", d)


def test_an_area_line_also_draws_a_filled_path_to_zero():
    html = render_chart(Chart("c", "t", "y", [line([-1.0, -2.0], is_area=True)]))
    assert re.search(r'<path class="area s-equity" d="M[^"]*Z"', html)


def test_a_long_chart_draws_at_most_the_point_budget():
    chart = Chart(
        "c",
        "t",
        "y",
        [line(np.sin(np.arange(100_000) / 300)), line(np.arange(100_000.0), label="b")],
    )
    total = sum(point_count(d) for d in series_paths(render_chart(chart)))
    assert 1000 < total <= MAX_POINTS_PER_CHART


def test_markers_carry_hover_titles():
    markers = Markers(
        "Buy fills", np.array([START_NS]), np.array([1.5]), "m-buy", True, ["BUY 1 @ 1.5"]
    )
    html = render_chart(Chart("c", "t", "y", [line([1.0, 2.0])], markers=[markers]))
    assert '<path class="marker" d="M' in html
    assert "<title>BUY 1 @ 1.5</title>" in html


def test_too_many_markers_are_thinned_and_the_caption_says_so():
    count = 5 * MAX_MARKERS_PER_CHART
    markers = Markers("Buy fills", START_NS + np.arange(count) * S, np.ones(count), "m-buy", True)
    html = render_chart(Chart("c", "Quotes", "y", [line([1.0, 2.0])], markers=[markers]))
    assert html.count('<path class="marker" d=') == MAX_MARKERS_PER_CHART
    assert f"(markers: 500 of {count:,} buy fills shown)" in html


def test_a_chart_without_finite_values_says_no_data():
    html = render_chart(Chart("chart-pnl", "PnL", "y", [line([np.nan, np.nan])]))
    assert html == (
        '<figure class="chart chart-empty" id="chart-pnl"><figcaption>PnL</figcaption>'
        '<p class="no-data">no data</p></figure>'
    )


def test_a_constant_series_gets_a_padded_axis():
    html = render_chart(Chart("c", "t", "y", [line([100.0, 100.0])]))
    labels = re.findall(r'<text class="tick-label" x="80" [^>]*>([^<]+)</text>', html)
    assert (labels[0], labels[-1]) == ("99.0", "101.0")


def test_chart_text_is_escaped():
    html = render_chart(Chart("c", "<b>", "a&b", [line([1.0, 2.0], label="<i>")]))
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;" in html and "a&amp;b" in html
