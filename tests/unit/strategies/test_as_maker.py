"""Tests of the Avellaneda-Stoikov maker driven through a backtest trading node."""

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.model.enums import AggressorSide, Side, TimeInForce
from hftcore.model.order_events import OrderDenied, OrderRejected
from hftcore.portfolio.ledger import Portfolio
from hftcore.strategy.loader import load_strategy_class
from strategies.as_maker import AsMaker, AsMakerConfig
from tests.builders.events import TS_EVENT, make_order_filled, make_trade
from tests.builders.instruments import make_instrument
from tests.unit.strategies.harness import (
    accept,
    cancel_done,
    canceled,
    feed_book,
    fill,
    make_node,
    modified,
    quoted_prices,
    submitted,
    updated,
)

BTC = "BTCUSDT.BINANCE"
BID, ASK = 100_000, 100_010
"""Touch of the test book, ticks of 0.01 USDT (1000.00 / 1000.10)."""

# Big enough quotes, risk aversion and fallback volatility that the inventory skew spans ticks.
VISIBLE = {"gamma": 1.0, "order_size": "0.1", "max_inventory": "0.3", "fallback_sigma_bps": 20.0}


def start(**config):
    strategy = AsMaker(AsMakerConfig(**{**VISIBLE, **config}))
    node = make_node([make_instrument()], strategy)
    return node, strategy


def quote(node, bid=BID, ask=ASK):
    feed_book(node, BTC, [(bid, 1_000_000)], [(ask, 1_000_000)])


def last_quotes(node):
    """The newest bid and ask prices, ticks, sent (by a new quote or an amend)."""
    prices = quoted_prices(node)
    return prices[Side.BUY], prices[Side.SELL]


def hold(node, strategy, side):
    """Get the inventory to one quote size on ``side`` (BUY: long) through a fill."""
    order = next(o for o in reversed(submitted(node)) if o.side == side)
    accept(node, order)
    fill(node, order)


def test_default_config_quotes_btcusdt_binance():
    strategy = AsMaker()
    node = make_node([make_instrument()], strategy)
    quote(node, 6_180_000, 6_180_001)
    assert {o.instrument_id.value for o in submitted(node)} == {BTC}
    assert {o.side for o in submitted(node)} == {Side.BUY, Side.SELL}


def test_the_strategy_file_defines_one_loadable_strategy():
    assert load_strategy_class("strategies/as_maker.py").__name__ == "AsMaker"


def test_quotes_are_post_only():
    node, _ = start()
    quote(node)
    assert all(o.is_post_only and o.time_in_force == TimeInForce.GTX for o in submitted(node))


@pytest.mark.parametrize("horizon", ["infinite", "finite"])
def test_quotes_skew_down_when_long(horizon):
    node, strategy = start(horizon=horizon)
    quote(node)
    flat_bid, flat_ask = last_quotes(node)
    hold(node, strategy, Side.BUY)
    long_bid, long_ask = last_quotes(node)
    assert strategy.position_lots > 0
    assert long_bid < flat_bid
    assert long_ask < flat_ask


@pytest.mark.parametrize("horizon", ["infinite", "finite"])
def test_quotes_skew_up_when_short(horizon):
    node, strategy = start(horizon=horizon)
    quote(node)
    flat_bid, flat_ask = last_quotes(node)
    hold(node, strategy, Side.SELL)
    short_bid, short_ask = last_quotes(node)
    assert strategy.position_lots < 0
    assert short_bid > flat_bid
    assert short_ask > flat_ask


def spread_ticks(**config):
    node, _ = start(**config)
    feed_book(node, BTC, [(BID, 1_000_000)], [(BID + 1, 1_000_000)])
    bid, ask = last_quotes(node)
    return ask - bid


@pytest.mark.parametrize("horizon", ["infinite", "finite"])
def test_spread_widens_with_sigma(horizon):
    assert spread_ticks(horizon=horizon, fallback_sigma_bps=40.0) > spread_ticks(
        horizon=horizon, fallback_sigma_bps=10.0
    )


@pytest.mark.parametrize("horizon", ["infinite", "finite"])
def test_spread_widens_with_gamma(horizon):
    assert spread_ticks(horizon=horizon, gamma=4.0) > spread_ticks(horizon=horizon, gamma=1.0)


def test_finite_horizon_spread_narrows_toward_the_session_end():
    node, _ = start(horizon="finite", session_length_s=100.0)
    early = spread_ticks(horizon="finite", session_length_s=100.0)
    quote(node)
    node.clock.set_time(TS_EVENT + 99_000_000_000)
    feed_book(node, BTC, [(BID, 1_000_000)], [(BID + 1, 1_000_000)])
    bid, ask = last_quotes(node)
    assert ask - bid < early


@given(
    bid_ticks=st.integers(50_000, 150_000),
    spread=st.integers(1, 50),
    position_quotes=st.integers(-3, 3),
    gamma=st.floats(0.01, 10.0),
    sigma_bps=st.floats(0.1, 100.0),
    horizon=st.sampled_from(["infinite", "finite"]),
)
def test_no_quote_crosses_the_book(bid_ticks, spread, position_quotes, gamma, sigma_bps, horizon):
    strategy = AsMaker(
        AsMakerConfig(
            gamma=gamma,
            order_size="0.1",
            max_inventory="0.3",
            fallback_sigma_bps=sigma_bps,
            horizon=horizon,
        )
    )
    node = make_node([make_instrument()], strategy)
    strategy.position_lots = position_quotes * 10_000
    quote(node, bid_ticks, bid_ticks + spread)
    for order in submitted(node):
        if order.side == Side.BUY:
            assert order.price_ticks < bid_ticks + spread
        else:
            assert order.price_ticks > bid_ticks


def test_quotes_keep_the_minimum_spread():
    node, _ = start(min_spread_ticks=40, gamma=0.01, fallback_sigma_bps=0.1)
    quote(node)
    bid, ask = last_quotes(node)
    assert ask - bid >= 40


def test_at_max_inventory_only_the_reducing_side_quotes():
    node, strategy = start()
    quote(node)
    for _ in range(3):
        hold(node, strategy, Side.BUY)
    assert strategy.position_lots == 30_000  # 0.3 BTC: max_inventory
    open_sides = {o.side for o in strategy.open_orders()}
    assert open_sides == {Side.SELL}


def test_inventory_never_exceeds_the_limit_when_every_bid_fills():
    node, strategy = start()
    quote(node)
    for step in range(8):
        bids = [o for o in strategy.open_orders() if o.side == Side.BUY]
        for order in bids:
            accept(node, order)
            fill(node, order)
        quote(node, BID - step, ASK - step)
        assert strategy.position_lots <= 30_000
    assert strategy.position_lots == 30_000


def test_a_small_move_of_the_desired_price_does_not_requote():
    node, _ = start(requote_threshold_ticks=5)
    quote(node)
    sent = len(submitted(node))
    quote(node, BID + 2, ASK + 2)
    assert len(submitted(node)) == sent
    assert canceled(node) == []


def test_a_move_past_the_threshold_amends_the_quotes_in_place():
    # One modify request a side instead of a cancel and a new order: half the rate limit.
    node, strategy = start(requote_threshold_ticks=5)
    quote(node)
    first = list(submitted(node))
    quote(node, BID + 50, ASK + 50)
    assert canceled(node) == []
    assert submitted(node) == first
    assert [order for order, _, _ in modified(node)] == first
    bid, ask = last_quotes(node)
    assert bid > first[0].price_ticks
    assert ask > first[1].price_ticks
    assert [quantity for _, _, quantity in modified(node)] == [10_000, 10_000]
    assert strategy.amend_count == 2


def test_an_amend_in_flight_is_not_amended_again_until_the_venue_answers():
    node, _ = start(requote_threshold_ticks=5)
    quote(node)
    bid, ask = submitted(node)
    accept(node, bid)
    accept(node, ask)
    quote(node, BID + 50, ASK + 50)
    quote(node, BID + 100, ASK + 100)
    assert len(modified(node)) == 2
    updated(node, bid)
    updated(node, ask)
    assert bid.price_ticks == modified(node)[0][1]
    quote(node, BID + 100, ASK + 100)
    assert len(modified(node)) == 4
    assert canceled(node) == []


def test_an_amended_quote_keeps_post_only():
    node, _ = start(requote_threshold_ticks=5)
    quote(node)
    bid, _ = submitted(node)
    accept(node, bid)
    quote(node, BID + 50, ASK + 50)
    updated(node, bid)
    assert bid.is_post_only and bid.time_in_force == TimeInForce.GTX
    assert bid.price_ticks > BID - 50


class DenyingAmends:
    """Risk engine double: approves every order, denies every modify."""

    def check_order(self, order):
        return None

    def check_modify(self, order, price_ticks, quantity_lots):
        return OrderDenied(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            "PRICE_BAND",
            f"amend to {price_ticks} ticks denied by the test",
        )


def test_a_denied_amend_backs_off_then_cancels_the_stale_quote():
    node, _ = start(requote_threshold_ticks=5, reject_backoff_ms=1000)
    node.set_risk_engine(DenyingAmends())
    quote(node)
    bid = submitted(node)[0]
    accept(node, bid)
    quote(node, BID + 50, ASK + 50)
    assert modified(node) == []
    assert canceled(node) == []
    quote(node, BID + 50, ASK + 50)
    assert bid in canceled(node)
    assert [o.side for o in submitted(node)].count(Side.BUY) == 1
    node.clock.set_time(TS_EVENT + 1_000_000_000)
    quote(node, BID + 50, ASK + 50)
    assert [o.side for o in submitted(node)].count(Side.BUY) == 2


def test_an_amend_keeps_the_inventory_limit():
    node, strategy = start()
    quote(node)
    hold(node, strategy, Side.BUY)
    hold(node, strategy, Side.BUY)
    bid = next(o for o in reversed(submitted(node)) if o.side == Side.BUY)
    accept(node, bid)
    fill(node, bid, qty_lots=5_000)
    assert strategy.position_lots == 25_000
    amended_bid, price_ticks, quantity_lots = modified(node)[-1]
    assert amended_bid is bid
    assert price_ticks < bid.price_ticks  # skewed down by the larger inventory
    # Filled 5,000 + 5,000 leaves: everything still open filling reaches 0.3 BTC, no more.
    assert quantity_lots == 10_000
    assert strategy.position_lots + quantity_lots - bid.filled_lots == 30_000


def test_a_fill_requotes_even_without_a_price_move():
    node, _ = start(requote_threshold_ticks=10_000)
    quote(node)
    bid = submitted(node)[0]
    ask = submitted(node)[1]
    accept(node, bid)
    fill(node, bid)
    # The filled bid is replaced by a new one; the ask moves to the skewed price in place.
    assert len(submitted(node)) == 3
    assert [order for order, _, _ in modified(node)] == [ask]
    assert modified(node)[0][1] < ask.price_ticks


def test_a_denied_side_waits_for_the_backoff():
    node, _ = start(reject_backoff_ms=1000)
    quote(node)
    bid = submitted(node)[0]
    node.exec_engine.process(
        OrderRejected(bid.strategy_id, bid.instrument_id, bid.client_order_id, "would cross")
    )
    quote(node)
    assert [o.side for o in submitted(node)].count(Side.BUY) == 1
    node.clock.set_time(TS_EVENT + 1_000_000_000)
    quote(node)
    assert [o.side for o in submitted(node)].count(Side.BUY) == 2


def test_stop_cancels_every_quote():
    node, _ = start()
    quote(node)
    for order in submitted(node):
        accept(node, order)
    node.stop()
    assert set(canceled(node)) == set(submitted(node))


def test_trades_fit_the_intensity_once_enough_depths_are_seen():
    node, strategy = start(intensity_bin_ticks=1, intensity_bin_count=10)
    quote(node)
    depth_counts = {0: 40, 1: 20, 2: 10, 3: 5, 4: 3}
    for depth, count in depth_counts.items():
        for _ in range(count):
            node.clock.set_time(node.clock.timestamp_ns() + 10_000_000)
            node.data_engine.process(
                make_trade(BTC, price_ticks=ASK + depth, aggressor_side=AggressorSide.BUYER)
            )
    assert strategy.intensity.is_fitted
    assert strategy.intensity.k_per_price > 0


def test_a_canceled_quote_is_replaced_on_the_next_book():
    node, _ = start()
    quote(node)
    bid = submitted(node)[0]
    accept(node, bid)
    cancel_done(node, bid)
    quote(node)
    assert [o.side for o in submitted(node)].count(Side.BUY) == 2


def test_config_with_two_instruments_names_the_field():
    with pytest.raises(msgspec.ValidationError, match=r"\$\.instruments"):
        AsMakerConfig(instruments=[BTC, "ETHUSDT.BINANCE"])


def test_config_with_a_bad_order_size_names_the_field():
    with pytest.raises(msgspec.ValidationError, match=r"\$\.order_size"):
        AsMakerConfig(order_size="-1")


def test_inventory_starts_from_the_portfolio_position():
    portfolio = Portfolio()
    node = make_node(
        [make_instrument()], AsMaker(AsMakerConfig(strategy_id="OTHER")), portfolio=portfolio
    )
    portfolio.on_order_event(make_order_filled(instrument_id=BTC, last_qty_lots=20_000))
    strategy = AsMaker(AsMakerConfig(**VISIBLE))
    node.add_strategy(strategy)
    strategy.on_start()
    assert strategy.position_lots == 20_000
