"""ExecutionEngine with a venue rate limiter: orders wait, or are denied, never sent into a 429."""

import pytest

from hftcore.bus import MessageBus
from hftcore.cache import Cache
from hftcore.clock import TestClock
from hftcore.errors import ConfigError
from hftcore.execution.engine import RATE_LIMITED, ExecutionEngine
from hftcore.execution.rate_limiter import RateLimiter, RateRule, RateWindow
from hftcore.model.enums import OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers import Venue
from hftcore.model.order_events import OrderDenied
from tests.unit.execution.reports import STRATEGY_ID, T0_NS, FakeExecutionClient, accepted_report

SECOND_NS = 1_000_000_000


def make_limiter(with_cancel_all=True):
    """Two orders and three requests per epoch-aligned second (T0_NS is on a second)."""
    endpoints = {
        "submit_order": {"orders_1s": 1, "requests_1s": 1},
        "modify_order": {"orders_1s": 1, "requests_1s": 1},
        "cancel_order": {"requests_1s": 1},
    }
    if with_cancel_all:
        endpoints["cancel_all_orders"] = {"requests_1s": 1}
    return RateLimiter(
        "BINANCE",
        [
            RateRule("orders_1s", 2, SECOND_NS, RateWindow.FIXED),
            RateRule("requests_1s", 3, SECOND_NS, RateWindow.FIXED),
        ],
        endpoints,
    )


class Node:
    """Clock, bus, cache, a rate-limited fake client and an engine, with the published events."""

    def __init__(self, instrument, max_wait_ns=2 * SECOND_NS, max_queued=100, limiter=None):
        self.clock = TestClock(T0_NS)
        self.cache = Cache()
        self.cache.add_instrument(instrument)
        self.bus = MessageBus(self.clock)
        self.limiter = limiter or make_limiter()
        self.client = FakeExecutionClient(rate_limiter=self.limiter)
        self.engine = ExecutionEngine(
            self.clock,
            self.bus,
            self.cache,
            max_rate_limit_wait_ns=max_wait_ns,
            max_queued_orders=max_queued,
        )
        self.engine.register_client(self.client)
        self.instrument = instrument
        self.events = []
        self.bus.subscribe(self.engine.order_topic(STRATEGY_ID), self.events.append)

    def submit(self):
        return self.engine.submit_order(
            STRATEGY_ID,
            self.instrument.id,
            Side.BUY,
            OrderType.LIMIT,
            1,
            100,
            TimeInForce.GTC,
            False,
            False,
        )

    def sent(self):
        return [call[0] for call in self.client.calls]


class ModifyCap:
    """Risk engine approving orders and modifies up to ``max_lots`` lots."""

    def __init__(self, max_lots):
        self.max_lots = max_lots
        self.modifies = []

    def check_order(self, order):
        return None

    def check_modify(self, order, price_ticks, quantity_lots):
        self.modifies.append((order, price_ticks, quantity_lots))
        if quantity_lots <= self.max_lots:
            return None
        return OrderDenied(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            "MAX_ORDER_QUANTITY",
            f"quantity {quantity_lots} lots > max {self.max_lots}",
            order.ts_init,
            order.ts_init,
        )


@pytest.fixture
def node(instrument):
    return Node(instrument)


def test_client_rate_limiter_is_used_by_the_venue_channel(node):
    assert node.engine.channel(Venue("BINANCE")).rate_limiter is node.limiter


def test_orders_within_the_limit_go_at_once(node):
    first, second = node.submit(), node.submit()

    assert (first.status, second.status) == (OrderStatus.SUBMITTED, OrderStatus.SUBMITTED)
    assert node.sent() == ["submit", "submit"]


def test_order_beyond_the_limit_waits_for_the_next_window(node):
    node.submit()
    node.submit()

    third = node.submit()

    assert third.status == OrderStatus.INITIALIZED
    assert node.sent() == ["submit", "submit"]
    assert node.engine.channel(Venue("BINANCE")).waiting_count == 1


def test_waiting_order_is_sent_when_the_window_opens(node):
    node.submit()
    node.submit()
    third = node.submit()

    node.clock.advance_time(T0_NS + SECOND_NS)

    assert third.status == OrderStatus.SUBMITTED
    assert node.sent() == ["submit"] * 3
    assert node.events[-1].client_order_id == third.client_order_id
    assert node.events[-1].ts_event == T0_NS + SECOND_NS


def test_order_that_would_wait_past_the_policy_is_denied(instrument):
    node = Node(instrument, max_wait_ns=SECOND_NS // 2)
    node.submit()
    node.submit()

    third = node.submit()

    assert third.status == OrderStatus.DENIED
    assert node.events[-1].reason_code == RATE_LIMITED
    assert node.engine.rate_limited_count == 1
    assert node.sent() == ["submit", "submit"]


def test_order_finding_the_queue_full_is_denied(instrument):
    node = Node(instrument, max_queued=1)
    node.submit()
    node.submit()
    node.submit()

    fourth = node.submit()

    assert fourth.status == OrderStatus.DENIED
    assert node.events[-1].reason_code == RATE_LIMITED


def test_order_is_denied_while_the_venue_blocks_longer_than_the_policy(node):
    node.limiter.block_until(T0_NS + 60 * SECOND_NS, "429")

    order = node.submit()

    assert order.status == OrderStatus.DENIED
    assert node.sent() == []


def test_waiting_order_is_denied_when_a_block_outlasts_the_policy(node):
    node.submit()
    node.submit()
    third = node.submit()
    node.limiter.block_until(T0_NS + 10 * SECOND_NS, "418")

    node.clock.advance_time(T0_NS + 10 * SECOND_NS)

    assert third.status == OrderStatus.DENIED
    assert node.events[-1].reason_code == RATE_LIMITED
    assert node.sent() == ["submit", "submit"]


def test_canceling_a_waiting_order_cancels_it_locally(node):
    node.submit()
    node.submit()
    third = node.submit()

    assert node.engine.cancel_order(third) is True
    node.clock.advance_time(T0_NS + SECOND_NS)

    assert third.status == OrderStatus.CANCELED
    assert type(node.events[-1]).__name__ == "OrderCanceled"
    assert node.sent() == ["submit", "submit"]


def test_modifying_a_waiting_order_changes_what_is_sent(node):
    node.submit()
    node.submit()
    third = node.submit()

    assert node.engine.modify_order(third, 99, 3) is True

    assert (third.price_ticks, third.quantity_lots) == (99, 3)
    assert third.status == OrderStatus.INITIALIZED


def test_waiting_cancel_goes_before_a_waiting_order(node):
    first = node.submit()
    second = node.submit()
    third = node.submit()  # waits: two orders per second
    node.engine.cancel_order(first)  # third request of the second: goes now
    node.engine.cancel_order(second)  # waits: three requests per second

    node.clock.advance_time(T0_NS + SECOND_NS)

    assert node.client.calls[2:] == [
        ("cancel", first.client_order_id),
        ("cancel", second.client_order_id),
        ("submit", third.client_order_id),
    ]
    assert second.status == OrderStatus.PENDING_CANCEL


def test_waiting_modify_is_sent_when_the_limit_allows(node):
    first = node.submit()
    node.submit()
    node.engine.process(accepted_report(first))

    node.engine.modify_order(first, 101, 1)
    assert node.sent() == ["submit", "submit"]
    node.clock.advance_time(T0_NS + SECOND_NS)

    assert node.client.calls[-1] == ("modify", first.client_order_id, 101, 1)


def test_cancel_all_is_charged_once_per_instrument_with_a_native_endpoint(node):
    node.submit()
    node.submit()

    node.engine.cancel_all_orders()

    assert node.sent() == ["submit", "submit", "cancel_all"]
    assert node.limiter.rule("requests_1s").admitted_units == 3


def test_cancel_all_is_charged_per_order_without_a_native_endpoint(instrument):
    node = Node(instrument, limiter=make_limiter(with_cancel_all=False))
    node.submit()
    node.submit()

    node.engine.cancel_all_orders()
    node.clock.advance_time(T0_NS + SECOND_NS)

    assert node.sent() == ["submit", "submit", "cancel", "cancel"]


def test_rate_limiter_can_be_removed(node):
    node.engine.set_rate_limiter(Venue("BINANCE"), None)

    orders = [node.submit() for _ in range(5)]

    assert {o.status for o in orders} == {OrderStatus.SUBMITTED}


def test_rate_limiter_of_a_venue_without_client_is_an_error(node):
    with pytest.raises(ConfigError, match="OKX"):
        node.engine.set_rate_limiter(Venue("OKX"), make_limiter())


def test_denied_modify_of_an_order_held_by_the_rate_limiter_keeps_its_values(node):
    node.engine.set_risk_engine(ModifyCap(max_lots=2))
    node.submit()
    node.submit()
    held = node.submit()  # waits: two orders per second

    assert node.engine.modify_order(held, 99, 3) is False

    assert (held.price_ticks, held.quantity_lots) == (100, 1)
    assert held.status == OrderStatus.INITIALIZED
    assert type(node.events[-1]) is OrderDenied


def test_approved_modify_of_an_order_held_by_the_rate_limiter_changes_it(node):
    risk = ModifyCap(max_lots=3)
    node.engine.set_risk_engine(risk)
    node.submit()
    node.submit()
    held = node.submit()

    assert node.engine.modify_order(held, 99, 3) is True

    assert risk.modifies == [(held, 99, 3)]
    assert (held.price_ticks, held.quantity_lots) == (99, 3)
