"""Each risk check alone and in combination, through a real node (hand-computed values).

Spot BTCUSDT.BINANCE: 1 BTC = 100_000 lots, 100000.00 USDT = 10_000_000 ticks, so an order of
``n`` lots at ``p`` ticks has a notional of ``n * p / 10_000_000`` USDT.
"""

from decimal import Decimal

import pytest

from hftcore.model.enums import OrderStatus, Side
from hftcore.risk.config import (
    BalanceConfig,
    InstrumentRulesConfig,
    MaxOpenOrdersConfig,
    MaxOrderConfig,
    MaxPositionConfig,
    OrderLimits,
    OrderRateConfig,
    PriceBandConfig,
    RateConfig,
    RiskConfig,
    SelfTradeConfig,
)
from tests.unit.risk.harness import ETH, OKX_SPOT, PERP, SPOT, Harness, balances, only

P100K = 10_000_000
"""100000.00 USDT in spot ticks."""


def denied_with(harness, order, reason_code):
    """Assert ``order`` was denied for ``reason_code``; return the denial's message."""
    assert order.status == OrderStatus.DENIED
    denial = harness.last_denial()
    assert denial.client_order_id == order.client_order_id
    assert denial.reason_code == reason_code
    return denial.message


# -- MAX POSITION ------------------------------------------------------------------------------


@pytest.fixture
def position_limit():
    return Harness(only(max_position=MaxPositionConfig(quantity=Decimal("0.5"))))


def test_buy_up_to_the_position_limit_is_approved(position_limit):
    assert position_limit.limit(Side.BUY, 50_000, P100K).status == OrderStatus.SUBMITTED


def test_buy_past_the_limit_counting_the_current_position_is_denied(position_limit):
    position_limit.position(Side.BUY, 30_000, P100K)
    order = position_limit.limit(Side.BUY, 20_001, P100K)
    message = denied_with(position_limit, order, "MAX_POSITION")
    assert "position 30000 lots" in message
    assert "= 50001 lots" in message
    assert "+/-50000 lots" in message


def test_open_orders_on_the_same_side_count_as_filled(position_limit):
    position_limit.limit(Side.BUY, 20_000, P100K)
    assert position_limit.limit(Side.BUY, 30_000, P100K).status == OrderStatus.SUBMITTED
    denied_with(position_limit, position_limit.limit(Side.BUY, 1, P100K), "MAX_POSITION")


def test_open_orders_on_the_other_side_do_not_count(position_limit):
    position_limit.limit(Side.SELL, 40_000, P100K)
    assert position_limit.limit(Side.BUY, 50_000, P100K).status == OrderStatus.SUBMITTED


def test_short_side_is_limited_like_the_long_side(position_limit):
    denied_with(position_limit, position_limit.limit(Side.SELL, 50_001, P100K), "MAX_POSITION")


def test_sell_through_a_long_position_is_limited_on_the_short_side(position_limit):
    position_limit.position(Side.BUY, 30_000, P100K)
    assert position_limit.limit(Side.SELL, 80_000, P100K).status == OrderStatus.SUBMITTED
    denied_with(position_limit, position_limit.limit(Side.SELL, 1, P100K), "MAX_POSITION")


def test_instrument_limit_overrides_the_default():
    harness = Harness(
        only(
            max_position=MaxPositionConfig(
                quantity=Decimal("0.5"), instruments={SPOT.value: Decimal("0.1")}
            )
        )
    )
    denied_with(harness, harness.limit(Side.BUY, 10_001, P100K), "MAX_POSITION")


def test_asset_limit_sums_positions_across_venues():
    harness = Harness(only(max_position=MaxPositionConfig(assets={"BTC": Decimal("1")})))
    harness.position(Side.BUY, 60_000, P100K)  # 0.6 BTC on Binance
    okx_price = 1_000_000  # 100000.0 at tick 0.1
    assert harness.limit(Side.BUY, 40_000_000, okx_price, OKX_SPOT).status == (
        OrderStatus.SUBMITTED
    )  # 0.6 + 0.4 open = 1.0
    order = harness.limit(Side.BUY, 1, okx_price, OKX_SPOT)
    message = denied_with(harness, order, "MAX_POSITION")
    assert "asset BTC" in message
    assert "1.00000001 BTC" in message


def test_asset_limit_counts_perpetual_positions():
    harness = Harness(only(max_position=MaxPositionConfig(assets={"BTC": Decimal("1")})))
    harness.position(Side.SELL, 700, 1_000_000, PERP)  # short 0.7 BTC perpetual
    assert harness.limit(Side.SELL, 30_000, P100K).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.SELL, 1, P100K), "MAX_POSITION")


def test_asset_limit_without_a_portfolio_reads_the_cache_positions():
    harness = Harness(
        only(max_position=MaxPositionConfig(assets={"BTC": Decimal("1")})), with_portfolio=False
    )
    from tests.builders.events import make_position_update

    harness.node.cache.set_position(make_position_update(SPOT, 90_000))
    assert harness.limit(Side.BUY, 10_000, P100K).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.BUY, 1, P100K), "MAX_POSITION")


# -- MAX ORDER ---------------------------------------------------------------------------------


def test_order_quantity_over_the_maximum_is_denied():
    harness = Harness(only(max_order=MaxOrderConfig(quantity=Decimal("0.1"))))
    assert harness.limit(Side.BUY, 10_000, P100K).status == OrderStatus.SUBMITTED
    message = denied_with(harness, harness.limit(Side.BUY, 10_001, P100K), "MAX_ORDER_QUANTITY")
    assert "0.10001" in message
    assert "max 0.10000" in message


def test_order_notional_over_the_maximum_is_denied():
    harness = Harness(only(max_order=MaxOrderConfig(notional=Decimal("5000"))))
    assert harness.limit(Side.BUY, 5_000, P100K).status == OrderStatus.SUBMITTED  # 5000 USDT
    message = denied_with(harness, harness.limit(Side.BUY, 5_001, P100K), "MAX_ORDER_NOTIONAL")
    assert "notional 5001 USDT > max 5000" in message


def test_instrument_order_limits_override_the_defaults():
    harness = Harness(
        only(
            max_order=MaxOrderConfig(
                quantity=Decimal("1"),
                instruments={SPOT.value: OrderLimits(quantity=Decimal("0.01"))},
            )
        )
    )
    denied_with(harness, harness.limit(Side.BUY, 1_001, P100K), "MAX_ORDER_QUANTITY")


def test_market_order_notional_is_valued_at_the_touch():
    harness = Harness(only(max_order=MaxOrderConfig(notional=Decimal("5000"))))
    harness.book(P100K - 100, P100K)
    assert harness.market(Side.BUY, 5_000).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.market(Side.BUY, 5_001), "MAX_ORDER_NOTIONAL")


def test_market_order_without_a_price_cannot_be_valued():
    harness = Harness(only(max_order=MaxOrderConfig(notional=Decimal("5000"))))
    denied_with(harness, harness.market(Side.BUY, 1), "NO_REFERENCE_PRICE")


# -- MAX OPEN ORDERS ---------------------------------------------------------------------------


def test_open_orders_per_instrument_are_capped():
    harness = Harness(only(max_open_orders=MaxOpenOrdersConfig(per_instrument=2)))
    first = harness.limit(Side.BUY, 1, P100K)
    harness.limit(Side.BUY, 1, P100K)
    message = denied_with(harness, harness.limit(Side.BUY, 1, P100K), "MAX_OPEN_ORDERS")
    assert "2 open orders + this one > max 2 per instrument" in message
    harness.node.exec_engine.cancel_order(first)
    harness.confirm_cancel(first)
    assert harness.limit(Side.BUY, 1, P100K).status == OrderStatus.SUBMITTED


def test_open_orders_per_strategy_are_counted_across_instruments_and_not_across_strategies():
    harness = Harness(only(max_open_orders=MaxOpenOrdersConfig(per_strategy=2)))
    other = harness.add_strategy("S2")
    harness.limit(Side.BUY, 1, P100K, strategy=other)
    harness.limit(Side.BUY, 1, P100K)
    harness.limit(Side.BUY, 1, 1_000_000, PERP)
    denied_with(harness, harness.limit(Side.BUY, 1, 1_000_000, OKX_SPOT), "MAX_OPEN_ORDERS")
    assert harness.limit(Side.BUY, 1, P100K, strategy=other).status == OrderStatus.SUBMITTED


# -- PRICE BAND --------------------------------------------------------------------------------


@pytest.fixture
def banded():
    harness = Harness(only(price_band=PriceBandConfig(bps=Decimal("100"))))
    harness.book(P100K - 1_000, P100K + 1_000)  # 99990.00 / 100010.00: mid 100000.00
    return harness


def test_price_at_the_band_edge_is_approved(banded):
    assert banded.limit(Side.BUY, 1, 10_100_000).status == OrderStatus.SUBMITTED  # +100 bps


def test_price_past_the_band_is_denied(banded):
    message = denied_with(banded, banded.limit(Side.BUY, 1, 10_100_001), "PRICE_BAND")
    assert "101000.01" in message
    assert "100.0 bps from the reference 100000" in message
    denied_with(banded, banded.limit(Side.SELL, 1, 9_899_999), "PRICE_BAND")


def test_band_uses_the_last_trade_without_a_book():
    harness = Harness(only(price_band=PriceBandConfig(bps=Decimal("100"))))
    harness.trade(P100K)
    assert harness.limit(Side.BUY, 1, 10_100_000).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.BUY, 1, 10_100_001), "PRICE_BAND")


def test_band_without_a_reference_denies_unless_allowed():
    harness = Harness(only(price_band=PriceBandConfig()))
    denied_with(harness, harness.limit(Side.BUY, 1, P100K), "NO_REFERENCE_PRICE")
    allowing = Harness(only(price_band=PriceBandConfig(allow_without_reference=True)))
    assert allowing.limit(Side.BUY, 1, P100K).status == OrderStatus.SUBMITTED


def test_market_orders_are_not_banded(banded):
    assert banded.market(Side.BUY, 1).status == OrderStatus.SUBMITTED


def test_instrument_band_overrides_the_default():
    harness = Harness(
        only(price_band=PriceBandConfig(bps=Decimal("100"), instruments={SPOT.value: Decimal(10)}))
    )
    harness.book(P100K - 1_000, P100K + 1_000)
    denied_with(harness, harness.limit(Side.BUY, 1, 10_010_001), "PRICE_BAND")


# -- RATE LIMIT --------------------------------------------------------------------------------


def test_strategy_rate_allows_a_burst_then_refills_with_clock_time():
    harness = Harness(
        only(order_rate=OrderRateConfig(per_strategy=RateConfig(orders_per_s=2, burst=2)))
    )
    harness.limit(Side.BUY, 1, P100K)
    harness.limit(Side.BUY, 1, P100K)
    message = denied_with(harness, harness.limit(Side.BUY, 1, P100K), "RATE_LIMIT")
    assert "strategy S1: more than 2 orders/s (burst 2)" in message
    harness.clock.advance_time(harness.clock.timestamp_ns() + 500_000_000)  # one token
    assert harness.limit(Side.BUY, 1, P100K).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.BUY, 1, P100K), "RATE_LIMIT")


def test_venue_rate_is_shared_by_strategies_and_separate_per_venue():
    harness = Harness(
        only(order_rate=OrderRateConfig(per_venue=RateConfig(orders_per_s=1, burst=1)))
    )
    harness.limit(Side.BUY, 1, P100K)
    other = harness.add_strategy("S2")
    message = denied_with(harness, harness.limit(Side.BUY, 1, P100K, strategy=other), "RATE_LIMIT")
    assert "venue BINANCE" in message
    assert harness.limit(Side.BUY, 1, 1_000_000, OKX_SPOT).status == OrderStatus.SUBMITTED


# -- BALANCE -----------------------------------------------------------------------------------


def funded(*entries):
    return Harness(only(balance=BalanceConfig()), balances(*entries))


def test_spot_buy_needs_the_quote_net_of_open_orders():
    harness = funded(("BINANCE", "USDT", "10000"))
    assert harness.limit(Side.BUY, 6_000, P100K).status == OrderStatus.SUBMITTED  # 6000 USDT
    assert harness.limit(Side.BUY, 4_000, P100K).status == OrderStatus.SUBMITTED  # 4000 USDT
    message = denied_with(harness, harness.limit(Side.BUY, 1, P100K), "INSUFFICIENT_BALANCE")
    assert "needs 1 USDT on BINANCE; free" in message
    assert "reserved by open orders 10000" in message


def test_a_canceled_order_releases_its_reservation():
    harness = funded(("BINANCE", "USDT", "10000"))
    order = harness.limit(Side.BUY, 10_000, P100K)
    harness.node.exec_engine.cancel_order(order)
    harness.confirm_cancel(order)
    assert harness.limit(Side.BUY, 10_000, P100K).status == OrderStatus.SUBMITTED


def test_spot_sell_needs_the_base_asset():
    harness = funded(("BINANCE", "BTC", "0.5"))
    assert harness.limit(Side.SELL, 50_000, P100K).status == OrderStatus.SUBMITTED
    message = denied_with(harness, harness.limit(Side.SELL, 1, P100K), "INSUFFICIENT_BALANCE")
    assert "needs 1e-05 BTC on BINANCE" in message


def test_balance_on_another_venue_does_not_count():
    harness = funded(("OKX", "USDT", "1000000"))
    denied_with(harness, harness.limit(Side.BUY, 1, P100K), "INSUFFICIENT_BALANCE")


def test_perpetual_needs_margin_at_its_leverage():
    portfolio = balances(("BINANCE", "USDT", "1000"))
    harness = Harness(
        only(balance=BalanceConfig()),
        type(portfolio)(balances=portfolio.balances, leverage={PERP.value: Decimal(10)}),
    )
    # 100 lots = 0.1 BTC at 100000.0: notional 10000, margin 1000 at 10x.
    assert harness.limit(Side.BUY, 100, 1_000_000, PERP).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.BUY, 1, 1_000_000, PERP), "INSUFFICIENT_BALANCE")


def test_perpetual_order_reducing_the_position_needs_no_margin():
    harness = funded(("BINANCE", "USDT", "100000"))
    harness.position(Side.BUY, 1_000, 1_000_000, PERP)  # long 1 BTC: margin 100000 at 1x
    assert harness.portfolio.balance("BINANCE", "USDT").free_f == 0.0
    assert harness.limit(Side.SELL, 1_000, 1_000_000, PERP).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.SELL, 1_001, 1_000_000, PERP), "INSUFFICIENT_BALANCE")


def test_market_buy_needs_the_ask_plus_the_buffer():
    harness = funded(("BINANCE", "USDT", "10050"))
    harness.book(P100K - 100, P100K)
    assert harness.market(Side.BUY, 10_000).status == OrderStatus.SUBMITTED  # 10000 * 1.005
    denied_with(harness, harness.market(Side.BUY, 1), "INSUFFICIENT_BALANCE")


def test_balance_check_without_a_portfolio_is_a_config_error():
    from hftcore.errors import ConfigError

    with pytest.raises(ConfigError, match=r"risk\.balance: the balance check needs a portfolio"):
        Harness(only(balance=BalanceConfig()), with_portfolio=False)


# -- SELF TRADE --------------------------------------------------------------------------------


def test_order_crossing_our_resting_order_is_denied():
    harness = Harness(only(self_trade=SelfTradeConfig()))
    resting = harness.limit(Side.SELL, 1, P100K + 1_000)
    message = denied_with(harness, harness.limit(Side.BUY, 1, P100K + 1_000), "SELF_TRADE")
    assert f"would cross our resting SELL {resting.client_order_id.value} at 100010.00" in message
    assert harness.limit(Side.BUY, 1, P100K + 999).status == OrderStatus.SUBMITTED


def test_self_trade_spans_strategies_by_default_and_can_be_limited_to_one():
    account = Harness(only(self_trade=SelfTradeConfig()))
    account.limit(Side.BUY, 1, P100K, strategy=account.add_strategy("S2"))
    denied_with(account, account.limit(Side.SELL, 1, P100K), "SELF_TRADE")
    per_strategy = Harness(only(self_trade=SelfTradeConfig(scope="strategy")))
    per_strategy.limit(Side.BUY, 1, P100K, strategy=per_strategy.add_strategy("S2"))
    assert per_strategy.limit(Side.SELL, 1, P100K).status == OrderStatus.SUBMITTED


def test_market_order_against_our_resting_order_is_denied():
    harness = Harness(only(self_trade=SelfTradeConfig()))
    harness.book(P100K - 100, P100K + 100)
    harness.limit(Side.SELL, 1, P100K + 5_000)
    denied_with(harness, harness.market(Side.BUY, 1), "SELF_TRADE")


# -- INSTRUMENT RULES --------------------------------------------------------------------------


def test_price_off_the_venue_tick_is_denied():
    harness = Harness(only(instrument_rules=InstrumentRulesConfig(tick_multiple={SPOT.value: 10})))
    message = denied_with(harness, harness.limit(Side.BUY, 10, P100K + 5), "TICK_SIZE")
    assert "price 100000.05" in message
    assert "venue tick 0.10" in message
    assert harness.limit(Side.BUY, 10, P100K + 10).status == OrderStatus.SUBMITTED


def test_quantity_off_the_venue_lot_is_denied():
    harness = Harness(only(instrument_rules=InstrumentRulesConfig(lot_multiple={SPOT.value: 100})))
    denied_with(harness, harness.limit(Side.BUY, 150, P100K), "LOT_SIZE")


def test_quantity_under_the_minimum_is_denied():
    harness = Harness(only(instrument_rules=InstrumentRulesConfig()))
    message = denied_with(harness, harness.limit(Side.BUY, 99, 300_000, ETH), "MIN_QUANTITY")
    assert "quantity 0.0099 is below the minimum 0.01" in message


def test_notional_under_the_minimum_is_denied_and_the_boundary_is_exact():
    harness = Harness(only(instrument_rules=InstrumentRulesConfig()))
    denied_with(harness, harness.limit(Side.BUY, 4, P100K), "MIN_NOTIONAL")  # 4 USDT < 5
    assert harness.limit(Side.BUY, 5, P100K).status == OrderStatus.SUBMITTED  # exactly 5


# -- COMBINATIONS ------------------------------------------------------------------------------


FULL = RiskConfig(
    max_order=MaxOrderConfig(quantity=Decimal("1"), notional=Decimal("50000")),
    max_position=MaxPositionConfig(quantity=Decimal("0.5"), assets={"BTC": Decimal("0.8")}),
    max_open_orders=MaxOpenOrdersConfig(per_instrument=3, per_strategy=10),
    price_band=PriceBandConfig(bps=Decimal("200")),
    order_rate=OrderRateConfig(
        per_strategy=RateConfig(orders_per_s=100, burst=5),
        per_venue=RateConfig(orders_per_s=100, burst=100),
    ),
    balance=BalanceConfig(),
)


@pytest.fixture
def full():
    harness = Harness(FULL, balances(("BINANCE", "USDT", "30000"), ("BINANCE", "BTC", "1")))
    harness.book(P100K - 1_000, P100K + 1_000)
    return harness


def test_order_passing_every_check_is_sent_and_reserves_its_funds(full):
    order = full.limit(Side.BUY, 20_000, P100K)  # 0.2 BTC, 20000 USDT
    assert order.status == OrderStatus.SUBMITTED
    assert full.clients["BINANCE"].submitted == [order]
    assert full.portfolio.reserved(order.client_order_id) == ("USDT", pytest.approx(20000.0))


def test_order_breaking_several_rules_reports_the_first_in_check_order(full):
    # 1.5 BTC at +5%: breaks max quantity, notional, band, position and balance.
    order = full.limit(Side.BUY, 150_000, 10_500_000)
    denied_with(full, order, "MAX_ORDER_QUANTITY")


def test_checks_see_each_others_state_in_a_sequence(full):
    assert full.limit(Side.BUY, 20_000, P100K).status == OrderStatus.SUBMITTED  # 10000 left
    denied_with(full, full.limit(Side.BUY, 10_001, P100K), "INSUFFICIENT_BALANCE")
    full.limit(Side.SELL, 40_000, P100K + 2_000)  # sells 0.4 of the 1 BTC held
    denied_with(full, full.limit(Side.SELL, 40_000, P100K + 2_000), "MAX_POSITION")  # -0.8 > 0.5
    denied_with(full, full.limit(Side.SELL, 100, P100K), "SELF_TRADE")  # crosses our bid
    full.limit(Side.SELL, 10_000, P100K + 2_000)
    denied_with(full, full.limit(Side.SELL, 100, P100K + 2_000), "MAX_OPEN_ORDERS")
    assert full.risk.denial_counts()["MAX_POSITION"] == 1


def test_denied_orders_do_not_use_rate_tokens():
    harness = Harness(
        only(
            price_band=PriceBandConfig(bps=Decimal("200")),
            order_rate=OrderRateConfig(per_strategy=RateConfig(orders_per_s=1, burst=2)),
        )
    )
    harness.book(P100K - 1_000, P100K + 1_000)
    for _ in range(10):
        denied_with(harness, harness.limit(Side.BUY, 1, 10_500_000), "PRICE_BAND")
    for _ in range(2):
        assert harness.limit(Side.BUY, 1, P100K).status == OrderStatus.SUBMITTED
    denied_with(harness, harness.limit(Side.BUY, 1, P100K), "RATE_LIMIT")
