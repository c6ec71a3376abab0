"""``SimExecutionClient``: each request reaches the simulated venue stamped with the clock time."""

import pytest

from adapters.sim import SimExecutionClient
from hftcore.clock import TestClock
from hftcore.model.enums import OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, InstrumentId, StrategyId, Venue
from hftcore.model.order import Order

T0_NS = 1_700_000_000_000_000_000


class FakeSimVenue:
    """Records the calls ``SimulatedVenue`` would get."""

    venue = Venue("SIM")

    def __init__(self):
        self.calls = []

    def submit(self, order, send_ns):
        self.calls.append(("submit", order, send_ns))

    def cancel(self, order, send_ns):
        self.calls.append(("cancel", order, send_ns))

    def modify(self, order, price_ticks, quantity_lots, send_ns):
        self.calls.append(("modify", order, price_ticks, quantity_lots, send_ns))


def make_order(number):
    return Order(
        ClientOrderId(f"C{number}"),
        StrategyId("S1"),
        InstrumentId.from_str("BTCUSDT.SIM"),
        Side.BUY,
        OrderType.LIMIT,
        1,
        100,
        TimeInForce.GTC,
    )


@pytest.fixture
def setup():
    clock = TestClock(T0_NS)
    venue = FakeSimVenue()
    return clock, venue, SimExecutionClient(venue, clock)


def test_requests_carry_the_clock_time_as_send_time(setup):
    clock, venue, client = setup
    first, second = make_order(1), make_order(2)

    client.submit_order(first)
    clock.set_time(T0_NS + 5)
    client.modify_order(first, 101, 2)
    clock.set_time(T0_NS + 9)
    client.cancel_order(second)

    assert venue.calls == [
        ("submit", first, T0_NS),
        ("modify", first, 101, 2, T0_NS + 5),
        ("cancel", second, T0_NS + 9),
    ]


def test_cancel_all_sends_one_cancel_per_order_in_order_at_one_time(setup):
    clock, venue, client = setup
    orders = [make_order(n) for n in range(3)]
    clock.set_time(T0_NS + 7)

    client.cancel_all_orders(orders)

    assert venue.calls == [("cancel", order, T0_NS + 7) for order in orders]


def test_client_keeps_its_venue_and_interface(setup):
    _, venue, client = setup
    assert client.venue == Venue("SIM")
    assert client.sim_venue is venue
    assert repr(client) == "SimExecutionClient(SIM)"


def test_a_request_without_an_order_is_refused(setup):
    _, venue, client = setup
    with pytest.raises(TypeError):
        client.submit_order(None)
    assert venue.calls == []
