"""Valuation of a backtest's accounts: assets priced in the run's quote currency."""

import logging
import math

import pytest

from backtest.account import SimAccount
from backtest.results import VenueEquity, price_assets
from hftcore.model.instrument import Instrument

TRIANGLE_MIDS = {"BTCUSDT": 50_000.0, "ETHUSDT": 3_000.0, "ETHBTC": 0.061}


def spot(symbol: str, base: str, quote: str, tick: str) -> Instrument:
    return Instrument.from_dict(
        {
            "id": f"{symbol}.BINANCE",
            "kind": "SPOT",
            "base": base,
            "quote": quote,
            "settle": quote,
            "tick_size": tick,
            "lot_size": "0.001",
            "min_quantity": "0.001",
            "min_notional": "0",
            "maker_fee": "0.001",
            "taker_fee": "0.001",
            "multiplier": "1",
            "expiry_ns": 0,
        }
    )


class FixedBook:
    """A book whose mid never moves."""

    def __init__(self, mid_price_ticks: float) -> None:
        self.mid_price_ticks = mid_price_ticks


def triangle_equity(balances: dict, mids: dict | None = None, **options) -> VenueEquity:
    mids = TRIANGLE_MIDS if mids is None else mids
    instruments = [
        spot("BTCUSDT", "BTC", "USDT", "0.01"),
        spot("ETHBTC", "ETH", "BTC", "0.00001"),
        spot("ETHUSDT", "ETH", "USDT", "0.01"),
    ]
    books = {i.id.value: FixedBook(mids[i.id.symbol.value] / i.tick_size_f) for i in instruments}
    return VenueEquity([SimAccount("BINANCE", balances, "1")], instruments, books, **options)


def test_triangle_account_is_valued_with_btc_at_its_usdt_mid():
    # 1000 USDT + 2 BTC * 50000 + 10 ETH * 3000 = 131000 (BTC is the quote of ETH-BTC: not 1).
    equity = triangle_equity({"USDT": "1000", "BTC": "2", "ETH": "10"})
    assert equity.mark()["equity"] == pytest.approx(131_000.0)


def test_triangle_prices_each_asset_through_its_shortest_chain():
    prices = price_assets(
        "USDT", [("BTC", "USDT", 50_000.0), ("ETH", "BTC", 0.061), ("ETH", "USDT", 3_000.0)]
    )
    assert prices == {"USDT": 1.0, "BTC": 50_000.0, "ETH": 3_000.0}


def test_an_asset_reached_only_through_a_cross_is_priced_through_it():
    # ETH-BTC * BTC-USDT: 0.061 * 50000 = 3050.
    prices = price_assets("USDT", [("ETH", "BTC", 0.061), ("BTC", "USDT", 50_000.0)])
    assert prices["ETH"] == pytest.approx(3_050.0)


def test_a_quote_asset_is_priced_from_a_priced_base():
    # Valued in BTC: USDT = 1 / 50000 BTC through BTC-USDT.
    prices = price_assets("BTC", [("BTC", "USDT", 50_000.0)])
    assert prices["USDT"] == pytest.approx(1 / 50_000.0)


def test_triangle_equity_in_btc_takes_eth_at_the_eth_btc_mid():
    # 2 BTC + 1000 USDT / 50000 + 10 ETH * 0.061 (one hop from BTC) = 2.63 BTC.
    equity = triangle_equity({"USDT": "1000", "BTC": "2", "ETH": "10"}, quote_currency="BTC")
    assert equity.mark()["equity"] == pytest.approx(2.63)


def test_a_pair_without_a_mid_prices_nothing():
    prices = price_assets("USDT", [("BTC", "USDT", math.nan), ("ETH", "BTC", 0.061)])
    assert prices == {"USDT": 1.0}


def test_an_asset_no_chain_reaches_is_reported_and_excluded(caplog):
    instruments = [spot("SOLBNB", "SOL", "BNB", "0.001")]
    books = {"SOLBNB.BINANCE": FixedBook(250.0)}
    account = SimAccount("BINANCE", {"USDT": "100", "SOL": "1", "BNB": "1"}, "1")
    with caplog.at_level(logging.WARNING, logger="backtest.results"):
        equity = VenueEquity([account], instruments, books)
    assert equity.unpriced_assets == ["BNB", "SOL"]
    assert "BNB, SOL" in caplog.text
    assert equity.mark()["equity"] == pytest.approx(100.0)


def test_a_fallback_price_reaches_the_assets_chained_to_it():
    # BNB = 600 (fallback), SOL = 0.25 BNB * 600 = 150.
    prices = price_assets("USDT", [("SOL", "BNB", 0.25)], {"BNB": 600.0})
    assert prices["SOL"] == pytest.approx(150.0)
