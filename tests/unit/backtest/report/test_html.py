import re

import pytest

from backtest.report.html import format_duration, format_utc, instrument_slug, render_report
from backtest.report.run_folder import read_run_folder
from backtest.report.summary import METRICS, build_summary
from backtest.report.svg import MAX_POINTS_PER_CHART
from tests.builders.runs import (
    START_NS,
    make_equity_curve,
    make_fill,
    make_long_run,
    make_market_making_run,
    make_run_dir,
    make_run_info,
)


def render(run_dir):
    run = read_run_folder(run_dir)
    return render_report(run, build_summary(run))


@pytest.fixture(scope="module")
def two_instrument_report(tmp_path_factory):
    return render(make_market_making_run(tmp_path_factory.mktemp("html"), samples=300))


@pytest.fixture(scope="module")
def long_report(tmp_path_factory):
    return render(make_long_run(tmp_path_factory.mktemp("long")))


def chart_ids(report):
    return re.findall(r'<figure class="chart[^"]*" id="([^"]+)"', report)


def test_report_has_the_portfolio_charts_then_two_per_instrument(two_instrument_report):
    assert chart_ids(two_instrument_report) == [
        "chart-equity",
        "chart-pnl",
        "chart-drawdown",
        "chart-quotes-btcusdt-binance",
        "chart-inventory-btcusdt-binance",
        "chart-quotes-ethusdt-binance",
        "chart-inventory-ethusdt-binance",
    ]


def test_report_loads_nothing_from_outside_the_file(two_instrument_report):
    assert not re.search(
        r"https?:|<script|<link|<img|<iframe|@import|@font-face", two_instrument_report
    )
    assert not re.search(r"url\((?!#)", two_instrument_report)


def test_report_has_a_row_for_every_statistic(two_instrument_report):
    rows = re.findall(r'<tr id="stat-([a-z-]+)">', two_instrument_report)
    assert rows == [metric.key.replace("_", "-") for metric in METRICS]


def test_report_has_a_row_per_instrument(two_instrument_report):
    table = re.search(r'<table id="instruments-table">.*?</table>', two_instrument_report).group(0)
    assert re.findall(r"<tr><td>([A-Z.]+)</td>", table) == ["BTCUSDT.BINANCE", "ETHUSDT.BINANCE"]


def test_report_header_names_strategy_and_period(two_instrument_report):
    assert "<h1>Backtest report: as_maker</h1>" in two_instrument_report
    assert (
        '<p class="subtitle" id="run-period">2024-08-08 12:00:00.000 UTC → '
        "2024-08-08 12:05:00.000 UTC (5 min 00 s)</p>"
    ) in two_instrument_report


def test_long_report_stays_small(long_report):
    assert len(long_report.encode()) < 600_000


def test_long_report_draws_at_most_the_point_budget_per_chart(long_report):
    for figure in re.findall(r'<figure class="chart".*?</figure>', long_report):
        paths = re.findall(r'<path class="series [^"]*" d="([^"]*)"', figure)
        assert sum(len(re.findall(r"[MLH]", d)) for d in paths) <= MAX_POINTS_PER_CHART


def test_report_escapes_text_from_the_run(tmp_path):
    run_dir = make_run_dir(
        tmp_path,
        equity=make_equity_curve([10_000.0, 10_001.0]),
        run=make_run_info(strategy="<script>alert(1)</script>"),
    )
    report = render(run_dir)
    assert "<script" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report


def test_report_masks_credentials_in_the_strategy_config(tmp_path):
    run = make_run_info(config={"api_key": "k-123-secret", "order_qty": "0.010"})
    report = render(make_run_dir(tmp_path, run=run))
    assert "k-123-secret" not in report
    assert "&quot;order_qty&quot;: &quot;0.010&quot;" in report


def test_report_without_samples_marks_charts_empty(tmp_path):
    report = render(make_run_dir(tmp_path))
    assert report.count('class="chart chart-empty"') == 5


def test_fill_markers_have_exact_price_and_quantity_titles(tmp_path):
    fill = make_fill(price="61737.5", quantity="0.010", ts_event=START_NS + 1_500_000_000)
    report = render(make_run_dir(tmp_path, fills=[fill], equity=make_equity_curve([1.0, 1.0, 1.0])))
    assert "<title>BUY 0.010 @ 61737.5 (maker) 2024-08-08 12:00:01.500 UTC</title>" in report


def test_instrument_slug_lowercases_and_dashes():
    assert instrument_slug("BTCUSDT-PERP.BYBIT") == "btcusdt-perp-bybit"


def test_format_utc_shows_milliseconds():
    assert format_utc(START_NS + 1_234_567_890) == "2024-08-08 12:00:01.234 UTC"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "0.250 s"),
        (42, "42 s"),
        (200, "3 min 20 s"),
        (7500, "2 h 05 min"),
        (100_800, "1 d 04 h"),
    ],
)
def test_format_duration_shows_the_two_largest_units(seconds, text):
    assert format_duration(int(seconds * 1_000_000_000)) == text
