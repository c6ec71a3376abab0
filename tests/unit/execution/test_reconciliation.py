"""Reconciliation after a reconnect: venue reports against the cache, corrections as events."""

import logging

import pytest

from hftcore.execution.rate_limiter import RateLimiter, RateRule, RateWindow
from hftcore.execution.reconciliation import VenueFillReport, VenueOrderReport
from hftcore.model.enums import LiquiditySide, OrderStatus
from hftcore.model.identifiers import ClientOrderId, TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from tests.builders.instruments import make_instrument
from tests.unit.execution.reports import (
    STRATEGY_ID,
    T0_NS,
    FakeExecutionClient,
    accepted_report,
    canceled_report,
    filled_report,
)

BINANCE = Venue("BINANCE")
LATER_NS = T0_NS + 5_000_000_000


def venue_order(order, venue_order_id="V1", status=OrderStatus.ACCEPTED, filled_lots=0, **kw):
    values = {
        "instrument_id": order.instrument_id,
        "venue_order_id": VenueOrderId(venue_order_id),
        "client_order_id": order.client_order_id,
        "side": order.side,
        "price_ticks": order.price_ticks,
        "quantity_lots": order.quantity_lots,
        "filled_lots": filled_lots,
        "status": status,
    }
    return VenueOrderReport(**(values | kw))


def venue_fill(order, trade_id, qty_lots, venue_order_id="V1", client_order_id=None):
    return VenueFillReport(
        instrument_id=order.instrument_id,
        venue_order_id=VenueOrderId(venue_order_id),
        client_order_id=client_order_id,
        trade_id=TradeId(trade_id),
        last_price_ticks=101,
        last_qty_lots=qty_lots,
        liquidity_side=LiquiditySide.TAKER,
        fee=Money(1, 2, "USDT"),
        ts_event=T0_NS + 2_000_000,
    )


@pytest.fixture
def accepted(engine, submit):
    """Return a function submitting an order and accepting it as venue order ``V<n>``."""
    count = [0]

    def make():
        count[0] += 1
        order = submit()
        engine.process(accepted_report(order, VenueOrderId(f"V{count[0]}")))
        return order

    return make


def reconcile(engine, orders=(), fills=()):
    engine.clock.set_time(LATER_NS)
    return engine.reconcile(BINANCE, list(orders), list(fills))


def kinds(events):
    return [type(e).__name__ for e in events]


def test_missing_fill_is_applied_and_published(engine, accepted, published):
    order = accepted()

    result = reconcile(engine, [venue_order(order, filled_lots=3)], [venue_fill(order, "T1", 3)])

    assert kinds(result.events) == ["OrderFilled"]
    assert order.filled_lots == 3
    assert order.status == OrderStatus.PARTIALLY_FILLED
    assert kinds(published)[-1] == "OrderFilled"


def test_fill_already_applied_is_not_repeated(engine, accepted):
    order = accepted()
    engine.process(filled_report(order, "T1", 3))

    result = reconcile(engine, [venue_order(order, filled_lots=3)], [venue_fill(order, "T1", 3)])

    assert result.events == []
    assert order.filled_lots == 3


def test_order_the_venue_no_longer_has_is_canceled(engine, accepted, published):
    order = accepted()

    result = reconcile(engine)

    assert kinds(result.events) == ["OrderCanceled"]
    assert order.status == OrderStatus.CANCELED
    assert kinds(published)[-1] == "OrderCanceled"


def test_order_filled_while_disconnected_is_filled_not_canceled(engine, accepted):
    order = accepted()

    result = reconcile(engine, fills=[venue_fill(order, "T1", 10)])

    assert kinds(result.events) == ["OrderFilled"]
    assert order.status == OrderStatus.FILLED


def test_fill_matched_by_venue_order_id_alone(engine, accepted):
    order = accepted()

    reconcile(engine, [venue_order(order)], [venue_fill(order, "T1", 2, client_order_id=None)])

    assert order.filled_lots == 2


def test_lost_accept_is_recovered_with_the_venue_order_id(engine, submit, cache):
    order = submit()

    result = reconcile(engine, [venue_order(order, "V77")])

    assert kinds(result.events) == ["OrderAccepted"]
    assert order.status == OrderStatus.ACCEPTED
    assert cache.order_by_venue_id(VenueOrderId("V77")) is order


def test_filled_quantity_without_fill_reports_is_booked_once(engine, accepted):
    order = accepted()
    report = venue_order(
        order, status=OrderStatus.PARTIALLY_FILLED, filled_lots=4, avg_price_ticks=99
    )

    first = reconcile(engine, [report])
    second = engine.reconcile(BINANCE, [report])

    assert [(e.trade_id.value, e.last_qty_lots, e.last_price_ticks) for e in first.events] == [
        ("RECON-V1-4", 4, 99)
    ]
    assert second.events == []
    assert order.filled_lots == 4


def test_changed_price_and_quantity_become_an_update(engine, accepted):
    order = accepted()

    result = reconcile(engine, [venue_order(order, price_ticks=95, quantity_lots=8)])

    assert kinds(result.events) == ["OrderUpdated"]
    assert (order.price_ticks, order.quantity_lots) == (95, 8)


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (OrderStatus.CANCELED, "OrderCanceled"),
        (OrderStatus.EXPIRED, "OrderExpired"),
        (OrderStatus.REJECTED, "OrderRejected"),
    ],
)
def test_final_state_reported_by_the_venue_is_applied(engine, submit, status, event):
    order = submit()

    result = reconcile(engine, [venue_order(order, status=status)])

    assert kinds(result.events) == [event]
    assert order.status == status


def test_unknown_venue_order_is_reported_not_guessed(engine, accepted, caplog):
    order = accepted()
    stranger = venue_order(
        order, "V999", client_order_id=ClientOrderId(STRATEGY_ID.value + "0" * 15)
    )

    with caplog.at_level(logging.WARNING):
        result = reconcile(engine, [venue_order(order), stranger])

    assert result.unknown_orders == [stranger]
    assert result.events == []
    assert "V999" in caplog.text and "own_format=True" in caplog.text


def test_unknown_fill_is_reported(engine, accepted):
    order = accepted()
    fill = venue_fill(order, "T5", 1, venue_order_id="V404")

    result = reconcile(engine, [venue_order(order)], [fill])

    assert result.unknown_fills == [fill]


def test_order_changed_after_the_snapshot_is_left_alone(engine, accepted):
    order = accepted()
    engine.clock.set_time(LATER_NS)

    result = engine.reconcile(BINANCE, [], ts_snapshot_ns=T0_NS)

    assert result.events == []
    assert result.in_flight == [order]
    assert order.status == OrderStatus.ACCEPTED


def test_order_closed_here_but_open_at_the_venue_is_reported(engine, accepted, caplog):
    order = accepted()
    engine.process(canceled_report(order))

    with caplog.at_level(logging.ERROR):
        result = reconcile(engine, [venue_order(order)])

    assert result.closed_but_open == [order]
    assert "venue has an open order the cache holds closed" in caplog.text


def test_order_held_by_the_rate_limiter_is_not_canceled(engine, submit):
    limiter = RateLimiter(
        "BINANCE",
        [RateRule("orders_50ms", 1, 50_000_000, RateWindow.FIXED)],
        {"submit_order": {"orders_50ms": 1}},
    )
    engine.set_rate_limiter(BINANCE, limiter)
    sent = submit()
    held = submit()

    result = engine.reconcile(BINANCE, [venue_order(sent)])

    assert held.status == OrderStatus.INITIALIZED
    assert [(type(e).__name__, e.client_order_id) for e in result.events] == [
        ("OrderAccepted", sent.client_order_id)
    ]


def test_reconciliation_clears_the_flags_of_the_orders_it_checked(engine, accepted):
    order = accepted()
    engine.process(filled_report(order, "T1", 20))  # overfill: flagged
    assert engine.needs_reconciliation() == [order.client_order_id]

    reconcile(engine, [venue_order(order)])

    assert engine.needs_reconciliation() == []


def test_orders_of_another_venue_are_untouched(engine, cache, submit):
    okx = make_instrument("BTC-USDT", "OKX")
    cache.add_instrument(okx)
    engine.register_client(FakeExecutionClient(venue=Venue("OKX")))
    okx_order = submit(instrument_id=okx.id)

    reconcile(engine)

    assert okx_order.status == OrderStatus.SUBMITTED
