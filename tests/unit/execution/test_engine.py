"""ExecutionEngine: submit, deny, cancel, modify, cancel-all, and every report transition."""

import logging

import pytest

from hftcore.bus import MessageBus
from hftcore.cache import Cache
from hftcore.clock import TestClock
from hftcore.errors import ConfigError, InvalidOrderError, UnknownInstrumentError
from hftcore.execution.engine import RISK_CHECK_FAILED, ExecutionEngine
from hftcore.execution.pre_trade import PreTradeRisk
from hftcore.model.enums import OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    VenueOrderId,
)
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)
from tests.builders.instruments import make_instrument
from tests.unit.execution.reports import (
    STRATEGY_ID,
    T0_NS,
    FakeExecutionClient,
    accepted_report,
    canceled_report,
    expired_report,
    filled_report,
    rejected_report,
    updated_report,
)


class PassRisk:
    def __init__(self):
        self.checked = []

    def check_order(self, order):
        self.checked.append(order.client_order_id)


class DenyRisk:
    def check_order(self, order):
        return OrderDenied(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            "MAX_ORDER_NOTIONAL",
            "notional 1000 > max 500",
            order.ts_init,
            order.ts_init,
        )


class RaisingRisk:
    def check_order(self, order):
        raise RuntimeError("bug in a check")


def kinds(events):
    return [type(e).__name__ for e in events]


def make_engine(instrument, start_ns=T0_NS, client=None):
    """Return an engine with its own clock, bus and cache, and ``client`` registered."""
    clock = TestClock(start_ns)
    cache = Cache()
    cache.add_instrument(instrument)
    engine = ExecutionEngine(clock, MessageBus(clock), cache)
    engine.register_client(client or FakeExecutionClient())
    return engine


def submit_one(engine, instrument):
    return engine.submit_order(
        STRATEGY_ID, instrument.id, Side.BUY, OrderType.LIMIT, 1, 1, TimeInForce.GTC, False, False
    )


# -- SUBMIT ------------------------------------------------------------------------------------


def test_submit_order_sends_it_to_the_client_as_submitted(engine, client, submit, published):
    order = submit()

    assert order.status == OrderStatus.SUBMITTED
    assert client.calls == [("submit", order.client_order_id)]
    assert kinds(published) == ["OrderSubmitted"]
    assert published[0].client_order_id == order.client_order_id
    assert published[0].ts_event == T0_NS
    assert engine.submitted_count == 1


def test_submit_order_adds_the_order_to_the_cache_as_open(engine, cache, submit):
    order = submit()

    assert cache.order(order.client_order_id) is order
    assert cache.open_orders() == [order]


def test_submit_order_asks_the_risk_engine_before_sending(engine, client, submit):
    risk = PassRisk()
    engine.set_risk_engine(risk)

    order = submit()

    assert risk.checked == [order.client_order_id]
    assert client.calls == [("submit", order.client_order_id)]


def test_denied_order_is_not_sent_and_publishes_the_risk_denial(
    engine, client, cache, submit, published
):
    engine.set_risk_engine(DenyRisk())

    order = submit()

    assert order.status == OrderStatus.DENIED
    assert client.calls == []
    assert kinds(published) == ["OrderDenied"]
    assert published[0].reason_code == "MAX_ORDER_NOTIONAL"
    assert engine.denied_count == 1
    assert cache.open_orders() == []


def test_risk_engine_that_raises_denies_the_order(engine, client, submit, published):
    engine.set_risk_engine(RaisingRisk())

    order = submit()

    assert order.status == OrderStatus.DENIED
    assert published[0].reason_code == RISK_CHECK_FAILED
    assert client.calls == []


class DenyingPreTradeRisk(PreTradeRisk):
    """A PreTradeRisk (called through its C method table) overridden in Python."""

    def __init__(self):
        self.checked = []

    def check_order(self, order):
        self.checked.append(order.client_order_id)
        return DenyRisk().check_order(order)


def test_pre_trade_risk_subclass_is_asked_through_its_python_override(
    engine, client, submit, published
):
    risk = DenyingPreTradeRisk()
    engine.set_risk_engine(risk)

    order = submit()

    assert risk.checked == [order.client_order_id]
    assert order.status == OrderStatus.DENIED
    assert published[0].reason_code == "MAX_ORDER_NOTIONAL"
    assert client.calls == []


def test_pre_trade_risk_base_approves_orders_and_modifies(engine, client, submit):
    engine.set_risk_engine(PreTradeRisk())

    order = submit()
    engine.process(accepted_report(order))

    assert engine.modify_order(order, order.price_ticks + 1, order.quantity_lots)
    assert client.calls == [
        ("submit", order.client_order_id),
        ("modify", order.client_order_id, order.price_ticks + 1, order.quantity_lots),
    ]


def test_risk_engine_without_check_order_is_refused(engine):
    with pytest.raises(TypeError, match="check_order"):
        engine.set_risk_engine(object())


def test_submit_order_for_a_venue_without_client_is_an_error(engine, cache):
    other = make_instrument("BTC-USDT", "OKX")
    cache.add_instrument(other)

    with pytest.raises(InvalidOrderError, match="no execution client registered for venue OKX"):
        engine.submit_order(
            STRATEGY_ID, other.id, Side.BUY, OrderType.LIMIT, 1, 1, TimeInForce.GTC, False, False
        )


def test_submit_order_for_an_instrument_not_in_the_cache_is_an_error(engine):
    unknown = InstrumentId.from_str("ETHUSDT.BINANCE")

    with pytest.raises(UnknownInstrumentError, match=r"ETHUSDT\.BINANCE"):
        engine.submit_order(
            STRATEGY_ID, unknown, Side.BUY, OrderType.LIMIT, 1, 1, TimeInForce.GTC, False, False
        )


def test_submit_order_without_strategy_id_is_an_error(engine, instrument):
    with pytest.raises(InvalidOrderError, match="strategy_id"):
        engine.submit_order(
            None, instrument.id, Side.BUY, OrderType.LIMIT, 1, 1, TimeInForce.GTC, False, False
        )


def test_submit_order_with_zero_quantity_names_the_field(submit):
    with pytest.raises(InvalidOrderError, match="quantity_lots: expected > 0, got 0"):
        submit(quantity_lots=0)


def test_submit_market_order_with_a_price_names_the_field(submit):
    with pytest.raises(InvalidOrderError, match="price_ticks: expected 0 for a MARKET order"):
        submit(order_type=OrderType.MARKET, price_ticks=5)


def test_client_that_fails_to_send_rejects_the_order_without_its_message(instrument, caplog):
    failing = FakeExecutionClient(
        fail={"submit"},
        error=ConnectionError("POST /api/v3/order?symbol=BTCUSDT&signature=deadbeef failed"),
    )
    engine = make_engine(instrument, client=failing)
    events = []
    engine.bus.subscribe(engine.order_topic(STRATEGY_ID), events.append)

    with caplog.at_level(logging.ERROR):
        order = submit_one(engine, instrument)

    assert order.status == OrderStatus.REJECTED
    assert kinds(events) == ["OrderSubmitted", "OrderRejected"]
    assert events[1].reason == "send failed: ConnectionError"
    assert "deadbeef" not in caplog.text
    assert engine.send_error_count == 1
    assert engine.needs_reconciliation() == [order.client_order_id]


def test_client_order_id_starts_with_the_strategy_id(submit):
    assert submit().client_order_id.value.startswith("maker1")


def test_strategy_id_that_cannot_tag_client_order_ids_is_an_error(submit):
    with pytest.raises(InvalidOrderError, match="strategy_id 'maker-1'"):
        submit(strategy_id=StrategyId("maker-1"))


def test_client_order_ids_of_two_strategies_never_meet(submit):
    first = {submit().client_order_id for _ in range(20)}
    second = {submit(strategy_id=StrategyId("taker1")).client_order_id for _ in range(20)}

    assert first.isdisjoint(second)


def test_client_order_ids_are_unique_within_a_run(submit):
    ids = {submit().client_order_id for _ in range(50)}

    assert len(ids) == 50


def test_client_order_ids_differ_after_a_restart(instrument):
    before = make_engine(instrument, start_ns=T0_NS)
    after_restart = make_engine(instrument, start_ns=T0_NS + 2_000_000_000)

    first = {submit_one(before, instrument).client_order_id for _ in range(20)}
    second = {submit_one(after_restart, instrument).client_order_id for _ in range(20)}

    assert first.isdisjoint(second)


def test_client_order_ids_repeat_in_a_backtest_started_at_the_same_time(instrument):
    first, second = make_engine(instrument), make_engine(instrument)

    assert [submit_one(first, instrument).client_order_id for _ in range(5)] == [
        submit_one(second, instrument).client_order_id for _ in range(5)
    ]


# -- REGISTRATION AND TOPICS -------------------------------------------------------------------


def test_order_topic_is_built_from_the_strategy_id(engine):
    assert engine.order_topic(StrategyId("Maker1")) == "order.strategy.maker1"


def test_events_go_only_to_the_owning_strategys_topic(engine, bus, submit, published):
    others = []
    bus.subscribe(engine.order_topic(StrategyId("other")), others.append)

    submit()

    assert kinds(published) == ["OrderSubmitted"]
    assert others == []


def test_registering_two_clients_for_one_venue_is_an_error(engine):
    with pytest.raises(ConfigError, match="BINANCE"):
        engine.register_client(FakeExecutionClient())


def test_registering_a_client_without_venue_is_an_error(engine):
    class NoVenue:
        pass

    with pytest.raises(TypeError, match=r"client\.venue"):
        engine.register_client(NoVenue())


# -- REPORT TRANSITIONS ------------------------------------------------------------------------


def step(engine, order, action):
    """Apply one action (a report or a command) to ``order``; see ``TRANSITION_CASES``."""
    name, *args = action
    if name == "cancel":
        return engine.cancel_order(order)
    if name == "modify":
        return engine.modify_order(order, *args)
    report = {
        "accepted": accepted_report,
        "filled": filled_report,
        "canceled": canceled_report,
        "expired": expired_report,
        "rejected": rejected_report,
        "updated": updated_report,
    }[name](order, *args)
    return engine.process(report)


# (actions after submit of 10 lots at 100, final status, filled lots, events published after
# OrderSubmitted). Hand-computed from the state table in hftcore/execution/order_fsm.pyx.
TRANSITION_CASES = {
    "accept": ([("accepted",)], OrderStatus.ACCEPTED, 0, ["OrderAccepted"]),
    "reject": ([("rejected",)], OrderStatus.REJECTED, 0, ["OrderRejected"]),
    "cancel before accept (venue)": ([("canceled",)], OrderStatus.CANCELED, 0, ["OrderCanceled"]),
    "ioc expires unaccepted": ([("expired",)], OrderStatus.EXPIRED, 0, ["OrderExpired"]),
    "partial fill": (
        [("accepted",), ("filled", "T1", 4)],
        OrderStatus.PARTIALLY_FILLED,
        4,
        ["OrderAccepted", "OrderFilled"],
    ),
    "partial then full": (
        [("accepted",), ("filled", "T1", 4), ("filled", "T2", 6)],
        OrderStatus.FILLED,
        10,
        ["OrderAccepted", "OrderFilled", "OrderFilled"],
    ),
    "one full fill": (
        [("accepted",), ("filled", "T1", 10)],
        OrderStatus.FILLED,
        10,
        ["OrderAccepted", "OrderFilled"],
    ),
    "fill before accept": (
        [("filled", "T1", 4), ("accepted",)],
        OrderStatus.PARTIALLY_FILLED,
        4,
        ["OrderFilled"],
    ),
    "full fill before accept": (
        [("filled", "T1", 10), ("accepted",)],
        OrderStatus.FILLED,
        10,
        ["OrderFilled"],
    ),
    "accepted then canceled": (
        [("accepted",), ("canceled",)],
        OrderStatus.CANCELED,
        0,
        ["OrderAccepted", "OrderCanceled"],
    ),
    "accepted then expired": (
        [("accepted",), ("expired",)],
        OrderStatus.EXPIRED,
        0,
        ["OrderAccepted", "OrderExpired"],
    ),
    "partially filled then canceled": (
        [("accepted",), ("filled", "T1", 3), ("canceled",)],
        OrderStatus.CANCELED,
        3,
        ["OrderAccepted", "OrderFilled", "OrderCanceled"],
    ),
    "partially filled then expired": (
        [("accepted",), ("filled", "T1", 3), ("expired",)],
        OrderStatus.EXPIRED,
        3,
        ["OrderAccepted", "OrderFilled", "OrderExpired"],
    ),
    "cancel requested": (
        [("accepted",), ("cancel",)],
        OrderStatus.PENDING_CANCEL,
        0,
        ["OrderAccepted"],
    ),
    "cancel confirmed": (
        [("accepted",), ("cancel",), ("canceled",)],
        OrderStatus.CANCELED,
        0,
        ["OrderAccepted", "OrderCanceled"],
    ),
    "fill races the cancel": (
        [("accepted",), ("cancel",), ("filled", "T1", 10)],
        OrderStatus.FILLED,
        10,
        ["OrderAccepted", "OrderFilled"],
    ),
    "cancel rejected (venue still has it)": (
        [("accepted",), ("cancel",), ("updated", 100, 10)],
        OrderStatus.ACCEPTED,
        0,
        ["OrderAccepted", "OrderUpdated"],
    ),
    "cancel rejected after a partial fill": (
        [("accepted",), ("filled", "T1", 2), ("cancel",), ("updated", 100, 10)],
        OrderStatus.PARTIALLY_FILLED,
        2,
        ["OrderAccepted", "OrderFilled", "OrderUpdated"],
    ),
    "cancel before the accept, then accept": (
        [("cancel",), ("accepted",)],
        OrderStatus.PENDING_CANCEL,
        0,
        ["OrderAccepted"],
    ),
    "modify requested": (
        [("accepted",), ("modify", 101, 12)],
        OrderStatus.PENDING_UPDATE,
        0,
        ["OrderAccepted"],
    ),
    "modify confirmed": (
        [("accepted",), ("modify", 101, 12), ("updated", 101, 12)],
        OrderStatus.ACCEPTED,
        0,
        ["OrderAccepted", "OrderUpdated"],
    ),
    "fill races the modify": (
        [("accepted",), ("modify", 101, 12), ("filled", "T1", 10)],
        OrderStatus.FILLED,
        10,
        ["OrderAccepted", "OrderFilled"],
    ),
    "partial fill during modify, then confirmed": (
        [("accepted",), ("modify", 101, 12), ("filled", "T1", 4), ("updated", 101, 12)],
        OrderStatus.PARTIALLY_FILLED,
        4,
        ["OrderAccepted", "OrderFilled", "OrderUpdated"],
    ),
    "cancel while modify pending": (
        [("accepted",), ("modify", 101, 12), ("cancel",), ("canceled",)],
        OrderStatus.CANCELED,
        0,
        ["OrderAccepted", "OrderCanceled"],
    ),
    "modify pending, venue expires it": (
        [("accepted",), ("modify", 101, 12), ("expired",)],
        OrderStatus.EXPIRED,
        0,
        ["OrderAccepted", "OrderExpired"],
    ),
    "unsolicited venue amend": (
        [("accepted",), ("updated", 100, 7)],
        OrderStatus.ACCEPTED,
        0,
        ["OrderAccepted", "OrderUpdated"],
    ),
    "update without accept": ([("updated", 100, 10)], OrderStatus.ACCEPTED, 0, ["OrderUpdated"]),
    "venue cuts the quantity to the filled": (
        [("accepted",), ("filled", "T1", 4), ("updated", 100, 4)],
        OrderStatus.FILLED,
        4,
        ["OrderAccepted", "OrderFilled", "OrderUpdated"],
    ),
}


@pytest.mark.parametrize(
    ("actions", "status", "filled_lots", "events"),
    list(TRANSITION_CASES.values()),
    ids=list(TRANSITION_CASES),
)
def test_report_sequence_reaches_the_hand_computed_state(
    engine, submit, published, actions, status, filled_lots, events
):
    order = submit()

    for action in actions:
        step(engine, order, action)

    assert order.status == status
    assert order.filled_lots == filled_lots
    assert kinds(published[1:]) == events


def test_accept_records_the_venue_order_id_in_the_cache(engine, cache, submit):
    order = submit()

    engine.process(accepted_report(order, VenueOrderId("987")))

    assert order.venue_order_id == VenueOrderId("987")
    assert cache.order_by_venue_id(VenueOrderId("987")) is order


def test_fill_before_accept_records_the_venue_order_id(engine, cache, submit):
    order = submit()

    engine.process(filled_report(order, "T1", 4, venue_order_id=VenueOrderId("55")))

    assert cache.order_by_venue_id(VenueOrderId("55")) is order


def test_accept_after_the_fill_is_counted_out_of_order(engine, submit):
    order = submit()
    engine.process(filled_report(order, "T1", 4))

    assert engine.process(accepted_report(order)) is False
    assert engine.out_of_order_report_count == 1


def test_fills_update_the_average_price(engine, submit):
    order = submit()

    engine.process(filled_report(order, "T1", 4, price_ticks=100))
    engine.process(filled_report(order, "T2", 6, price_ticks=110))

    assert order.avg_fill_price_ticks == pytest.approx(106.0)


def test_filled_order_leaves_the_open_orders(engine, cache, submit):
    order = submit()

    engine.process(filled_report(order, "T1", 10))

    assert cache.open_orders() == []


# -- DUPLICATES, LATE AND IMPOSSIBLE REPORTS -----------------------------------------------------


def test_duplicate_fill_is_ignored(engine, submit, published):
    order = submit()
    engine.process(filled_report(order, "T1", 4))

    assert engine.process(filled_report(order, "T1", 4)) is False
    assert order.filled_lots == 4
    assert kinds(published) == ["OrderSubmitted", "OrderFilled"]
    assert engine.duplicate_report_count == 1


def test_duplicate_fill_after_the_order_filled_is_ignored(engine, submit):
    order = submit()
    engine.process(filled_report(order, "T1", 10))

    assert engine.process(filled_report(order, "T1", 10)) is False
    assert engine.duplicate_report_count == 1
    assert engine.overfill_report_count == 0


def test_duplicate_accept_is_ignored(engine, submit, published):
    order = submit()
    engine.process(accepted_report(order))

    assert engine.process(accepted_report(order)) is False
    assert kinds(published) == ["OrderSubmitted", "OrderAccepted"]


def test_duplicate_cancel_is_ignored(engine, submit):
    order = submit()
    engine.process(canceled_report(order))

    assert engine.process(canceled_report(order)) is False
    assert engine.duplicate_report_count == 1


def test_late_cancel_after_the_fill_keeps_the_order_filled(engine, submit, published):
    order = submit()
    engine.process(filled_report(order, "T1", 10))

    assert engine.process(canceled_report(order)) is False
    assert order.status == OrderStatus.FILLED
    assert kinds(published) == ["OrderSubmitted", "OrderFilled"]
    assert engine.late_report_count == 1


def test_fill_after_cancel_is_applied_once_and_flagged(engine, submit, published, caplog):
    order = submit()
    engine.process(canceled_report(order))

    with caplog.at_level(logging.WARNING):
        assert engine.process(filled_report(order, "T9", 3)) is True
        assert engine.process(filled_report(order, "T9", 3)) is False

    assert order.status == OrderStatus.CANCELED
    assert order.filled_lots == 3
    assert kinds(published) == ["OrderSubmitted", "OrderCanceled", "OrderFilled"]
    assert engine.needs_reconciliation() == [order.client_order_id]
    assert "fill after a final status" in caplog.text


def test_fill_past_the_quantity_is_not_applied(engine, submit):
    order = submit(quantity_lots=10)
    engine.process(filled_report(order, "T1", 8))

    assert engine.process(filled_report(order, "T2", 3)) is False
    assert order.filled_lots == 8
    assert engine.overfill_report_count == 1
    assert engine.needs_reconciliation() == [order.client_order_id]


def test_accept_after_a_local_send_failure_is_flagged(instrument):
    engine = make_engine(instrument, client=FakeExecutionClient(fail={"submit"}))
    order = submit_one(engine, instrument)

    assert engine.process(accepted_report(order)) is False
    assert order.status == OrderStatus.REJECTED
    assert order.venue_order_id is not None
    assert engine.late_report_count == 1


def test_reject_after_accept_is_counted_as_invalid(engine, submit):
    order = submit()
    engine.process(accepted_report(order))

    assert engine.process(rejected_report(order)) is False
    assert order.status == OrderStatus.ACCEPTED
    assert engine.invalid_report_count == 1


def test_update_with_quantity_below_the_filled_is_invalid(engine, submit):
    order = submit()
    engine.process(filled_report(order, "T1", 6))

    assert engine.process(updated_report(order, 100, 5)) is False
    assert order.quantity_lots == 10
    assert engine.invalid_report_count == 1


def test_report_for_an_unknown_order_is_counted(engine, submit):
    order = submit()
    stranger = OrderCanceled(order.strategy_id, order.instrument_id, ClientOrderId("nobody1"), 1, 1)

    assert engine.process(stranger) is False
    assert engine.unknown_report_count == 1


def test_engine_made_events_cannot_be_processed(engine, submit):
    order = submit()
    submitted = OrderSubmitted(order.strategy_id, order.instrument_id, order.client_order_id, 1, 1)

    with pytest.raises(TypeError, match="made by the execution engine"):
        engine.process(submitted)


def test_processing_none_is_a_type_error(engine):
    with pytest.raises(TypeError, match="event"):
        engine.process(None)


def test_has_fill_tells_whether_a_trade_was_applied(engine, submit):
    order = submit()
    engine.process(filled_report(order, "T1", 1))

    assert engine.has_fill(order.client_order_id, filled_report(order, "T1", 1).trade_id)
    assert not engine.has_fill(order.client_order_id, filled_report(order, "T2", 1).trade_id)


# -- CANCEL AND MODIFY ---------------------------------------------------------------------------


def test_cancel_order_sends_the_cancel_to_the_client(engine, client, submit):
    order = submit()

    assert engine.cancel_order(order) is True
    assert client.calls[-1] == ("cancel", order.client_order_id)


def test_cancel_of_a_closed_order_does_nothing(engine, client, submit):
    order = submit()
    engine.process(canceled_report(order))

    assert engine.cancel_order(order) is False
    assert client.calls == [("submit", order.client_order_id)]


def test_cancel_of_a_pending_cancel_sends_it_again(engine, client, submit):
    order = submit()
    engine.cancel_order(order)

    engine.cancel_order(order)

    assert client.calls[1:] == [("cancel", order.client_order_id)] * 2


def test_cancel_of_an_order_from_another_cache_is_an_error(submit, instrument):
    other = make_engine(instrument)
    order = submit()

    with pytest.raises(InvalidOrderError, match="not in this engine's cache"):
        other.cancel_order(order)


def test_failed_cancel_keeps_the_order_pending_and_flags_it(instrument):
    engine = make_engine(instrument, client=FakeExecutionClient(fail={"cancel"}))
    order = submit_one(engine, instrument)

    engine.cancel_order(order)

    assert order.status == OrderStatus.PENDING_CANCEL
    assert engine.send_error_count == 1
    assert engine.needs_reconciliation() == [order.client_order_id]


def test_modify_order_sends_the_new_values_and_keeps_the_old_until_confirmed(
    engine, client, submit
):
    order = submit()
    engine.process(accepted_report(order))

    assert engine.modify_order(order, 105, 20) is True
    assert client.calls[-1] == ("modify", order.client_order_id, 105, 20)
    assert (order.price_ticks, order.quantity_lots) == (100, 10)


def test_modify_with_the_same_values_sends_nothing(engine, client, submit):
    order = submit()

    assert engine.modify_order(order, 100, 10) is False
    assert order.status == OrderStatus.SUBMITTED


def test_modify_of_a_market_order_is_an_error(submit, engine):
    order = submit(order_type=OrderType.MARKET, price_ticks=0, time_in_force=TimeInForce.IOC)

    with pytest.raises(InvalidOrderError, match="MARKET order cannot be modified"):
        engine.modify_order(order, 1, 1)


def test_modify_below_the_filled_quantity_is_an_error(engine, submit):
    order = submit()
    engine.process(filled_report(order, "T1", 5))

    with pytest.raises(InvalidOrderError, match="expected > filled_lots 5, got 5"):
        engine.modify_order(order, 100, 5)


def test_modify_while_a_cancel_is_pending_is_an_error(engine, submit):
    order = submit()
    engine.cancel_order(order)

    with pytest.raises(InvalidOrderError, match="PENDING_CANCEL"):
        engine.modify_order(order, 101, 10)


# -- CANCEL ALL ----------------------------------------------------------------------------------


def test_cancel_all_orders_cancels_each_instrument_in_one_call(engine, client, cache, submit):
    eth = make_instrument("ETHUSDT")
    cache.add_instrument(eth)
    first, second = submit(), submit()
    third = submit(instrument_id=eth.id)

    assert engine.cancel_all_orders() == 3
    assert client.calls[3:] == [
        ("cancel_all", (first.client_order_id, second.client_order_id)),
        ("cancel_all", (third.client_order_id,)),
    ]
    assert {o.status for o in (first, second, third)} == {OrderStatus.PENDING_CANCEL}


def test_cancel_all_orders_of_one_strategy_leaves_the_others(engine, client, submit):
    mine = submit()
    theirs = submit(strategy_id=StrategyId("other"))

    assert engine.cancel_all_orders(STRATEGY_ID) == 1
    assert mine.status == OrderStatus.PENDING_CANCEL
    assert theirs.status == OrderStatus.SUBMITTED


def test_cancel_all_orders_of_one_instrument_leaves_the_others(engine, cache, submit):
    eth = make_instrument("ETHUSDT")
    cache.add_instrument(eth)
    btc_order = submit()
    eth_order = submit(instrument_id=eth.id)

    assert engine.cancel_all_orders(None, eth.id) == 1
    assert eth_order.status == OrderStatus.PENDING_CANCEL
    assert btc_order.status == OrderStatus.SUBMITTED


def test_counters_name_every_count(engine, submit):
    order = submit()
    engine.process(filled_report(order, "T1", 10))

    counters = engine.counters()

    assert counters["submitted_count"] == 1
    assert counters["fill_count"] == 1


def test_every_published_event_type_is_an_order_event(engine, submit, published):
    order = submit()
    engine.process(accepted_report(order))
    engine.process(filled_report(order, "T1", 1))
    engine.process(updated_report(order, 99, 10))
    engine.process(expired_report(order))

    assert [type(e) for e in published] == [
        OrderSubmitted,
        OrderAccepted,
        OrderFilled,
        OrderUpdated,
        OrderExpired,
    ]


def test_rejected_event_is_published_with_the_venue_reason(engine, submit, published):
    order = submit()

    engine.process(rejected_report(order, "-2010 insufficient balance"))

    assert isinstance(published[-1], OrderRejected)
    assert published[-1].reason == "-2010 insufficient balance"
