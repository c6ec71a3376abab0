"""Property test: random report and command sequences never break the order state machine.

A hypothesis ``RuleBasedStateMachine`` submits orders and throws every kind of execution report
at them in any order, repeated and late (accepts, fills with a small pool of trade ids and any
quantity, cancels, expiries, rejects, updates) mixed with cancel and modify commands. After
every step each order's status change must be a legal transition of ``order_fsm``, no order is
filled past its quantity, the filled quantity equals the sum of the fills published for it
(each trade id at most once), and the cache's open-order index agrees with the statuses.
"""

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from hftcore.bus import MessageBus
from hftcore.cache import Cache
from hftcore.clock import TestClock
from hftcore.errors import InvalidOrderError
from hftcore.execution.engine import ExecutionEngine
from hftcore.execution.order_fsm import is_legal_transition
from hftcore.model.enums import OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers import VenueOrderId
from hftcore.model.order_events import OrderFilled
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

FINAL = {
    OrderStatus.DENIED,
    OrderStatus.REJECTED,
    OrderStatus.FILLED,
    OrderStatus.CANCELED,
    OrderStatus.EXPIRED,
}


class OrderLifecycle(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self):
        super().__init__()
        self.instrument = make_instrument()
        clock = TestClock(T0_NS)
        self.cache = Cache()
        self.cache.add_instrument(self.instrument)
        bus = MessageBus(clock)
        self.engine = ExecutionEngine(clock, bus, self.cache)
        self.engine.register_client(FakeExecutionClient())
        self.published = []
        bus.subscribe(self.engine.order_topic(STRATEGY_ID), self.published.append)
        self.last_status = {}

    def venue_id(self, order):
        return VenueOrderId(f"V{order.client_order_id.value}")

    @rule(target=orders, quantity_lots=st.integers(1, 20))
    def submit(self, quantity_lots):
        order = self.engine.submit_order(
            STRATEGY_ID,
            self.instrument.id,
            Side.BUY,
            OrderType.LIMIT,
            quantity_lots,
            100,
            TimeInForce.GTC,
            False,
            False,
        )
        self.last_status[order.client_order_id] = order.status
        return order

    @rule(order=orders)
    def accept(self, order):
        self.engine.process(accepted_report(order, self.venue_id(order)))

    @rule(order=orders, trade=st.integers(0, 4), qty_lots=st.integers(1, 25))
    def fill(self, order, trade, qty_lots):
        self.engine.process(
            filled_report(order, f"T{trade}", qty_lots, venue_order_id=self.venue_id(order))
        )

    @rule(order=orders)
    def venue_cancels(self, order):
        self.engine.process(canceled_report(order))

    @rule(order=orders)
    def venue_expires(self, order):
        self.engine.process(expired_report(order))

    @rule(order=orders)
    def venue_rejects(self, order):
        self.engine.process(rejected_report(order))

    @rule(order=orders, price_ticks=st.integers(1, 200), quantity_lots=st.integers(1, 25))
    def venue_updates(self, order, price_ticks, quantity_lots):
        self.engine.process(
            updated_report(order, price_ticks, quantity_lots, venue_order_id=self.venue_id(order))
        )

    @rule(order=orders)
    def strategy_cancels(self, order):
        was_closed = order.is_closed
        assert self.engine.cancel_order(order) is not was_closed

    @rule(order=orders, price_ticks=st.integers(1, 200), quantity_lots=st.integers(1, 25))
    def strategy_modifies(self, order, price_ticks, quantity_lots):
        allowed = order.status in {
            OrderStatus.SUBMITTED,
            OrderStatus.ACCEPTED,
            OrderStatus.PARTIALLY_FILLED,
        }
        try:
            self.engine.modify_order(order, price_ticks, quantity_lots)
        except InvalidOrderError:
            assert not allowed or quantity_lots <= order.filled_lots
        else:
            assert allowed and quantity_lots > order.filled_lots

    @invariant()
    def every_status_change_is_legal(self):
        for order in self.cache.orders():
            before = self.last_status[order.client_order_id]
            assert before == order.status or is_legal_transition(before, order.status), (
                f"{OrderStatus(before).name} -> {OrderStatus(order.status).name}"
            )
            self.last_status[order.client_order_id] = order.status

    @invariant()
    def no_order_fills_past_its_quantity(self):
        for order in self.cache.orders():
            assert 0 <= order.filled_lots <= order.quantity_lots
            if order.status == OrderStatus.FILLED:
                assert order.filled_lots == order.quantity_lots
            elif order.status not in FINAL:
                assert order.filled_lots < order.quantity_lots

    @invariant()
    def filled_quantity_is_the_sum_of_distinct_published_fills(self):
        fills = [e for e in self.published if type(e) is OrderFilled]
        for order in self.cache.orders():
            mine = [f for f in fills if f.client_order_id == order.client_order_id]
            assert len({f.trade_id for f in mine}) == len(mine)
            assert sum(f.last_qty_lots for f in mine) == order.filled_lots

    @invariant()
    def open_order_index_matches_the_statuses(self):
        open_ids = {o.client_order_id for o in self.cache.open_orders()}
        for order in self.cache.orders():
            assert (order.client_order_id in open_ids) == (not order.is_closed)


TestOrderLifecycle = OrderLifecycle.TestCase
