import json
import math

import pytest

from backtest.report.run_folder import read_run_folder
from backtest.report.summary import (
    METRICS,
    Metric,
    MetricKind,
    build_summary,
    format_amount,
    format_metric,
    write_summary,
)
from tests.builders.runs import (
    START_NS,
    make_equity_curve,
    make_equity_row,
    make_fill,
    make_order,
    make_run_dir,
    make_run_info,
)

MINUTE_NS = 60_000_000_000

ISSUE_KEYS = [
    "events",
    "orders",
    "fills",
    "maker_fills",
    "taker_fills",
    "volume",
    "fees",
    "pnl",
    "return",
    "sharpe",
    "sortino",
    "max_drawdown",
    "fill_ratio",
    "avg_spread_captured",
    "wall_s",
    "events_per_s",
]


def summarize(tmp_path, **files):
    return build_summary(read_run_folder(make_run_dir(tmp_path, **files)))


@pytest.fixture
def idle_summary(tmp_path):
    """A run that placed no order: flat equity, no fills."""
    return summarize(tmp_path, equity=make_equity_curve([10_000.0] * 5, interval_ns=MINUTE_NS))


# -- DEGENERATE RUNS --


def test_summary_has_every_key_the_issue_names(idle_summary):
    assert set(ISSUE_KEYS) <= set(idle_summary)


def test_summary_of_a_run_without_fills_counts_zero(idle_summary):
    counts = {key: idle_summary[key] for key in ("orders", "fills", "maker_fills", "taker_fills")}
    assert counts == {"orders": 0, "fills": 0, "maker_fills": 0, "taker_fills": 0}
    assert (idle_summary["volume"], idle_summary["fees"], idle_summary["pnl"]) == (0.0, 0.0, 0.0)


def test_summary_of_flat_equity_has_zero_return_and_drawdown(idle_summary):
    assert (idle_summary["return"], idle_summary["max_drawdown"]) == (0.0, 0.0)


def test_summary_of_flat_equity_has_null_sharpe_and_sortino(idle_summary):
    assert (idle_summary["sharpe"], idle_summary["sortino"]) == (None, None)


def test_summary_without_orders_has_null_fill_ratio_and_spread_captured(idle_summary):
    assert (idle_summary["fill_ratio"], idle_summary["avg_spread_captured"]) == (None, None)


def test_summary_of_a_degenerate_run_writes_json_without_nan(tmp_path, idle_summary):
    write_summary(idle_summary, tmp_path / "summary.json")
    text = (tmp_path / "summary.json").read_text()
    assert "NaN" not in text
    assert json.loads(text)["sharpe"] is None


def test_summary_without_equity_samples_has_null_money_figures(tmp_path):
    summary = summarize(tmp_path)
    figures = [summary[key] for key in ("pnl", "fees", "return", "max_drawdown", "final_equity")]
    assert figures == [None] * 5


# -- FILLS AND ORDERS --


def quoting_fills():
    """Two maker fills 1 and 3 bps inside a 100.00 mid, one taker buy 5 bps above."""
    return [
        make_fill(side="BUY", price="99.99", quantity="2", fee="-0.01", mid_at_fill_f64=100.0),
        make_fill(side="SELL", price="100.03", quantity="1", fee="-0.005", mid_at_fill_f64=100.0),
        make_fill(
            side="BUY", price="100.05", quantity="1", liquidity="TAKER", mid_at_fill_f64=100.0
        ),
    ]


def test_summary_counts_fills_by_liquidity(tmp_path):
    summary = summarize(tmp_path, fills=quoting_fills())
    assert (summary["fills"], summary["maker_fills"], summary["taker_fills"]) == (3, 2, 1)


def test_summary_volume_is_the_quote_notional_of_every_fill(tmp_path):
    # 99.99 * 2 + 100.03 * 1 + 100.05 * 1
    assert summarize(tmp_path, fills=quoting_fills())["volume"] == pytest.approx(400.06)


def test_avg_spread_captured_is_the_mean_over_maker_fills_in_bps(tmp_path):
    # buy 1 bp below mid, sell 3 bps above; the taker fill is left out
    assert summarize(tmp_path, fills=quoting_fills())["avg_spread_captured"] == pytest.approx(2.0)


def test_avg_spread_captured_skips_maker_fills_without_a_mid(tmp_path):
    fills = [*quoting_fills(), make_fill(price="90", mid_at_fill_f64=math.nan)]
    assert summarize(tmp_path, fills=fills)["avg_spread_captured"] == pytest.approx(2.0)


def test_fill_ratio_is_orders_with_a_fill_over_orders(tmp_path):
    orders = [
        make_order(client_order_id="O-1", filled_quantity="0.010", status="FILLED"),
        make_order(client_order_id="O-2", filled_quantity="0.004", status="CANCELED"),
        make_order(client_order_id="O-3", filled_quantity="0", status="CANCELED"),
        make_order(client_order_id="O-4", filled_quantity="0", status="REJECTED"),
    ]
    summary = summarize(tmp_path, orders=orders)
    assert (summary["orders"], summary["orders_filled"], summary["fill_ratio"]) == (4, 2, 0.5)


# -- PNL AND RISK --


def test_summary_money_figures_come_from_the_last_sample(tmp_path):
    last = make_equity_row(
        ts=START_NS + 1,
        equity_f64=10_150.0,
        pnl_f64=150.0,
        realized_pnl_f64=120.0,
        unrealized_pnl_f64=30.0,
        fees_f64=4.5,
    )
    summary = summarize(tmp_path, equity=[make_equity_row(), last])
    figures = [summary[key] for key in ("pnl", "realized_pnl", "unrealized_pnl", "fees")]
    assert figures == [150.0, 120.0, 30.0, 4.5]
    assert summary["final_equity"] == 10_150.0


def test_return_is_pnl_over_initial_equity_of_run_json(tmp_path):
    equity = make_equity_curve([5_000.0, 5_100.0], initial_equity=5_000.0)
    summary = summarize(tmp_path, equity=equity, run=make_run_info(initial_equity=5_000.0))
    assert summary["return"] == pytest.approx(0.02)


def test_sharpe_and_sortino_use_one_minute_returns_annualized_for_24_7(tmp_path):
    # minute returns +1 %, -1 %, +3 %; the 30 s samples between minutes are ignored
    minutes = [10_000.0, 10_100.0, 9_999.0, 10_298.97]
    equity = make_equity_curve(minutes, interval_ns=MINUTE_NS) + make_equity_curve(
        [20_000.0] * 3, interval_ns=MINUTE_NS, start_ns=START_NS + MINUTE_NS // 2
    )
    summary = summarize(tmp_path, equity=equity)
    assert summary["sharpe"] == pytest.approx(0.5 * math.sqrt(525_600))
    assert summary["sortino"] == pytest.approx(math.sqrt(3) * math.sqrt(525_600))
    assert (summary["returns_interval_s"], summary["periods_per_year"]) == (60.0, 525_600.0)


def test_max_drawdown_is_measured_on_every_sample(tmp_path):
    equity = make_equity_curve([10_000.0, 12_000.0, 9_000.0, 13_000.0])
    assert summarize(tmp_path, equity=equity)["max_drawdown"] == pytest.approx(0.25)


def test_portfolio_totals_are_taken_once_per_sample(tmp_path):
    btc = make_equity_curve([10_000.0, 12_000.0, 9_000.0])
    eth = make_equity_curve([10_000.0, 12_000.0, 9_000.0], instrument_id="ETHUSDT.BINANCE")
    assert summarize(tmp_path, equity=btc + eth)["max_drawdown"] == pytest.approx(0.25)


# -- CONTEXT AND INSTRUMENTS --


def test_summary_copies_replay_figures_from_run_json(tmp_path):
    run = make_run_info(events=5_000_000, wall_s=10.0, events_per_s=500_000.0)
    summary = summarize(tmp_path, run=run)
    assert (summary["events"], summary["wall_s"], summary["events_per_s"]) == (
        5_000_000,
        10.0,
        500_000.0,
    )


def test_summary_takes_the_period_from_equity_when_run_json_lacks_it(tmp_path):
    run = make_run_info(start_ns=None, end_ns=None)
    summary = summarize(tmp_path, run=run, equity=make_equity_curve([1.0, 1.0, 1.0]))
    assert (summary["start_ns"], summary["end_ns"]) == (START_NS, START_NS + 2_000_000_000)


def test_summary_lists_instruments_of_run_json_first_then_those_in_the_data(tmp_path):
    fills = [make_fill(instrument_id="ETHUSDT.OKX")]
    summary = summarize(tmp_path, fills=fills)
    assert [entry["instrument_id"] for entry in summary["instruments"]] == [
        "BTCUSDT.BINANCE",
        "ETHUSDT.OKX",
    ]


def test_instrument_summary_has_its_own_fills_and_final_position(tmp_path):
    equity = [make_equity_row(position_f64=0.0), make_equity_row(ts=START_NS + 1, position_f64=2.0)]
    summary = summarize(tmp_path, fills=quoting_fills(), equity=equity, orders=[make_order()])
    assert summary["instruments"] == [
        {
            "instrument_id": "BTCUSDT.BINANCE",
            "orders": 1,
            "fills": 3,
            "maker_fills": 2,
            "taker_fills": 1,
            "volume": pytest.approx(400.06),
            "final_position": 2.0,
            "avg_spread_captured": pytest.approx(2.0),
        }
    ]


# -- FORMATTING --


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (MetricKind.COUNT, 1234567, "1,234,567"),
        (MetricKind.MONEY, -1234.5, "-1,234.50 USDT"),
        (MetricKind.MONEY, 0.01234, "0.0123 USDT"),
        (MetricKind.FRACTION, 0.0312, "3.12 %"),
        (MetricKind.SIGNED_FRACTION, 0.0125, "+1.250 %"),
        (MetricKind.RATIO, 2.345, "2.35"),
        (MetricKind.BPS, -0.5, "-0.50 bps"),
        (MetricKind.SECONDS, 12.3456, "12.35 s"),
        (MetricKind.RATE, 456789.4, "456,789 /s"),
        (MetricKind.RATIO, None, "n/a"),
    ],
)
def test_format_metric_renders_each_kind(kind, value, text):
    assert format_metric(Metric("x", "X", kind, "G", "d"), value, "USDT") == text


def test_format_amount_of_zero_has_two_decimals():
    assert format_amount(0.0) == "0.00"


def test_metric_keys_are_unique():
    keys = [metric.key for metric in METRICS]
    assert len(keys) == len(set(keys))
