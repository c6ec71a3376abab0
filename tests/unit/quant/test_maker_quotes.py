"""Tests of `MakerQuotes`: the maker's per-update quotes in ticks against the Python model."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.quant.avellaneda_stoikov import (
    AvellanedaStoikovQuoter,
    EwmaVolatility,
    HorizonMode,
    RollingVolatility,
    TradeIntensityEstimator,
)
from hftcore.quant.maker_quotes import MakerQuotes
from tests.builders.books import make_l2_book

TICK = 0.01
LOT = 0.00001
T0 = 1_723_075_200_000_000_000
SESSION_NS = 300_000_000_000
FALLBACK_SIGMA_BPS = 1.3
FALLBACK_A = 1.0
FALLBACK_K_PER_BPS = 2.0


def make_quotes(
    mode=HorizonMode.INFINITE,
    gamma=0.05,
    order_size=0.001,
    min_spread_ticks=2,
    volatility=None,
    fallback_sigma_bps=FALLBACK_SIGMA_BPS,
):
    return MakerQuotes(
        AvellanedaStoikovQuoter(mode, gamma, order_size),
        EwmaVolatility(30.0, 100_000_000, 20) if volatility is None else volatility,
        TradeIntensityEstimator(5 * TICK, 40, 300.0, 2.0),
        TICK,
        LOT,
        min_spread_ticks,
        fallback_sigma_bps,
        FALLBACK_A,
        FALLBACK_K_PER_BPS,
        SESSION_NS,
    )


def reference_quotes(quotes, book, time_left_s, position_lots):
    """The rounding of the Python maker before it moved to Cython (fallback sigma and k)."""
    mid = book.mid_price_ticks_x2 * 0.5 * TICK
    bid_price, ask_price = quotes.quoter.quote(
        mid,
        position_lots * LOT,
        mid * quotes.fallback_sigma_bps * 1e-4,
        FALLBACK_A,
        FALLBACK_K_PER_BPS / (mid * 1e-4),
        time_left_s,
    )
    bid = min(math.floor(bid_price / TICK), book.best_ask_price_ticks - 1)
    ask = max(math.ceil(ask_price / TICK), book.best_bid_price_ticks + 1)
    missing = quotes.min_spread_ticks - (ask - bid)
    if missing > 0:
        bid -= (missing + 1) // 2
        ask += missing // 2
    return bid, ask


@given(
    bid_ticks=st.integers(1_000, 10_000_000),
    spread_ticks=st.integers(1, 500),
    position_lots=st.integers(-100_000, 100_000),
    mode=st.sampled_from([HorizonMode.INFINITE, HorizonMode.FINITE]),
    gamma=st.floats(0.001, 5.0),
    min_spread_ticks=st.integers(1, 100),
    elapsed_ns=st.integers(0, 3 * SESSION_NS),
)
def test_quotes_match_the_python_rounding_of_the_model(
    bid_ticks, spread_ticks, position_lots, mode, gamma, min_spread_ticks, elapsed_ns
):
    quotes = make_quotes(mode=mode, gamma=gamma, min_spread_ticks=min_spread_ticks)
    book = make_l2_book([(bid_ticks, 100)], [(bid_ticks + spread_ticks, 100)])
    assert quotes.quote(book, T0, 0)
    assert quotes.quote(book, T0 + elapsed_ns, position_lots, False)
    time_left_s = (SESSION_NS - elapsed_ns % SESSION_NS) / 1e9
    expected = reference_quotes(quotes, book, time_left_s, position_lots)
    assert (quotes.bid_ticks, quotes.ask_ticks) == expected


@given(
    bid_ticks=st.integers(1_000, 10_000_000),
    spread_ticks=st.integers(1, 500),
    position_lots=st.integers(-100_000, 100_000),
    min_spread_ticks=st.integers(1, 100),
)
def test_quotes_stay_off_the_opposite_touch_and_apart(
    bid_ticks, spread_ticks, position_lots, min_spread_ticks
):
    quotes = make_quotes(gamma=1.0, order_size=0.1, min_spread_ticks=min_spread_ticks)
    book = make_l2_book([(bid_ticks, 100)], [(bid_ticks + spread_ticks, 100)])
    assert quotes.quote(book, T0, position_lots)
    assert quotes.bid_ticks < book.best_ask_price_ticks
    assert quotes.ask_ticks > book.best_bid_price_ticks
    assert quotes.ask_ticks - quotes.bid_ticks >= min_spread_ticks


def test_quotes_skew_down_when_long():
    quotes = make_quotes(gamma=1.0, order_size=0.1, fallback_sigma_bps=20.0)
    book = make_l2_book([(100_000, 100)], [(100_010, 100)])
    quotes.quote(book, T0, 0)
    flat = quotes.bid_ticks, quotes.ask_ticks
    quotes.quote(book, T0, 10_000, False)
    assert quotes.bid_ticks < flat[0]
    assert quotes.ask_ticks < flat[1]


def test_a_one_sided_book_gives_no_quote_and_keeps_the_last():
    quotes = make_quotes()
    quotes.quote(make_l2_book([(100_000, 1)], [(100_010, 1)]), T0, 0)
    last = quotes.bid_ticks, quotes.ask_ticks
    assert not quotes.quote(make_l2_book([(100_000, 1)], []), T0 + 1, 0)
    assert not quotes.quote(make_l2_book([], [(100_010, 1)]), T0 + 1, 0)
    assert (quotes.bid_ticks, quotes.ask_ticks) == last


@pytest.mark.parametrize(
    "volatility", [EwmaVolatility(30.0, 100_000_000, 2), RollingVolatility(2, 100_000_000)]
)
def test_each_update_samples_the_mid_and_the_estimate_replaces_the_fallback(volatility):
    quotes = make_quotes(volatility=volatility, fallback_sigma_bps=1_000.0)
    book = make_l2_book([(100_000, 1)], [(100_010, 1)])
    quotes.quote(book, T0, 0)
    wide = quotes.ask_ticks - quotes.bid_ticks
    for step in range(1, 4):
        quotes.quote(book, T0 + step * 1_000_000_000, 0)
    assert volatility.sample_count == 3
    assert volatility.is_ready
    # The mid never moved: sigma 0 instead of the huge fallback, so the spread narrows.
    assert quotes.ask_ticks - quotes.bid_ticks < wide


def test_requoting_without_a_sample_leaves_the_estimator_alone():
    volatility = EwmaVolatility(30.0, 0, 1)
    quotes = make_quotes(volatility=volatility)
    book = make_l2_book([(100_000, 1)], [(100_010, 1)])
    quotes.quote(book, T0, 0, False)
    assert volatility.last_ts_ns == 0
    quotes.quote(book, T0, 0)
    assert volatility.last_ts_ns == T0


def test_the_session_end_rolls_forward_by_whole_sessions():
    quotes = make_quotes(mode=HorizonMode.FINITE)
    book = make_l2_book([(100_000, 1)], [(100_010, 1)])
    quotes.quote(book, T0, 0)
    assert quotes.session_end_ns == T0 + SESSION_NS
    quotes.quote(book, T0 + 5 * SESSION_NS // 2, 0)
    assert quotes.session_end_ns == T0 + 3 * SESSION_NS


def test_a_time_before_the_last_sample_is_refused():
    quotes = make_quotes()
    book = make_l2_book([(100_000, 1)], [(100_010, 1)])
    quotes.quote(book, T0, 0)
    with pytest.raises(ValueError, match="now_ns"):
        quotes.quote(book, T0 - 1, 0)


def test_a_fitted_intensity_replaces_the_fallback():
    quotes = make_quotes()
    intensity = quotes.intensity
    trade_ns = T0
    for depth_bin, trades in enumerate((400, 200, 100, 50, 25)):
        for _ in range(trades):
            trade_ns += 100_000_000
            intensity.add_trade(trade_ns, (depth_bin + 0.5) * 5 * TICK)
    assert intensity.fit(trade_ns)
    book = make_l2_book([(100_000, 1)], [(100_010, 1)])
    quotes.quote(book, trade_ns, 0)
    mid = 1000.05
    bid_price, ask_price = quotes.quoter.quote(
        mid, 0.0, mid * FALLBACK_SIGMA_BPS * 1e-4, intensity.a_per_s, intensity.k_per_price, 0.0
    )
    assert quotes.bid_ticks == min(math.floor(bid_price / TICK), 100_009)
    assert quotes.ask_ticks == max(math.ceil(ask_price / TICK), 100_001)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tick_size", 0.0),
        ("lot_size", -1.0),
        ("fallback_sigma_bps", math.nan),
        ("fallback_a_per_s", 0.0),
        ("fallback_k_per_bps", math.inf),
        ("min_spread_ticks", 0),
        ("session_ns", 0),
    ],
)
def test_out_of_range_parameters_are_refused(field, value):
    arguments = {
        "quoter": AvellanedaStoikovQuoter(HorizonMode.INFINITE, 0.05, 0.001),
        "volatility": EwmaVolatility(),
        "intensity": TradeIntensityEstimator(0.05),
        "tick_size": TICK,
        "lot_size": LOT,
        "min_spread_ticks": 2,
        "fallback_sigma_bps": 1.0,
        "fallback_a_per_s": 1.0,
        "fallback_k_per_bps": 1.0,
        "session_ns": SESSION_NS,
        field: value,
    }
    with pytest.raises(ValueError, match=field):
        MakerQuotes(*arguments.values())


def test_an_unknown_estimator_is_refused():
    with pytest.raises(TypeError, match="volatility"):
        MakerQuotes(
            AvellanedaStoikovQuoter(HorizonMode.INFINITE, 0.05, 0.001),
            object(),
            TradeIntensityEstimator(0.05),
            TICK,
            LOT,
            2,
            1.0,
            1.0,
            1.0,
            SESSION_NS,
        )
