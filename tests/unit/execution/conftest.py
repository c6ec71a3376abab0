"""Fixtures of the execution tests: a node's clock, bus and cache around an ExecutionEngine."""

import pytest

from hftcore.bus import MessageBus
from hftcore.cache import Cache
from hftcore.clock import TestClock
from hftcore.execution.engine import ExecutionEngine
from hftcore.model.enums import OrderType, Side, TimeInForce
from tests.builders.instruments import make_instrument
from tests.unit.execution.reports import STRATEGY_ID, T0_NS, FakeExecutionClient


@pytest.fixture
def clock():
    """A test clock at ``T0_NS``."""
    return TestClock(T0_NS)


@pytest.fixture
def instrument():
    """Binance spot BTCUSDT."""
    return make_instrument()


@pytest.fixture
def cache(instrument):
    """A cache holding ``instrument``."""
    cache = Cache()
    cache.add_instrument(instrument)
    return cache


@pytest.fixture
def bus(clock):
    """The node's message bus."""
    return MessageBus(clock)


@pytest.fixture
def client():
    """The fake Binance execution client, without a rate limiter."""
    return FakeExecutionClient()


@pytest.fixture
def engine(clock, bus, cache, client):
    """An engine with ``client`` registered and no risk engine."""
    engine = ExecutionEngine(clock, bus, cache)
    engine.register_client(client)
    return engine


@pytest.fixture
def published(engine, bus):
    """Every event published on the order topic of ``STRATEGY_ID``, in order."""
    events = []
    bus.subscribe(engine.order_topic(STRATEGY_ID), events.append)
    return events


@pytest.fixture
def submit(engine, instrument):
    """Return a function submitting a LIMIT GTC order of ``STRATEGY_ID`` (10 lots at 100)."""

    def submit_order(
        quantity_lots=10,
        price_ticks=100,
        side=Side.BUY,
        order_type=OrderType.LIMIT,
        time_in_force=TimeInForce.GTC,
        strategy_id=STRATEGY_ID,
        instrument_id=None,
    ):
        return engine.submit_order(
            strategy_id,
            instrument_id or instrument.id,
            side,
            order_type,
            quantity_lots,
            price_ticks,
            time_in_force,
            False,
            False,
        )

    return submit_order
