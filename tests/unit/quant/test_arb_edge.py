"""Tests of the two-leg edge with fees and VWAP costs."""

from decimal import Decimal

import pytest

from hftcore.model.enums import Side
from hftcore.model.identifiers import InstrumentId
from hftcore.quant.arb_edge import (
    book_levels,
    common_lot_size,
    net_edge_bps,
    profitable_quantity,
    two_leg_edge,
)
from tests.builders.books import make_l2_book
from tests.builders.instruments import make_instrument

BINANCE = make_instrument("BTCUSDT", "BINANCE", taker_fee="0.001")
OKX = make_instrument("BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001", taker_fee="0.0008")


def test_net_edge_is_the_round_trip_return_after_both_fees():
    assert net_edge_bps(100.0, 101.0, 0.001, 0.002) == pytest.approx(
        (101.0 * 0.998 / (100.0 * 1.001) - 1) * 1e4
    )


def test_net_edge_without_fees_is_the_price_ratio():
    assert net_edge_bps(100.0, 100.5, 0.0, 0.0) == pytest.approx(50.0)


def test_net_edge_refuses_a_non_positive_buy_price():
    with pytest.raises(ValueError, match="buy_price"):
        net_edge_bps(0.0, 1.0, 0.0, 0.0)


def test_profitable_quantity_stops_at_the_first_unprofitable_level():
    quantity = profitable_quantity(
        [100.0, 100.4], [2.0, 5.0], [101.0, 100.5], [1.5, 5.0], 0.0, 0.0, 20.0, 100.0
    )
    # ask 100 vs bid 101 (100 bp): 1.5; ask 100 vs bid 100.5 (50 bp): 0.5 more; ask 100.4 vs
    # bid 100.5 (10 bp) is below 20 bp.
    assert quantity == pytest.approx(2.0)


def test_profitable_quantity_is_capped_by_the_maximum():
    assert profitable_quantity([100.0], [5.0], [101.0], [5.0], 0.0, 0.0, 1.0, 0.25) == 0.25


def test_profitable_quantity_is_zero_when_the_touch_does_not_pay():
    assert profitable_quantity([100.0], [5.0], [100.05], [5.0], 0.0, 0.0, 10.0, 1.0) == 0.0


def test_profitable_quantity_counts_fees():
    # 30 bp apart before fees, about 10 bp after two 10 bp fees.
    assert profitable_quantity([100.0], [5.0], [100.3], [5.0], 0.0, 0.0, 15.0, 1.0) == 1.0
    assert profitable_quantity([100.0], [5.0], [100.3], [5.0], 0.001, 0.001, 15.0, 1.0) == 0.0


def test_profitable_quantity_stops_when_a_book_runs_out():
    assert profitable_quantity([100.0], [0.3], [101.0], [5.0], 0.0, 0.0, 1.0, 2.0) == 0.3


def test_book_levels_are_in_price_and_base_units():
    book = make_l2_book([(100_000, 250)], [(100_010, 300), (100_020, 100)])
    prices, sizes = book_levels(book, BINANCE, Side.SELL, 5)
    assert prices == pytest.approx([1000.10, 1000.20])
    assert sizes == pytest.approx([0.003, 0.001])


def test_two_leg_edge_uses_each_books_vwap_and_fees():
    buy_book = make_l2_book(
        [(6_000_000, 100)], [(6_000_100, 100), (6_000_300, 100)], BINANCE.id
    )  # asks 60001.00 and 60003.00, 0.001 BTC each
    sell_book = make_l2_book(
        [(601_000, 150_000), (600_900, 150_000)],
        [(601_100, 100_000)],
        InstrumentId.from_str("BTC-USDT.OKX"),
    )  # bids 60100.0 and 60090.0, 0.0015 BTC each
    edge = two_leg_edge(buy_book, BINANCE, sell_book, OKX, 200, 200_000)
    assert edge.buy_vwap_price == pytest.approx(60_002.0)
    assert edge.sell_vwap_price == pytest.approx((60_100.0 * 1.5 + 60_090.0 * 0.5) / 2)
    assert edge.buy_worst_price_ticks == 6_000_300
    assert edge.sell_worst_price_ticks == 600_900
    assert edge.net_edge_bps == pytest.approx(
        net_edge_bps(edge.buy_vwap_price, edge.sell_vwap_price, 0.001, 0.0008)
    )


def test_two_leg_edge_is_none_when_a_book_is_too_thin():
    buy_book = make_l2_book([(6_000_000, 100)], [(6_000_100, 100)], BINANCE.id)
    sell_book = make_l2_book(
        [(601_000, 150_000)], [(601_100, 100_000)], InstrumentId.from_str("BTC-USDT.OKX")
    )
    assert two_leg_edge(buy_book, BINANCE, sell_book, OKX, 101, 101_000) is None


def test_common_lot_size_is_the_least_common_multiple():
    assert common_lot_size([Decimal("0.00001"), Decimal("0.00000001")]) == Decimal("0.00001")


def test_common_lot_size_of_coprime_steps():
    assert common_lot_size([Decimal("0.0002"), Decimal("0.0003")]) == Decimal("0.0006")


def test_common_lot_size_needs_a_lot_size():
    with pytest.raises(ValueError, match="lot_sizes"):
        common_lot_size([])


def test_two_leg_edge_takes_fee_overrides():
    buy_book = make_l2_book([(6_000_000, 100)], [(6_000_100, 100)], BINANCE.id)
    sell_book = make_l2_book(
        [(601_000, 150_000)], [(601_100, 100_000)], InstrumentId.from_str("BTC-USDT.OKX")
    )
    edge = two_leg_edge(buy_book, BINANCE, sell_book, OKX, 100, 100_000, 0.0, 0.0)
    assert edge.net_edge_bps == pytest.approx(edge.gross_edge_bps)
