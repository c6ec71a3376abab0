"""Tests of the allocation-free two-book depth walk against the pure-Python one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.model.enums import Side
from hftcore.model.identifiers import InstrumentId
from hftcore.quant.arb_edge import book_levels, profitable_quantity
from hftcore.quant.depth_walk import profitable_book_quantity
from tests.builders.books import make_l2_book
from tests.builders.instruments import make_instrument

BINANCE = make_instrument("BTCUSDT", "BINANCE")
OKX = make_instrument("BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001")
OKX_ID = InstrumentId.from_str("BTC-USDT.OKX")


def python_walk(ask_book, bid_book, min_edge_bps, max_quantity, levels, buy_fee, sell_fee):
    ask_prices, ask_sizes = book_levels(ask_book, BINANCE, Side.SELL, levels)
    bid_prices, bid_sizes = book_levels(bid_book, OKX, Side.BUY, levels)
    return profitable_quantity(
        ask_prices, ask_sizes, bid_prices, bid_sizes, buy_fee, sell_fee, min_edge_bps, max_quantity
    )


level_steps = st.lists(st.tuples(st.integers(1, 50), st.integers(1, 5_000)), min_size=0, max_size=8)


@given(
    asks=level_steps,
    bids=level_steps,
    cross_ticks=st.integers(-2_000, 6_000),
    min_edge_bps=st.floats(0.0, 30.0),
    max_quantity=st.floats(0.0, 0.2),
    levels=st.integers(1, 10),
    fee=st.sampled_from([0.0, 0.0001, 0.001]),
)
def test_book_walk_matches_the_python_walk(
    asks, bids, cross_ticks, min_edge_bps, max_quantity, levels, fee
):
    ask_price, ask_levels = 6_000_000, []
    for step, size in asks:
        ask_levels.append((ask_price, size))
        ask_price += step
    bid_price, bid_levels = 600_000 + cross_ticks // 10, []
    for step, size in bids:
        bid_levels.append((bid_price, size * 1_000))
        bid_price -= step
    ask_book = make_l2_book([(5_000_000, 1)], ask_levels, BINANCE.id)
    bid_book = make_l2_book(bid_levels, [(900_000, 1)], OKX_ID)
    expected = python_walk(ask_book, bid_book, min_edge_bps, max_quantity, levels, fee, fee)
    assert profitable_book_quantity(
        ask_book, BINANCE, fee, bid_book, OKX, fee, min_edge_bps, max_quantity, levels
    ) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_book_walk_stops_at_the_first_level_that_pays_too_little():
    ask_book = make_l2_book([(5_000_000, 1)], [(6_000_000, 300), (6_003_000, 5_000)], BINANCE.id)
    bid_book = make_l2_book([(601_000, 10_000_000)], [(900_000, 1)], OKX_ID)
    # 60000.00 vs 60100.0 pays 16.7 bp; 60030.00 only 11.7 bp.
    assert profitable_book_quantity(
        ask_book, BINANCE, 0.0, bid_book, OKX, 0.0, 15.0, 1.0, 20
    ) == pytest.approx(0.003)


def test_book_walk_of_an_empty_side_is_zero():
    ask_book = make_l2_book([(5_000_000, 1)], [], BINANCE.id)
    bid_book = make_l2_book([(601_000, 10_000_000)], [(900_000, 1)], OKX_ID)
    assert profitable_book_quantity(ask_book, BINANCE, 0.0, bid_book, OKX, 0.0, 1.0, 1.0, 5) == 0.0


def test_book_walk_refuses_a_negative_maximum():
    book = make_l2_book()
    with pytest.raises(ValueError, match="max_quantity"):
        profitable_book_quantity(book, BINANCE, 0.0, book, BINANCE, 0.0, 1.0, -1.0, 5)


def test_book_walk_refuses_zero_levels():
    book = make_l2_book()
    with pytest.raises(ValueError, match="max_levels"):
        profitable_book_quantity(book, BINANCE, 0.0, book, BINANCE, 0.0, 1.0, 1.0, 0)
