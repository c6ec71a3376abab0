"""RiskEngine.check_modify through the real node: a modify is checked like a new order.

Numbers are worked by hand from the harness instruments: SPOT BTCUSDT.BINANCE has 1 BTC =
100_000 lots and a tick of 0.01, so ``P100K`` = 10_000_000 ticks is a price of 100000.00 and
1_000 lots (0.01 BTC) at it are worth 1000 USDT.
"""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hftcore.errors import InvalidOrderError
from hftcore.model.enums import OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.order_events import OrderDenied
from hftcore.risk.config import (
    BalanceConfig,
    InstrumentRulesConfig,
    KillSwitchConfig,
    MaxOpenOrdersConfig,
    MaxOrderConfig,
    MaxPositionConfig,
    OrderRateConfig,
    PriceBandConfig,
    RateConfig,
    SelfTradeConfig,
)
from hftcore.risk.kill_switch import FileKillSwitch, make_command
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.events import make_order
from tests.unit.risk.harness import ETH, SPOT, Harness, balances, only

P100K = 10_000_000
ETH_P2000 = 200_000  # 2000.00 USDT in ticks of 0.01


def live(harness, side, quantity_lots, price_ticks, instrument_id=SPOT):
    """Submit a limit order and have the venue accept it."""
    order = harness.limit(side, quantity_lots, price_ticks, instrument_id)
    assert order.status == OrderStatus.SUBMITTED
    harness.accept(order)
    return order


def reserved_usdt(harness, order):
    """Return the USDT ``order`` reserves in the portfolio (a float estimate)."""
    asset, amount = harness.portfolio.reserved(order.client_order_id)
    assert asset == "USDT"
    return amount


def modified(harness):
    """Return what the execution client was asked to change, as (order, price, quantity)."""
    return harness.clients["BINANCE"].modified


@pytest.fixture
def quiet():
    """A harness running no checks: only the trading state decides."""
    return Harness(only())


@pytest.fixture
def funded():
    """Balance check only, 1000 USDT on Binance; a BUY of 500 lots at P100K accepted."""
    harness = Harness(only(balance=BalanceConfig()), balances(("BINANCE", "USDT", "1000")))
    harness.order = live(harness, Side.BUY, 500, P100K)
    return harness


# -- APPROVED AND DENIED -----------------------------------------------------------------------


def test_approved_modify_reaches_the_client(quiet):
    order = live(quiet, Side.BUY, 1_000, P100K)

    assert quiet.modify(order, P100K - 1, 2_000) is True

    assert modified(quiet) == [(order, P100K - 1, 2_000)]
    assert order.status == OrderStatus.PENDING_UPDATE


def test_modify_up_past_max_order_quantity_is_denied():
    harness = Harness(only(max_order=MaxOrderConfig(quantity=Decimal("0.0001"))))  # 10 lots
    order = live(harness, Side.BUY, 10, P100K)

    assert harness.modify(order, P100K, 11) is False

    denial = harness.last_denial()
    assert (denial.reason_code, denial.client_order_id) == (
        "MAX_ORDER_QUANTITY",
        order.client_order_id,
    )
    assert denial.message.startswith("modify to 11 lots at 10000000 ticks denied")
    assert "(11 lots) > max 0.00010 (10 lots)" in denial.message
    assert modified(harness) == []
    assert (order.status, order.quantity_lots) == (OrderStatus.ACCEPTED, 10)


def test_modify_up_to_max_order_quantity_is_approved():
    harness = Harness(only(max_order=MaxOrderConfig(quantity=Decimal("0.0001"))))
    order = live(harness, Side.BUY, 5, P100K)

    assert harness.modify(order, P100K, 10) is True


def test_modify_into_a_price_band_violation_is_denied():
    harness = Harness(only(price_band=PriceBandConfig(bps=Decimal("100"))))
    harness.book(P100K - 100, P100K + 100)  # mid P100K
    order = live(harness, Side.BUY, 1_000, P100K - 50_000)  # 50 bps under the mid

    # 100_100 ticks over a mid of 10_000_000 is 100.1 bps.
    assert harness.modify(order, P100K + 100_100, 1_000) is False

    denial = harness.last_denial()
    assert denial.reason_code == "PRICE_BAND"
    assert "is 100.1 bps from the reference 100000; band 100 bps" in denial.message
    assert order.price_ticks == P100K - 50_000


def test_modify_to_a_price_inside_the_band_is_approved():
    harness = Harness(only(price_band=PriceBandConfig(bps=Decimal("100"))))
    harness.book(P100K - 100, P100K + 100)
    order = live(harness, Side.BUY, 1_000, P100K - 50_000)

    assert harness.modify(order, P100K + 99_900, 1_000) is True  # 99.9 bps


def test_modify_crossing_our_own_resting_order_is_denied():
    harness = Harness(only(self_trade=SelfTradeConfig()))
    bid = live(harness, Side.BUY, 1_000, P100K - 10)
    ask = live(harness, Side.SELL, 1_000, P100K + 10)

    assert harness.modify(bid, P100K + 10, 1_000) is False

    denial = harness.last_denial()
    assert denial.reason_code == "SELF_TRADE"
    assert f"would cross our resting SELL {ask.client_order_id.value}" in denial.message


def test_modify_up_to_just_under_our_own_ask_is_approved():
    harness = Harness(only(self_trade=SelfTradeConfig()))
    bid = live(harness, Side.BUY, 1_000, P100K - 10)
    live(harness, Side.SELL, 1_000, P100K + 10)

    assert harness.modify(bid, P100K + 9, 1_000) is True


def test_max_position_counts_the_modified_order_once_at_its_new_quantity():
    harness = Harness(only(max_position=MaxPositionConfig(quantity=Decimal("0.5"))))  # 50_000
    order = live(harness, Side.BUY, 30_000, P100K)

    # Counted twice (30_000 open + 50_000 new) it would be 80_000 lots.
    assert harness.modify(order, P100K, 50_000) is True


def test_max_position_denies_a_modify_one_lot_past_the_limit():
    harness = Harness(only(max_position=MaxPositionConfig(quantity=Decimal("0.5"))))
    order = live(harness, Side.BUY, 30_000, P100K)

    assert harness.modify(order, P100K, 50_001) is False

    denial = harness.last_denial()
    assert denial.reason_code == "MAX_POSITION"
    assert (
        "position 0 lots + open BUY orders 0 lots + this order 50001 lots = 50001 lots"
        in denial.message
    )


def test_max_position_counts_only_what_the_modified_order_can_still_fill():
    harness = Harness(only(max_position=MaxPositionConfig(quantity=Decimal("0.5"))))
    order = live(harness, Side.BUY, 30_000, P100K)
    harness.fill(order, 10_000, P100K)

    # Position 10_000 + the 40_000 lots left of 50_000 = 50_000: at the limit, not past it.
    assert harness.modify(order, P100K, 50_000) is True


def test_max_open_orders_does_not_count_the_modified_order_twice():
    harness = Harness(only(max_open_orders=MaxOpenOrdersConfig(per_instrument=2)))
    order = live(harness, Side.BUY, 1_000, P100K - 100)
    live(harness, Side.BUY, 1_000, P100K - 200)

    assert harness.modify(order, P100K - 50, 1_000) is True


def test_modify_takes_an_order_rate_token():
    rate = RateConfig(orders_per_s=1e-9, burst=2)
    harness = Harness(only(order_rate=OrderRateConfig(per_strategy=rate)))
    order = live(harness, Side.BUY, 1_000, P100K)  # first token

    assert harness.modify(order, P100K, 500) is True  # second token, even for a cut
    harness.update(order, P100K, 500)
    assert harness.modify(order, P100K, 400) is False
    assert harness.last_denial().reason_code == "RATE_LIMIT"


# -- BALANCE AND RESERVATIONS ------------------------------------------------------------------


def test_modify_may_use_what_the_order_reserves_already(funded):
    # 500 USDT free + the 500 the order holds = 1000 USDT: exactly 1_000 lots at P100K.
    assert funded.modify(funded.order, P100K, 1_000) is True


def test_modify_needing_more_than_free_plus_its_own_reservation_is_denied(funded):
    assert funded.modify(funded.order, P100K, 1_001) is False

    denial = funded.last_denial()
    assert denial.reason_code == "INSUFFICIENT_BALANCE"
    assert "needs 1001 USDT on BINANCE; free 1000" in denial.message
    assert "this order holds 500" in denial.message


def test_denied_modify_keeps_the_reservation(funded):
    funded.modify(funded.order, P100K, 1_001)

    assert reserved_usdt(funded, funded.order) == pytest.approx(500.0)


def test_approved_increase_is_reserved_at_once(funded):
    funded.modify(funded.order, P100K, 1_000)

    assert reserved_usdt(funded, funded.order) == pytest.approx(1000.0)
    assert funded.portfolio.balance("BINANCE", "USDT").free == 0


def test_venue_refusing_the_modify_returns_the_reservation_to_the_old_values(funded):
    funded.modify(funded.order, P100K, 1_000)

    funded.update(funded.order, P100K, 500)

    assert funded.order.status == OrderStatus.ACCEPTED
    assert reserved_usdt(funded, funded.order) == pytest.approx(500.0)


def test_approved_cut_keeps_the_old_reservation_until_the_venue_confirms(funded):
    order = funded.order

    assert funded.modify(order, P100K, 200) is True
    assert reserved_usdt(funded, order) == pytest.approx(500.0)

    funded.update(order, P100K, 200)
    assert reserved_usdt(funded, order) == pytest.approx(200.0)


def test_modify_of_an_order_not_sent_yet_reserves_exactly_the_new_values():
    harness = Harness(only(balance=BalanceConfig()), balances(("BINANCE", "USDT", "1000")))
    order = make_order(instrument_id=SPOT, strategy_id="S1", quantity_lots=500, price_ticks=P100K)
    assert harness.risk.check_order(order) is None  # INITIALIZED: held, never sent

    assert harness.risk.check_modify(order, P100K, 200) is None

    assert reserved_usdt(harness, order) == pytest.approx(200.0)
    assert (order.price_ticks, order.quantity_lots) == (P100K, 500)


# -- TRADING STATE -----------------------------------------------------------------------------


def reducing_with_long_position(harness):
    """Long 30_000 lots, then REDUCING."""
    harness.position(Side.BUY, 30_000, P100K)
    harness.risk.reduce("end of day")


def test_reducing_allows_a_cut_of_an_order_that_opens(quiet):
    opening = live(quiet, Side.BUY, 1_000, P100K - 100)
    reducing_with_long_position(quiet)

    assert quiet.modify(opening, P100K - 100, 500) is True
    assert modified(quiet) == [(opening, P100K - 100, 500)]


def test_reducing_allows_a_cut_of_an_order_that_reduces(quiet):
    reducing_with_long_position(quiet)
    closing = live(quiet, Side.SELL, 30_000, P100K + 100)

    assert quiet.modify(closing, P100K + 100, 20_000) is True


def test_reducing_allows_moving_the_price_of_an_order_that_reduces(quiet):
    reducing_with_long_position(quiet)
    closing = live(quiet, Side.SELL, 20_000, P100K + 100)

    assert quiet.modify(closing, P100K + 50, 20_000) is True


def test_reducing_denies_raising_an_order_that_opens(quiet):
    opening = live(quiet, Side.BUY, 1_000, P100K - 100)
    reducing_with_long_position(quiet)

    assert quiet.modify(opening, P100K - 100, 2_000) is False
    assert quiet.last_denial().reason_code == "REDUCE_ONLY_STATE"
    assert modified(quiet) == []


def test_reducing_denies_moving_the_price_of_an_order_that_opens(quiet):
    opening = live(quiet, Side.BUY, 1_000, P100K - 100)
    reducing_with_long_position(quiet)

    assert quiet.modify(opening, P100K - 50, 1_000) is False
    assert quiet.last_denial().reason_code == "REDUCE_ONLY_STATE"


def test_reducing_denies_raising_a_reducing_order_past_flat(quiet):
    reducing_with_long_position(quiet)
    closing = live(quiet, Side.SELL, 20_000, P100K + 100)

    assert quiet.modify(closing, P100K + 100, 30_001) is False
    assert "SELL 30001 lots with 0 lots open" in quiet.last_denial().message


def halted_with_a_live_order(harness):
    """An accepted order, a kill, and the venue refusing the cancel: the order is live."""
    order = live(harness, Side.BUY, 1_000, P100K)
    harness.risk.kill("operator drill")
    harness.update(order, P100K, 1_000)  # the cancel was refused
    assert order.status == OrderStatus.ACCEPTED
    return order


def test_halted_denies_a_modify(quiet):
    order = halted_with_a_live_order(quiet)

    assert quiet.modify(order, P100K + 1, 1_000) is False

    denial = quiet.last_denial()
    assert denial.reason_code == "TRADING_HALTED"
    assert "trading is halted (operator drill); no modifies" in denial.message
    assert modified(quiet) == []


def test_halted_denies_even_a_cut(quiet):
    order = halted_with_a_live_order(quiet)

    assert quiet.modify(order, P100K, 500) is False
    assert quiet.last_denial().reason_code == "TRADING_HALTED"


def test_kill_found_while_checking_a_modify_cancels_that_order_too(tmp_path):
    path = tmp_path / "kill.json"
    harness = Harness(only(kill_switch=KillSwitchConfig(file=str(path), poll_every_orders=1)))
    harness.risk.start()
    order = live(harness, Side.BUY, 1_000, P100K)
    FileKillSwitch(path).write(make_command("kill", "from the desk", "test"))

    assert harness.modify(order, P100K, 2_000) is False

    assert harness.last_denial().reason_code == "TRADING_HALTED"
    assert harness.clients["BINANCE"].canceled == [order]
    assert order.status == OrderStatus.PENDING_CANCEL


# -- CUTS --------------------------------------------------------------------------------------


def test_cut_passes_the_price_band_after_the_market_moved_away():
    harness = Harness(only(price_band=PriceBandConfig(bps=Decimal("100"))))
    harness.book(P100K - 100, P100K + 100)
    order = live(harness, Side.BUY, 1_000, P100K - 50_000)
    harness.book(P100K + 199_900, P100K + 200_100)  # the order is now 250 bps under the mid

    assert harness.modify(order, P100K - 50_000, 500) is True


def test_moving_the_price_after_the_market_moved_away_meets_the_band():
    harness = Harness(only(price_band=PriceBandConfig(bps=Decimal("100"))))
    harness.book(P100K - 100, P100K + 100)
    order = live(harness, Side.BUY, 1_000, P100K - 50_000)
    harness.book(P100K + 199_900, P100K + 200_100)

    assert harness.modify(order, P100K - 50_001, 500) is False
    assert harness.last_denial().reason_code == "PRICE_BAND"


def test_cut_below_the_venue_minimum_quantity_is_denied():
    harness = Harness(only(instrument_rules=InstrumentRulesConfig()))
    order = live(harness, Side.BUY, 200, ETH_P2000, ETH)  # min quantity 0.01 ETH = 100 lots

    assert harness.modify(order, ETH_P2000, 50) is False
    assert harness.last_denial().reason_code == "MIN_QUANTITY"


# -- STRATEGY, COUNTERS AND API ----------------------------------------------------------------


class Recorder(Strategy):
    """Records every order event its ``on_order_update`` receives."""

    def __init__(self):
        super().__init__(StrategyConfig(strategy_id="R1"))
        self.updates = []

    def on_order_update(self, event):
        self.updates.append(event)


def test_strategy_hears_why_its_modify_was_denied():
    harness = Harness(only(max_order=MaxOrderConfig(quantity=Decimal("0.0001"))))
    strategy = Recorder()
    harness.node.add_strategy(strategy)
    order = harness.limit(Side.BUY, 10, P100K, strategy=strategy)
    harness.accept(order)

    strategy.modify(order, quantity_lots=11)

    denial = strategy.updates[-1]
    assert type(denial) is OrderDenied
    assert (denial.client_order_id, denial.reason_code) == (
        order.client_order_id,
        "MAX_ORDER_QUANTITY",
    )
    assert order.is_open


def test_modifies_are_counted_apart_and_in_the_totals(quiet):
    order = live(quiet, Side.BUY, 1_000, P100K)
    quiet.modify(order, P100K, 500)
    quiet.risk.kill("drill")
    quiet.update(order, P100K, 500)
    quiet.modify(order, P100K, 400)

    counters = quiet.risk.counters()
    assert (counters["modify_checked_count"], counters["modify_denied_count"]) == (2, 1)
    assert (counters["checked_count"], counters["denied_count"]) == (3, 1)


def test_check_modify_of_none_is_a_type_error(quiet):
    with pytest.raises(TypeError, match="check_modify: order: expected an Order"):
        quiet.risk.check_modify(None, P100K, 1)


def test_check_modify_to_the_filled_quantity_is_an_error(quiet):
    order = live(quiet, Side.BUY, 1_000, P100K)
    quiet.fill(order, 400, P100K)

    with pytest.raises(InvalidOrderError, match="expected > filled_lots 400, got 400"):
        quiet.risk.check_modify(order, P100K, 400)


def test_check_modify_of_a_closed_order_is_an_error(quiet):
    order = live(quiet, Side.BUY, 1_000, P100K)
    quiet.confirm_cancel(order)

    with pytest.raises(InvalidOrderError, match="status CANCELED is final"):
        quiet.risk.check_modify(order, P100K, 500)


def test_check_modify_of_a_market_order_is_an_error(quiet):
    order = make_order(
        instrument_id=SPOT,
        order_type=OrderType.MARKET,
        price_ticks=0,
        time_in_force=TimeInForce.IOC,
    )

    with pytest.raises(InvalidOrderError, match="only a LIMIT order can be modified"):
        quiet.risk.check_modify(order, P100K, 1)


# -- PROPERTY ----------------------------------------------------------------------------------

EVERY_EXPOSURE_CHECK = dict(
    max_order=MaxOrderConfig(quantity=Decimal("0.05"), notional=Decimal("6000")),
    max_position=MaxPositionConfig(quantity=Decimal("0.25")),
    max_open_orders=MaxOpenOrdersConfig(per_instrument=3),  # our two resting + one
    price_band=PriceBandConfig(bps=Decimal("100")),
    self_trade=SelfTradeConfig(),
    balance=BalanceConfig(),
)


def market_with_our_orders():
    """Every check but the order rate; long 20_000 lots; our BUY and SELL of 1_000 resting."""
    harness = Harness(
        only(instrument_rules=InstrumentRulesConfig(), **EVERY_EXPOSURE_CHECK),
        balances(("BINANCE", "USDT", "24500")),  # 3500 free after the position and BUY
    )
    for _ in range(4):  # orders of at most 5_000 lots
        harness.position(Side.BUY, 5_000, P100K)
    harness.book(P100K - 100, P100K + 100)
    live(harness, Side.BUY, 1_000, P100K - 500)
    live(harness, Side.SELL, 1_000, P100K + 500)
    return harness


def verdict(denial):
    return None if denial is None else denial.reason_code


@given(
    side=st.sampled_from([Side.BUY, Side.SELL]),
    quantity_lots=st.integers(100, 3_000),
    new_offset_ticks=st.integers(-150_000, 150_000),
    new_quantity_lots=st.integers(1, 8_000),
)
def test_modify_is_judged_as_the_same_new_order_in_a_world_without_the_old_one(
    side, quantity_lots, new_offset_ticks, new_quantity_lots
):
    price_ticks = P100K - 1_000 if side == Side.BUY else P100K + 1_000
    new_price_ticks = P100K + new_offset_ticks
    assume(new_price_ticks != price_ticks)  # a cut is judged more leniently on purpose
    with_order = market_with_our_orders()
    order = live(with_order, side, quantity_lots, price_ticks)
    without_order = market_with_our_orders()
    new_order = make_order(
        client_order_id="NEW-1",
        instrument_id=SPOT,
        strategy_id="S1",
        side=side,
        quantity_lots=new_quantity_lots,
        price_ticks=new_price_ticks,
    )

    assert verdict(
        with_order.risk.check_modify(order, new_price_ticks, new_quantity_lots)
    ) == verdict(without_order.risk.check_order(new_order))
