"""What the execution engine keeps: its components, counters, ids, and how it records a change.

``OmsState`` is the base of :class:`~hftcore.execution.engine.ExecutionEngine` (the engine is
split by job: this state and bookkeeping, :mod:`~hftcore.execution.report_processor` for venue
reports, :mod:`~hftcore.execution.request_sender` for rate limiting and sending, and
:mod:`~hftcore.execution.engine` for the commands). Every status change goes through
``_apply`` (order state machine, timestamp, open-order index) and every event through
``_publish`` (the owning strategy's order topic).
"""

import logging

from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus, TopicHandle
from hftcore.bus.topics cimport topic_for
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.execution.client_order_id cimport MAX_TAG_LENGTH, ClientOrderIdGenerator
from hftcore.execution.order_fsm cimport transition
from hftcore.execution.pre_trade cimport PreTradeRisk
from hftcore.execution.venue_channel cimport VenueChannel
from hftcore.model.enums cimport OrderStatus
from hftcore.model.identifiers cimport StrategyId, Venue
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderCanceled, OrderDenied

from hftcore.errors import ConfigError, InvalidOrderError
from hftcore.model.enums import OrderStatus as PyOrderStatus

log = logging.getLogger(__name__)

ORDER_TOPIC_KIND = "order"
"""First part of every order topic: ``order.strategy.<strategy id>``."""
DEFAULT_MAX_RATE_LIMIT_WAIT_NS = 100_000_000
"""New orders that would wait longer than 100 ms for the rate limiter are denied."""
DEFAULT_MAX_QUEUED_ORDERS = 100
"""New orders that may wait for the rate limiter per venue by default."""


# -- STATE -------------------------------------------------------------------------------------

cdef class OmsState:
    """The state of an execution engine and its bookkeeping; the base of ``ExecutionEngine``.

    Not used alone: :class:`~hftcore.execution.engine.ExecutionEngine` documents the
    parameters.
    """

    def __init__(
        self,
        Clock clock not None,
        MessageBus bus not None,
        Cache cache not None,
        risk_engine=None,
        int64_t max_rate_limit_wait_ns=DEFAULT_MAX_RATE_LIMIT_WAIT_NS,
        int64_t max_queued_orders=DEFAULT_MAX_QUEUED_ORDERS,
    ):
        if max_rate_limit_wait_ns < 0:
            raise ConfigError(
                f"ExecutionEngine.max_rate_limit_wait_ns: expected >= 0, "
                f"got {max_rate_limit_wait_ns}"
            )
        if max_queued_orders < 0:
            raise ConfigError(
                f"ExecutionEngine.max_queued_orders: expected >= 0, got {max_queued_orders}"
            )
        self.clock = clock
        self.bus = bus
        self.cache = cache
        self.boot_time_ns = clock.timestamp_ns()
        self.max_rate_limit_wait_ns = max_rate_limit_wait_ns
        self.max_queued_orders = max_queued_orders
        self._channels = {}
        self._id_generators = {}
        self._topic_handles = {}
        self._trade_ids = {}
        self._needs_reconciliation = set()
        self.set_risk_engine(risk_engine)

    # -- CONFIGURATION -------------------------------------------------------------------------

    def set_risk_engine(self, risk_engine):
        """Ask ``risk_engine`` before every order and every modify from now on (None: none).

        ``check_order(order)`` is asked before an order is sent and
        ``check_modify(order, price_ticks, quantity_lots)`` before a change of price or quantity
        is. An engine without ``check_modify`` is still asked about every modify: its
        ``check_order`` gets a temporary copy of the order with the new values (same ids and
        flags, INITIALIZED, no fills, not in the cache). The original is still open in the
        cache, so that engine counts its open quantity and reservation next to the copy's: the
        rule errs towards denying, never towards sending unchecked. Side effects of its
        ``check_order`` (reservations, rate tokens) apply to the copy's client order id, which
        is the order's.

        Parameters
        ----------
        risk_engine : RiskEngine or None

        Raises
        ------
        TypeError
            If ``risk_engine`` has no callable ``check_order``.
        """
        if risk_engine is not None and not callable(getattr(risk_engine, "check_order", None)):
            raise TypeError(
                f"set_risk_engine: {type(risk_engine).__name__} has no check_order(order) method"
            )
        self.risk_engine = risk_engine
        # A PreTradeRisk (the node's RiskEngine) is called as C; others through Python.
        self._risk = risk_engine if isinstance(risk_engine, PreTradeRisk) else None

    def channel(self, Venue venue not None):
        """Return the venue's channel (client, rate limiter, waiting requests).

        Raises
        ------
        ConfigError
            If no client is registered for ``venue``.
        """
        return self._channel(venue)

    cdef VenueChannel _channel(self, Venue venue):
        cdef VenueChannel channel = self._channels.get(venue)
        if channel is None:
            raise ConfigError(
                f"venue {venue}: no execution client registered; "
                f"registered: {sorted(v.value for v in self._channels)}"
            )
        return channel

    cpdef str order_topic(self, StrategyId strategy_id):
        """Return the bus topic the events of ``strategy_id``'s orders are published on.

        Parameters
        ----------
        strategy_id : StrategyId

        Returns
        -------
        str
            ``order.strategy.<strategy id in lowercase>``.

        Raises
        ------
        BusError
            If the strategy id contains a dot or a wildcard character.
        """
        if strategy_id is None:
            raise TypeError("order_topic: strategy_id: expected a StrategyId, got None")
        return topic_for(ORDER_TOPIC_KIND, "strategy", strategy_id.value)

    cdef TopicHandle _handle(self, StrategyId strategy_id):
        if strategy_id is self._last_topic_strategy_id:
            return self._last_topic_handle
        cdef TopicHandle handle = self._topic_handles.get(strategy_id)
        if handle is None:
            handle = self.bus.topic_handle(self.order_topic(strategy_id))
            self._topic_handles[strategy_id] = handle
        self._last_topic_strategy_id = strategy_id
        self._last_topic_handle = handle
        return handle

    cdef ClientOrderIdGenerator _id_generator(self, StrategyId strategy_id):
        cdef ClientOrderIdGenerator generator = self._last_id_generator
        if generator is not None and self._last_strategy_id is strategy_id:
            return generator
        generator = self._id_generators.get(strategy_id)
        if generator is None:
            try:
                generator = ClientOrderIdGenerator(strategy_id.value, self.boot_time_ns)
            except ConfigError:
                raise InvalidOrderError(
                    f"submit_order: strategy_id {strategy_id.value!r}: client order ids need "
                    f"1..{MAX_TAG_LENGTH} ASCII letters and digits"
                ) from None
            self._id_generators[strategy_id] = generator
        self._last_strategy_id = strategy_id
        self._last_id_generator = generator
        return generator

    def is_own_client_order_id(self, str value not None):
        """Return whether ``value`` looks like a client order id of one of our strategies.

        Ids of earlier runs match too (the boot part is not compared): reconciliation uses it
        to tell our orphaned orders from orders placed by hand or by other software.

        Parameters
        ----------
        value : str
            A client order id as a venue reports it.

        Returns
        -------
        bool
        """
        cdef ClientOrderIdGenerator generator
        for generator in self._id_generators.values():
            if generator.is_own(value):
                return True
        return False

    # -- BOOKKEEPING ---------------------------------------------------------------------------

    cdef int _deny(self, Order order, str reason_code, str message, int64_t now_ns) except -1:
        self._apply(order, OrderStatus.DENIED, now_ns)
        self.denied_count += 1
        self._publish(
            order,
            OrderDenied.create(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                reason_code,
                message,
                now_ns,
                now_ns,
            ),
        )
        return 0

    cdef int _cancel_locally(self, Order order, int64_t now_ns) except -1:
        self._apply(order, OrderStatus.CANCELED, now_ns)
        self.canceled_count += 1
        self._publish(
            order,
            OrderCanceled.create(
                order.strategy_id, order.instrument_id, order.client_order_id, now_ns, now_ns
            ),
        )
        return 0

    cdef int _apply(self, Order order, OrderStatus target, int64_t ts_ns) except -1:
        cdef bint was_closed = order.is_closed_c()
        transition(order, target)
        order.set_ts_last(ts_ns)
        if was_closed or order.is_closed_c():
            # The open-order index changes only when the order closes (or, never, reopens).
            self.cache.update_order_state(order)
        return 0

    cdef int _publish(self, Order order, object event) except -1:
        return self.bus.publish_c(self._handle(order.strategy_id), event)

    cdef int _flag(self, Order order, str problem, object event) except -1:
        self._needs_reconciliation.add(order.client_order_id)
        log.warning(
            "order report needs reconciliation client_order_id=%s status=%s problem=%s event=%r",
            order.client_order_id.value,
            PyOrderStatus(order.status).name,
            problem,
            event,
        )
        return 0

    cpdef bint has_fill(self, object client_order_id, object trade_id):
        """Return whether the fill ``trade_id`` of ``client_order_id`` was applied.

        Parameters
        ----------
        client_order_id : ClientOrderId
        trade_id : TradeId

        Returns
        -------
        bool
        """
        return self._has_trade(client_order_id, trade_id)

    cdef bint _has_trade(self, object client_order_id, object trade_id) except -1:
        # ``_trade_ids`` holds an order's one trade id, or a set once it has two or more: the
        # common single fill costs no set.
        cdef object seen = self._trade_ids.get(client_order_id)
        if seen is None:
            return False
        if type(seen) is set:
            return trade_id in <set>seen
        return seen is trade_id or seen == trade_id

    cdef int _add_trade(self, object client_order_id, object trade_id) except -1:
        cdef object seen = self._trade_ids.get(client_order_id)
        if seen is None:
            self._trade_ids[client_order_id] = trade_id
        elif type(seen) is set:
            (<set>seen).add(trade_id)
        else:
            self._trade_ids[client_order_id] = {seen, trade_id}
        return 0

    # -- RECONCILIATION ------------------------------------------------------------------------

    def needs_reconciliation(self):
        """Return the ids of orders whose reports did not fit their state, oldest flag first.

        Returns
        -------
        list[ClientOrderId]
        """
        return sorted(self._needs_reconciliation, key=lambda cid: cid.value)

    # -- COUNTERS ------------------------------------------------------------------------------

    def counters(self):
        """Return every counter by name (for metrics).

        Returns
        -------
        dict[str, int]
        """
        return {
            "submitted_count": self.submitted_count,
            "denied_count": self.denied_count,
            "rate_limited_count": self.rate_limited_count,
            "accepted_count": self.accepted_count,
            "rejected_count": self.rejected_count,
            "fill_count": self.fill_count,
            "canceled_count": self.canceled_count,
            "expired_count": self.expired_count,
            "updated_count": self.updated_count,
            "duplicate_report_count": self.duplicate_report_count,
            "out_of_order_report_count": self.out_of_order_report_count,
            "late_report_count": self.late_report_count,
            "invalid_report_count": self.invalid_report_count,
            "overfill_report_count": self.overfill_report_count,
            "unknown_report_count": self.unknown_report_count,
            "send_error_count": self.send_error_count,
        }
