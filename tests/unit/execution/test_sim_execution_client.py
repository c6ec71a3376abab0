"""``SimExecutionClient``: each request reaches the simulated venue stamped with the clock time."""

import pytest

from adapters.sim import SimExecutionClient
from backtest.account import SimAccount
from backtest.config import parse_latency, parse_queue_model
from backtest.matching.venue import SimulatedVenue
from backtest.models.fees import FeeSchedule
from hftcore.clock import TestClock
from hftcore.model.enums import OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, StrategyId, Venue
from hftcore.model.order import Order
from hftcore.model.order_events import OrderAccepted, OrderCanceled, OrderUpdated
from tests.builders.instruments import make_instrument

T0_NS = 1_700_000_000_000_000_000
ENTRY_NS = RESPONSE_NS = 1_000_000
PRICE_TICKS = 5_000_000  # 50,000.00 USDT: a resting bid on an empty book
INSTRUMENT = make_instrument("BTCUSDT", "SIM", tick_size="0.01", lot_size="0.001")


def make_order(number):
    return Order(
        ClientOrderId(f"C{number}"),
        StrategyId("S1"),
        INSTRUMENT.id,
        Side.BUY,
        OrderType.LIMIT,
        1,
        PRICE_TICKS,
        TimeInForce.GTC,
    )


@pytest.fixture
def setup():
    clock = TestClock(T0_NS)
    venue = SimulatedVenue(
        Venue("SIM"),
        parse_latency("constant:entry=1ms,response=1ms", 0),
        SimAccount("SIM", {"USDT": "1000000", "BTC": "1000"}),
    )
    venue.add_instrument(
        INSTRUMENT,
        FeeSchedule(INSTRUMENT.maker_fee, INSTRUMENT.taker_fee),
        parse_queue_model("risk_averse"),
    )
    return clock, venue, SimExecutionClient(venue, clock)


def venue_reports(venue, until_ns):
    venue.process_commands_until(until_ns)
    return venue.reports.pop_until(until_ns + RESPONSE_NS)


def test_requests_reach_the_venue_at_send_time_plus_entry_latency(setup):
    clock, venue, client = setup
    first, second = make_order(1), make_order(2)

    client.submit_order(first)
    clock.set_time(T0_NS + 5)
    client.submit_order(second)
    clock.set_time(T0_NS + 9)
    client.modify_order(first, PRICE_TICKS + 1, 2)
    clock.set_time(T0_NS + 12)
    client.cancel_order(second)
    reports = venue_reports(venue, T0_NS + 12 + ENTRY_NS)

    assert [(type(r), r.client_order_id.value, r.ts_event) for r in reports] == [
        (OrderAccepted, "C1", T0_NS + ENTRY_NS),
        (OrderAccepted, "C2", T0_NS + 5 + ENTRY_NS),
        (OrderUpdated, "C1", T0_NS + 9 + ENTRY_NS),
        (OrderCanceled, "C2", T0_NS + 12 + ENTRY_NS),
    ]


def test_cancel_all_sends_one_cancel_per_order_in_order_at_one_time(setup):
    clock, venue, client = setup
    orders = [make_order(n) for n in range(3)]
    for order in orders:
        client.submit_order(order)
    clock.set_time(T0_NS + 7)

    client.cancel_all_orders(orders)
    reports = venue_reports(venue, T0_NS + 7 + ENTRY_NS)

    canceled = [(r.client_order_id.value, r.ts_event) for r in reports if type(r) is OrderCanceled]
    assert canceled == [(f"C{n}", T0_NS + 7 + ENTRY_NS) for n in range(3)]
    assert venue.command_count == 6


def test_client_keeps_its_venue_and_interface(setup):
    _, venue, client = setup
    assert client.venue == Venue("SIM")
    assert client.sim_venue is venue
    assert repr(client) == "SimExecutionClient(SIM)"


def test_a_request_without_an_order_is_refused(setup):
    _, venue, client = setup
    with pytest.raises(TypeError):
        client.submit_order(None)
    with pytest.raises(TypeError):
        client.cancel_all_orders([make_order(1), None])
    assert venue.command_count == 0


def test_a_client_needs_a_simulated_venue():
    with pytest.raises(TypeError):
        SimExecutionClient(object(), TestClock(T0_NS))
