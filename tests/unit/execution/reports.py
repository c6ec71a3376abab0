"""Execution test doubles and report builders: a fake venue client and the events it sends.

``FakeExecutionClient`` is a test double of a venue: it records every call the engine makes and
can be told to raise. The ``*_report`` builders make the events an execution client would pass
to ``ExecutionEngine.process`` for an order, with fixed timestamps.
"""

from hftcore.model.enums import LiquiditySide
from hftcore.model.identifiers import StrategyId, TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)
from hftcore.node.interfaces import ExecutionClient

VENUE = Venue("BINANCE")
"""Venue of the default instrument, BTCUSDT.BINANCE."""
STRATEGY_ID = StrategyId("maker1")
"""The strategy that owns the orders of the tests."""
T0_NS = 1_700_000_000_000_000_000
"""Start time of the test clock, UNIX ns."""
VENUE_ORDER_ID = VenueOrderId("V1")
"""Venue order id the reports use unless told otherwise."""
REPORT_TS_NS = T0_NS + 1_000_000
"""ts_event of the reports, UNIX ns."""


class FakeExecutionClient(ExecutionClient):
    """Records the engine's calls as tuples; raises ``error`` from a call named in ``fail``."""

    def __init__(self, venue=VENUE, rate_limiter=None, fail=(), error=None):
        self.venue = venue
        self.rate_limiter = rate_limiter
        self.calls = []
        self.fail = set(fail)
        self.error = error or ConnectionError("venue down")

    def _record(self, call):
        self.calls.append(call)
        if call[0] in self.fail:
            raise self.error

    def submit_order(self, order):
        self._record(("submit", order.client_order_id))

    def cancel_order(self, order):
        self._record(("cancel", order.client_order_id))

    def modify_order(self, order, price_ticks, quantity_lots):
        self._record(("modify", order.client_order_id, price_ticks, quantity_lots))

    def cancel_all_orders(self, orders):
        self._record(("cancel_all", tuple(o.client_order_id for o in orders)))


def accepted_report(order, venue_order_id=VENUE_ORDER_ID, ts_event=REPORT_TS_NS):
    """Return the venue's OrderAccepted of ``order``."""
    return OrderAccepted(
        order.strategy_id,
        order.instrument_id,
        order.client_order_id,
        venue_order_id,
        ts_event,
        ts_event,
    )


def filled_report(
    order,
    trade_id,
    qty_lots,
    price_ticks=None,
    venue_order_id=VENUE_ORDER_ID,
    ts_event=REPORT_TS_NS,
):
    """Return one OrderFilled of ``order`` (at its limit price unless ``price_ticks`` is given)."""
    return OrderFilled(
        order.strategy_id,
        order.instrument_id,
        order.client_order_id,
        venue_order_id,
        TradeId(trade_id),
        order.side,
        price_ticks or order.price_ticks or 100,
        qty_lots,
        LiquiditySide.MAKER,
        Money(-5, 4, "USDT"),
        ts_event,
        ts_event,
    )


def canceled_report(order, ts_event=REPORT_TS_NS):
    """Return the venue's OrderCanceled of ``order``."""
    return OrderCanceled(
        order.strategy_id, order.instrument_id, order.client_order_id, ts_event, ts_event
    )


def expired_report(order, ts_event=REPORT_TS_NS):
    """Return the venue's OrderExpired of ``order``."""
    return OrderExpired(
        order.strategy_id, order.instrument_id, order.client_order_id, ts_event, ts_event
    )


def rejected_report(order, reason="insufficient balance", ts_event=REPORT_TS_NS):
    """Return the venue's OrderRejected of ``order``."""
    return OrderRejected(
        order.strategy_id, order.instrument_id, order.client_order_id, reason, ts_event, ts_event
    )


def updated_report(
    order, price_ticks, quantity_lots, venue_order_id=VENUE_ORDER_ID, ts_event=REPORT_TS_NS
):
    """Return the venue's OrderUpdated of ``order`` with its price and quantity now."""
    return OrderUpdated(
        order.strategy_id,
        order.instrument_id,
        order.client_order_id,
        venue_order_id,
        price_ticks,
        quantity_lots,
        ts_event,
        ts_event,
    )
