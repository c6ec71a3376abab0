"""Tests of the two-leg arbitrage scan and sizing against the pure-Python edge and walk."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.book.l2_book import L2Book
from hftcore.model.identifiers import InstrumentId
from hftcore.quant.arb_edge import two_leg_edge
from hftcore.quant.depth_walk import profitable_book_quantity
from hftcore.quant.two_leg import ArbLeg, TwoLegCross
from tests.builders.books import make_l2_book
from tests.builders.events import make_book_snapshot
from tests.builders.instruments import make_instrument

BINANCE = make_instrument("BTCUSDT", "BINANCE")
OKX = make_instrument("BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001")
OKX_ID = InstrumentId.from_str("BTC-USDT.OKX")
UNIT = 0.00001
"""Common lot of the two instruments: 1 Binance lot, 1,000 OKX lots."""
NOW = 1_723_075_200_000_000_000
MS = 1_000_000


def stamped_book(bids, asks, instrument_id, ts_event=NOW - 5 * MS, ts_recv=NOW):
    book = L2Book(instrument_id)
    book.apply_snapshot(make_book_snapshot(bids, asks, instrument_id, 1, ts_event, ts_recv))
    return book


def make_cross(
    max_units=200,
    levels=20,
    max_age_ns=250 * MS,
    max_lag_ns=500 * MS,
    premium_bps=1.0,
    bps_per_ms=0.0,
    jitter_multiplier=2.0,
):
    return TwoLegCross(
        UNIT,
        max_units,
        levels,
        max_age_ns,
        max_lag_ns,
        premium_bps,
        bps_per_ms,
        jitter_multiplier,
    )


level_steps = st.lists(st.tuples(st.integers(1, 50), st.integers(1, 5_000)), min_size=1, max_size=8)


@given(
    asks=level_steps,
    bids=level_steps,
    cross_ticks=st.integers(-2_000, 6_000),
    premium_bps=st.floats(0.0, 30.0),
    max_units=st.integers(1, 20_000),
    cap_units=st.integers(-5, 20_000),
    levels=st.integers(1, 10),
    fee=st.sampled_from([0.0, 0.0001, 0.001]),
)
def test_sizing_matches_the_depth_walk_and_the_python_edge(
    asks, bids, cross_ticks, premium_bps, max_units, cap_units, levels, fee
):
    ask_price, ask_levels = 6_000_000, []
    for step, size in asks:
        ask_levels.append((ask_price, size))
        ask_price += step
    bid_price, bid_levels = 600_000 + cross_ticks // 10, []
    for step, size in bids:
        bid_levels.append((bid_price, size * 1_000))
        bid_price -= step
    buy_book = stamped_book([(5_000_000, 1)], ask_levels, BINANCE.id)
    sell_book = stamped_book(bid_levels, [(900_000, 1)], OKX_ID)
    buy, sell = ArbLeg(buy_book, BINANCE, fee, 1), ArbLeg(sell_book, OKX, fee, 1_000)
    cross = make_cross(max_units=max_units, levels=levels, premium_bps=premium_bps)
    if not cross.scan([buy, sell], NOW):
        return
    assert (cross.buy, cross.sell) == (buy, sell)
    quantity = profitable_book_quantity(
        buy_book, BINANCE, fee, sell_book, OKX, fee, premium_bps, max_units * UNIT, levels
    )
    units = min(int(quantity / UNIT + 1e-9), max_units, cap_units)
    edge = (
        two_leg_edge(buy_book, BINANCE, sell_book, OKX, units, units * 1_000, fee, fee)
        if (units >= 1)
        else None
    )
    assert cross.size(cap_units) == (edge is not None)
    if edge is None:
        assert cross.units == 0
        return
    assert cross.units == units
    assert (cross.buy_lots, cross.sell_lots) == (edge.buy_lots, edge.sell_lots)
    assert cross.buy_worst_price_ticks == edge.buy_worst_price_ticks
    assert cross.sell_worst_price_ticks == edge.sell_worst_price_ticks
    assert cross.buy_vwap_price == pytest.approx(edge.buy_vwap_price, rel=1e-12)
    assert cross.sell_vwap_price == pytest.approx(edge.sell_vwap_price, rel=1e-12)
    assert cross.net_edge_bps == pytest.approx(edge.net_edge_bps, rel=1e-9, abs=1e-9)


def crossed_legs(binance_ts_recv=NOW, okx_ts_event=NOW - 5 * MS, fee=0.001):
    # Binance asks 59500.01, OKX bids 60000.0: about 84 bp gross.
    binance = ArbLeg(
        stamped_book(
            [(5_949_000, 2_000)], [(5_950_001, 50)], BINANCE.id, NOW - 5 * MS, binance_ts_recv
        ),
        BINANCE,
        fee,
        1,
    )
    okx = ArbLeg(
        stamped_book([(600_000, 200_000)], [(600_001, 200_000)], OKX_ID, okx_ts_event, NOW),
        OKX,
        fee,
        1_000,
    )
    return binance, okx


def test_scan_buys_the_lowest_ask_and_sells_the_highest_bid():
    binance, okx = crossed_legs()
    cross = make_cross()
    assert cross.scan([okx, binance], NOW)
    assert cross.buy is binance
    assert cross.sell is okx
    assert cross.required_edge_bps == 1.0


def test_scan_rejects_when_the_touch_pays_less_than_required():
    binance, okx = crossed_legs()
    # Gross about 84 bp minus 20 bp of fees: 64 bp net.
    assert make_cross(premium_bps=63.0).scan([binance, okx], NOW)
    cross = make_cross(premium_bps=65.0)
    assert not cross.scan([binance, okx], NOW)
    assert cross.buy is None and cross.sell is None


def test_a_stale_or_lagging_book_is_left_out():
    binance, okx = crossed_legs(binance_ts_recv=NOW - 300 * MS)
    assert not make_cross().scan([binance, okx], NOW)
    binance, okx = crossed_legs(okx_ts_event=NOW - 600 * MS)
    assert not make_cross().scan([binance, okx], NOW)


def test_one_fresh_leg_alone_is_no_cross():
    binance, _ = crossed_legs()
    assert not make_cross().scan([binance], NOW)


def test_latency_buffers_raise_the_required_edge():
    binance, okx = crossed_legs()
    binance.observe_latency(0.5)
    okx.observe_latency(0.5)
    cross = make_cross(bps_per_ms=2.0)
    assert cross.scan([binance, okx], NOW)
    assert cross.required_edge_bps == pytest.approx(1.0 + 2 * 2.0 * 5.0)
    assert not make_cross(bps_per_ms=7.0).scan([binance, okx], NOW)


def test_latency_ewma_takes_the_first_lag_then_averages():
    book = stamped_book([(100, 1)], [(101, 1)], BINANCE.id, NOW - 4 * MS, NOW)
    leg = ArbLeg(book, BINANCE, 0.001, 1)
    assert math.isnan(leg.latency_ns)
    assert leg.latency_buffer_bps(1.0, 2.0) == 0.0
    leg.observe_latency(0.25)
    assert (leg.latency_ns, leg.jitter_ns) == (4 * MS, 0.0)
    book.apply_snapshot(
        make_book_snapshot([(100, 1)], [(101, 1)], BINANCE.id, 2, NOW, NOW + 8 * MS)
    )
    leg.observe_latency(0.25)
    assert leg.latency_ns == pytest.approx(4 * MS + 0.25 * 4 * MS)
    assert leg.jitter_ns == pytest.approx(0.25 * 4 * MS)
    assert leg.latency_buffer_bps(1.0, 2.0) == pytest.approx((5 * MS + 2 * MS) / MS)


def test_a_book_without_a_venue_time_adds_no_latency_sample():
    leg = ArbLeg(make_l2_book([(100, 1)], [(101, 1)]), BINANCE, 0.001, 1)
    leg.observe_latency(0.5)
    assert math.isnan(leg.latency_ns)


def test_size_caps_the_units_and_needs_a_scan():
    binance, okx = crossed_legs()
    cross = make_cross()
    assert not cross.size(10)
    assert cross.scan([binance, okx], NOW)
    assert cross.size(10)
    assert (cross.units, cross.buy_lots, cross.sell_lots) == (10, 10, 10_000)
    assert not cross.size(0)
    assert cross.units == 0


def test_size_stops_where_the_thin_ask_runs_out():
    binance, okx = crossed_legs()
    cross = make_cross()
    cross.scan([binance, okx], NOW)
    assert cross.size(1_000)
    assert cross.units == 50
    assert cross.buy_worst_price_ticks == 5_950_001
    assert cross.sell_worst_price_ticks == 600_000


def test_a_subclass_adds_its_own_state():
    class Leg(ArbLeg):
        __slots__ = ("position_lots",)

    binance, _ = crossed_legs()
    leg = Leg(binance.book, BINANCE, 0.001, 1)
    leg.position_lots = 3
    assert leg.position_lots == 3
    assert leg.is_fresh(NOW, 250 * MS, 500 * MS)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ((0.0, 1, 1, 0, 0, 0.0, 0.0, 0.0), "unit_size"),
        ((UNIT, 0, 1, 0, 0, 0.0, 0.0, 0.0), "max_units"),
        ((UNIT, 1, 0, 0, 0, 0.0, 0.0, 0.0), "max_levels"),
        ((UNIT, 1, 1, -1, 0, 0.0, 0.0, 0.0), "max_age_ns"),
        ((UNIT, 1, 1, 0, -1, 0.0, 0.0, 0.0), "max_lag_ns"),
        ((UNIT, 1, 1, 0, 0, -1.0, 0.0, 0.0), "risk_premium_bps"),
        ((UNIT, 1, 1, 0, 0, 0.0, math.nan, 0.0), "latency_buffer_bps_per_ms"),
        ((UNIT, 1, 1, 0, 0, 0.0, 0.0, math.inf), "latency_jitter_multiplier"),
    ],
)
def test_cross_parameters_out_of_range_are_refused(arguments, field):
    with pytest.raises(ValueError, match=field):
        TwoLegCross(*arguments)


def test_leg_parameters_out_of_range_are_refused():
    book = make_l2_book()
    with pytest.raises(ValueError, match="fee"):
        ArbLeg(book, BINANCE, 1.0, 1)
    with pytest.raises(ValueError, match="lots_per_unit"):
        ArbLeg(book, BINANCE, 0.001, 0)
    with pytest.raises(ValueError, match="alpha"):
        ArbLeg(book, BINANCE, 0.001, 1).observe_latency(0.0)


def test_scan_refuses_what_is_not_a_leg():
    with pytest.raises(TypeError):
        make_cross().scan([object()], NOW)
