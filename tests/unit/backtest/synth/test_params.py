"""Calibrated parameters match the captures they were measured on."""

from decimal import Decimal

import pytest

from backtest.importers.instruments import KNOWN_INSTRUMENTS
from backtest.synth.calibration import measure_binance_capture, measure_okx_capture
from backtest.synth.params import BINANCE_BTCUSDT, BOOKS, MEASURED, OKX_BTC_USDT


@pytest.mark.parametrize("params", [BINANCE_BTCUSDT, OKX_BTC_USDT])
def test_calibrated_books_use_the_measured_tick_lot_and_depth(params):
    measured = MEASURED[params.instrument_id]
    assert (params.tick_size, params.lot_size, params.depth_levels) == (
        measured["tick_size"],
        measured["lot_size"],
        measured["depth_levels"],
    )


@pytest.mark.parametrize("params", [BINANCE_BTCUSDT, OKX_BTC_USDT])
def test_calibrated_books_publish_at_the_measured_message_rate(params):
    messages_per_s = 1e9 / params.publish_interval_ns
    assert messages_per_s == pytest.approx(
        MEASURED[params.instrument_id]["book_messages_per_s"], rel=0.1
    )


def test_every_book_has_the_venue_tick_and_lot_of_the_known_instruments():
    for params in BOOKS.values():
        known = KNOWN_INSTRUMENTS[params.instrument_id]
        assert (Decimal(params.tick_size), Decimal(params.lot_size)) == (
            Decimal(known["tick_size"]),
            Decimal(known["lot_size"]),
        )


def test_okx_feed_delay_base_is_the_measured_minimum():
    assert OKX_BTC_USDT.delay_base_ns / 1e6 == pytest.approx(
        MEASURED["BTC-USDT.OKX"]["feed_delay_min_ms"], abs=1.0
    )


def test_binance_capture_measures_to_the_kept_figures(shared_data):
    path = shared_data / "binance" / "hftbacktest_spot_btcusdt_20240808.jsonl.gz"
    measured = measure_binance_capture(path)
    kept = MEASURED["BTCUSDT.BINANCE"]
    for name in (
        "book_messages_per_s",
        "trades_per_s",
        "taker_events_per_s",
        "delete_share",
        "spread_one_tick_share",
        "depth_levels",
        "trade_size_median",
    ):
        assert measured[name] == kept[name], name


def test_okx_capture_measures_to_the_kept_figures(shared_data):
    measured = measure_okx_capture(shared_data / "okx" / "cryptofeed_OKX.ws.1.0.part1.txt")
    kept = MEASURED["BTC-USDT.OKX"]
    for name in (
        "book_messages_per_s",
        "trades_per_s",
        "delete_share",
        "depth_levels",
        "feed_delay_min_ms",
        "feed_delay_p50_ms",
    ):
        assert measured[name] == kept[name], name
