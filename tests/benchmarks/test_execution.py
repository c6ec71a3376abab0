"""Benchmarks of the execution engine (OMS) and its helpers.

Run (about 10 s on the 2-core machine; rounds and calls per round are fixed here)::

    python -m pytest tests/benchmarks/test_execution.py --benchmark-only -s

One timed call is one operation, so the median column is ns/op. The headline row is
``test_submit_order_from_strategy_to_client``: ``Strategy.limit`` -> ``TradingNode`` ->
``ExecutionEngine.submit_order`` -> pass-through risk engine -> ``ExecutionClient.submit_order``
(a client that only counts; no signing or I/O). The target is 8 us with the real risk engine.
``test_submit_order_on_the_engine`` is the same without the strategy and node layers, and
``..._with_rate_limiter`` adds the Binance spot limiter (limits raised so nothing waits).

Targets (2-core machine, medians): an engine cancel <= 0.6 us; ``cancel_all_orders`` of N
open orders clearly cheaper per order than N cancels; ``process`` of an ``OrderAccepted`` or
``OrderCanceled`` <= 0.4 us with no subscriber on the strategy's order topic.
"""

from itertools import count

import pytest

from hftcore.bus import MessageBus
from hftcore.cache import Cache
from hftcore.clock import TestClock
from hftcore.config import Secret
from hftcore.execution.client_order_id import ClientOrderIdGenerator
from hftcore.execution.engine import ExecutionEngine
from hftcore.execution.rate_limiter import RateLimiter, RateRule
from hftcore.execution.rate_limits import binance_spot_limiter
from hftcore.execution.signing import BinanceHmacSigner
from hftcore.model.enums import (
    Environment,
    LiquiditySide,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
)
from hftcore.model.identifiers import StrategyId, TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderAccepted, OrderCanceled, OrderFilled
from hftcore.node.interfaces import ExecutionClient
from hftcore.node.node import TradingNode
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.instruments import make_instrument

ROUNDS = 25
"""Timed rounds of each benchmark."""
ITERATIONS = 2_000
"""Calls per round; each submit adds one order to the cache (50,000 per benchmark)."""
T0_NS = 1_700_000_040_000_000_000
STRATEGY_ID = StrategyId("bench1")


class CountingClient(ExecutionClient):
    """An execution client that only counts what it is given: no signing, no I/O."""

    venue = Venue("BINANCE")

    def __init__(self, rate_limiter=None):
        self.rate_limiter = rate_limiter
        self.submitted = 0

    def submit_order(self, order):
        self.submitted += 1

    def cancel_order(self, order):
        pass

    def modify_order(self, order, price_ticks, quantity_lots):
        pass


class PassThroughRisk:
    """Approves every order (stands in for the risk engine)."""

    def check_order(self, order):
        return None


def timed(benchmark, function, *args):
    benchmark.pedantic(function, args=args, iterations=ITERATIONS, rounds=ROUNDS, warmup_rounds=1)


def make_engine(client):
    clock = TestClock(T0_NS)
    cache = Cache()
    instrument = make_instrument()
    cache.add_instrument(instrument)
    engine = ExecutionEngine(clock, MessageBus(clock), cache, PassThroughRisk())
    engine.register_client(client)
    return engine, instrument


def unthrottled_binance_limiter():
    """The Binance spot rules and endpoint costs with limits no benchmark reaches."""
    spot = binance_spot_limiter()
    return RateLimiter(
        "BINANCE",
        [RateRule(r.name, 10**12, r.interval_ns, r.window) for r in spot.rules()],
        {name: spot.endpoint(name).costs() for name in ("submit_order", "cancel_order")},
    )


# -- SUBMIT ------------------------------------------------------------------------------------


def test_submit_order_from_strategy_to_client(benchmark):
    client = CountingClient()
    node = TradingNode(Environment.BACKTEST, clock=TestClock(T0_NS), risk_engine=PassThroughRisk())
    instrument = make_instrument()
    node.add_instrument(instrument)
    node.add_execution_client(client)
    strategy = Strategy(StrategyConfig(strategy_id="bench1"))
    node.add_strategy(strategy)
    node.start()

    timed(benchmark, strategy.limit, instrument.id, Side.BUY, 1, 100)

    assert client.submitted >= (ROUNDS + 1) * ITERATIONS


@pytest.mark.parametrize("with_rate_limiter", [False, True], ids=["plain", "with_rate_limiter"])
def test_submit_order_on_the_engine(benchmark, with_rate_limiter):
    client = CountingClient(unthrottled_binance_limiter() if with_rate_limiter else None)
    engine, instrument = make_engine(client)

    timed(
        benchmark,
        engine.submit_order,
        STRATEGY_ID,
        instrument.id,
        Side.BUY,
        OrderType.LIMIT,
        1,
        100,
        TimeInForce.GTC,
        False,
        False,
    )

    assert client.submitted >= (ROUNDS + 1) * ITERATIONS


# -- CANCELS -----------------------------------------------------------------------------------

CANCEL_ALL_BATCH = 4
"""Open orders each timed ``cancel_all_orders`` call cancels (one strategy's two-sided quotes on
two venues, as the requote benchmark has)."""


def submitted_orders(engine, instrument, count):
    """Submit ``count`` one-lot limit buys; return them."""
    return [
        engine.submit_order(
            STRATEGY_ID,
            instrument.id,
            Side.BUY,
            OrderType.LIMIT,
            1,
            100,
            TimeInForce.GTC,
            False,
            False,
        )
        for _ in range(count)
    ]


def accepted_orders(engine, instrument, count):
    """Submit ``count`` orders and report each accepted; return them."""
    orders = submitted_orders(engine, instrument, count)
    for order in orders:
        engine.process(accepted_report(order))
    return orders


def accepted_report(order):
    return OrderAccepted(
        order.strategy_id,
        order.instrument_id,
        order.client_order_id,
        VenueOrderId(f"V{order.client_order_id.value}"),
        T0_NS,
        T0_NS,
    )


def test_cancel_order_on_the_engine(benchmark):
    engine, instrument = make_engine(CountingClient())
    next_order = iter(accepted_orders(engine, instrument, (ROUNDS + 1) * ITERATIONS + 10)).__next__
    cancel_order = engine.cancel_order

    def cancel_next():
        return cancel_order(next_order())

    timed(benchmark, cancel_next)

    assert engine.cache.order(next_order().client_order_id).status == OrderStatus.ACCEPTED


def test_cancel_all_orders_on_the_engine(benchmark):
    engine, instrument = make_engine(CountingClient())

    def open_batch():
        # Outside the timed call: the orders of the last batch are canceled, new ones accepted.
        for order in engine.cache.open_orders():
            engine.process(
                OrderCanceled(
                    order.strategy_id, order.instrument_id, order.client_order_id, T0_NS, T0_NS
                )
            )
        accepted_orders(engine, instrument, CANCEL_ALL_BATCH)
        return (STRATEGY_ID, None), {}

    benchmark.pedantic(engine.cancel_all_orders, setup=open_batch, rounds=ROUNDS * 100)
    ns_per_order = benchmark.stats.stats.median * 1e9 / CANCEL_ALL_BATCH
    benchmark.extra_info["ns_per_order"] = ns_per_order
    print(f"\ncancel_all_orders of {CANCEL_ALL_BATCH}: {ns_per_order:.1f} ns per order (median)")

    assert all(o.status == OrderStatus.PENDING_CANCEL for o in engine.cache.open_orders())


# -- REPORTS -----------------------------------------------------------------------------------


@pytest.mark.parametrize("report", ["accepted", "canceled"])
def test_process_report(benchmark, report):
    engine, instrument = make_engine(CountingClient())
    count = (ROUNDS + 1) * ITERATIONS + 10
    if report == "accepted":
        orders = submitted_orders(engine, instrument, count)
        events = [accepted_report(order) for order in orders]
    else:
        orders = accepted_orders(engine, instrument, count)
        events = [
            OrderCanceled(o.strategy_id, o.instrument_id, o.client_order_id, T0_NS, T0_NS)
            for o in orders
        ]
    next_event = iter(events).__next__
    process = engine.process

    def process_next():
        return process(next_event())

    timed(benchmark, process_next)

    assert orders[0].status == (
        OrderStatus.ACCEPTED if report == "accepted" else OrderStatus.CANCELED
    )


def test_process_fill_report(benchmark):
    engine, instrument = make_engine(CountingClient())
    fills = []
    for _ in range((ROUNDS + 1) * ITERATIONS + 10):  # pytest-benchmark adds a first call
        order = engine.submit_order(
            STRATEGY_ID,
            instrument.id,
            Side.BUY,
            OrderType.LIMIT,
            2,
            100,
            TimeInForce.GTC,
            False,
            False,
        )
        fills.append(
            OrderFilled(
                STRATEGY_ID,
                instrument.id,
                order.client_order_id,
                VenueOrderId("1"),
                TradeId("1"),
                Side.BUY,
                100,
                1,
                LiquiditySide.MAKER,
                Money(1, 8, "BNB"),
                T0_NS,
                T0_NS,
            )
        )
    next_fill = iter(fills).__next__
    process = engine.process

    def process_next():
        return process(next_fill())

    timed(benchmark, process_next)

    assert engine.fill_count >= (ROUNDS + 1) * ITERATIONS


# -- HELPERS -----------------------------------------------------------------------------------


def test_rate_limiter_acquire(benchmark):
    limiter = unthrottled_binance_limiter()
    endpoint = limiter.endpoint("submit_order")
    now_ns = count(T0_NS, 1_000).__next__

    def acquire():
        return limiter.acquire(endpoint, now_ns())

    timed(benchmark, acquire)


def test_client_order_id_generate(benchmark):
    generator = ClientOrderIdGenerator("bench1", T0_NS)
    timed(benchmark, generator.generate)


def test_binance_hmac_signed_query(benchmark):
    signer = BinanceHmacSigner(Secret("bench-api-key"), Secret("bench-secret-key"))
    params = [
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.00100"),
        ("price", "64123.45"),
        ("newClientOrderId", "bench10loyw3v5n00002a"),
        ("recvWindow", "5000"),
        ("timestamp", "1700000040000"),
    ]
    timed(benchmark, signer.signed_query, params)
