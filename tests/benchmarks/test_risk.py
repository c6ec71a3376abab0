"""Benchmarks of the risk engine: the full check set on one order and on one modify, and
strategy.limit() to venue.

Run: ``python -m pytest tests/benchmarks/test_risk.py --benchmark-only -s``. Every benchmark
prints its ns/op (median). Targets (2-core machine): the full check set <= 1.5 us, for an order
and for a modify; a strategy's ``limit()`` through risk and the OMS to
``ExecutionClient.submit_order`` <= 8 us.

The node is the production wiring (``tests/unit/risk/harness.py``): portfolio, risk engine with
every check enabled (instrument rules, max order, max open orders, price band, self-trade, max
position per instrument and per asset, balance, order rate per strategy and per venue), a book,
a position, and four of our orders resting on the instrument (scanned by the position,
open-order and self-trade checks).

The portfolio rows time ``Portfolio.on_order_event`` alone (the handler the bus calls for every
order event) on a resting order holding a reservation: an ``OrderAccepted`` (nothing to do), an
``OrderCanceled`` while the order is still open in the cache (the reservation is refreshed and
the balance written to the cache) and an ``OrderUpdated`` (the order is reserved again).
"""

from decimal import Decimal

from hftcore.model.enums import OrderStatus, Side
from hftcore.model.money import Money
from hftcore.risk.config import (
    BalanceConfig,
    MaxOpenOrdersConfig,
    MaxOrderConfig,
    MaxPositionConfig,
    OrderRateConfig,
    PriceBandConfig,
    RateConfig,
    RiskConfig,
)
from tests.builders.events import (
    make_order,
    make_order_accepted,
    make_order_canceled,
    make_order_filled,
    make_order_updated,
)
from tests.unit.risk.harness import SPOT, Harness, balances

BATCH = 1_000  # check_order calls per timed round
ROUNDS = 100
LIMIT_ROUNDS = 3_000  # strategy.limit() rounds, one call each (the order is closed between)
P100K = 10_000_000
UNLIMITED_RATE = RateConfig(orders_per_s=1e12, burst=10**12)

FULL_CHECKS = RiskConfig(
    max_order=MaxOrderConfig(quantity=Decimal("1"), notional=Decimal("100000")),
    max_position=MaxPositionConfig(quantity=Decimal("5"), assets={"BTC": Decimal("10")}),
    max_open_orders=MaxOpenOrdersConfig(per_instrument=50, per_strategy=100),
    price_band=PriceBandConfig(bps=Decimal("300")),
    order_rate=OrderRateConfig(per_strategy=UNLIMITED_RATE, per_venue=UNLIMITED_RATE),
    balance=BalanceConfig(),
)


def trading_node():
    """Return a harness with every check on, a book, a position and four resting orders."""
    harness = Harness(
        FULL_CHECKS, balances(("BINANCE", "USDT", "1000000000"), ("BINANCE", "BTC", "1000"))
    )
    harness.position(Side.BUY, 20_000, P100K)
    harness.book(P100K - 100, P100K + 100)
    for side, price_ticks in (
        (Side.BUY, P100K - 500),
        (Side.BUY, P100K - 1_000),
        (Side.SELL, P100K + 500),
        (Side.SELL, P100K + 1_000),
    ):
        assert harness.limit(side, 1_000, price_ticks).status == OrderStatus.SUBMITTED
    return harness


def report(benchmark, label, batch=1):
    ns_per_op = benchmark.stats.stats.median * 1e9 / batch
    benchmark.extra_info["ns_per_op"] = ns_per_op
    print(f"\n{label}: {ns_per_op:.1f} ns/op (median)")


def test_full_risk_check_set_on_one_order(benchmark):
    harness = trading_node()
    order = make_order(
        instrument_id=SPOT,
        strategy_id="S1",
        client_order_id="BENCH-1",
        side=Side.BUY,
        quantity_lots=1_000,
        price_ticks=P100K - 200,
    )
    check = harness.risk.check_order
    assert check(order) is None
    assert len(harness.risk.checks) == 8
    benchmark.pedantic(check, (order,), iterations=BATCH, rounds=ROUNDS, warmup_rounds=1)
    assert check(order) is None
    report(benchmark, "risk check_order, 8 checks, 4 resting orders")


def test_full_risk_check_set_on_one_modify(benchmark):
    harness = trading_node()
    order = next(o for o in harness.node.cache.open_orders(SPOT) if o.price_ticks == P100K - 500)
    check = harness.risk.check_modify
    # A resting BUY moved 300 ticks up, inside the band and under our asks: approved.
    arguments = (order, P100K - 200, 1_000)
    assert check(*arguments) is None
    assert len(harness.risk.checks) == 8
    benchmark.pedantic(check, arguments, iterations=BATCH, rounds=ROUNDS, warmup_rounds=1)
    assert check(*arguments) is None
    assert (order.price_ticks, order.quantity_lots) == (P100K - 500, 1_000)
    report(benchmark, "risk check_modify, 8 checks, 4 resting orders (the modified one too)")


def test_strategy_limit_to_execution_client_through_risk_and_oms(benchmark):
    harness = trading_node()
    client = harness.clients["BINANCE"]
    engine = harness.node.exec_engine
    strategy = harness.strategy
    sent_before = len(client.submitted)

    def close_last_order():
        # Outside the timed call: the venue cancels the order sent, so open orders stay 4.
        if len(client.submitted) > sent_before:
            order = client.submitted.pop()
            engine.process(
                make_order_canceled(order.strategy_id, order.instrument_id, order.client_order_id)
            )

    def limit():
        return strategy.limit(SPOT, Side.BUY, 1_000, P100K - 200)

    benchmark.pedantic(limit, setup=close_last_order, rounds=LIMIT_ROUNDS, warmup_rounds=10)
    close_last_order()
    order = limit()
    assert order.status == OrderStatus.SUBMITTED
    assert client.submitted[-1] is order
    report(benchmark, "strategy.limit() -> risk -> OMS -> ExecutionClient.submit_order")


def resting_order_events(harness):
    """Return a resting BUY of ``harness`` and its accepted, canceled and updated events."""
    order = next(o for o in harness.node.cache.open_orders(SPOT) if o.price_ticks == P100K - 500)
    ids = (order.strategy_id, order.instrument_id, order.client_order_id)
    venue_order_id = f"V-{order.client_order_id.value}"
    return (
        order,
        make_order_accepted(venue_order_id, *ids),
        make_order_canceled(*ids),
        make_order_updated(order.price_ticks, order.quantity_lots, venue_order_id, *ids),
    )


def bench_portfolio_event(benchmark, which, label):
    harness = trading_node()
    order, accepted, canceled, updated = resting_order_events(harness)
    event = {"accepted": accepted, "canceled": canceled, "updated": updated}[which]
    portfolio = harness.portfolio
    reserved = portfolio.reserved(order.client_order_id)
    assert reserved is not None
    on_order_event = portfolio.on_order_event
    benchmark.pedantic(on_order_event, (event,), iterations=BATCH, rounds=ROUNDS, warmup_rounds=1)
    assert portfolio.reserved(order.client_order_id) == reserved
    report(benchmark, f"portfolio.on_order_event({label})")


def test_portfolio_on_order_accepted(benchmark):
    bench_portfolio_event(benchmark, "accepted", "OrderAccepted")


def test_portfolio_on_order_canceled_while_the_order_is_open(benchmark):
    bench_portfolio_event(benchmark, "canceled", "OrderCanceled, order open: refresh + write")


def test_portfolio_on_order_updated(benchmark):
    bench_portfolio_event(benchmark, "updated", "OrderUpdated: reserve again + write")


def test_portfolio_on_a_round_trip_of_fills(benchmark):
    harness = trading_node()
    order, _, _, _ = resting_order_events(harness)
    ids = (order.strategy_id, order.instrument_id, order.client_order_id)
    buy, sell = (
        make_order_filled(
            P100K - 500,
            10,
            side,
            fee=Money.from_str("0.01", "USDT"),
            trade_id=f"F-{side.name}",
            venue_order_id=f"V-{order.client_order_id.value}",
            strategy_id=ids[0],
            instrument_id=ids[1],
            client_order_id=ids[2],
        )
        for side in (Side.BUY, Side.SELL)
    )
    on_order_event = harness.portfolio.on_order_event
    lots_before = harness.portfolio.net_position_lots(SPOT)

    def round_trip():
        on_order_event(buy)
        on_order_event(sell)

    benchmark.pedantic(round_trip, iterations=BATCH, rounds=20, warmup_rounds=1)
    assert harness.portfolio.net_position_lots(SPOT) == lots_before
    report(benchmark, "portfolio.on_order_event(OrderFilled), per fill", batch=2)
