"""The execution engine (OMS): orders from strategies to venues, reports from venues back."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus, TopicHandle
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.execution.client_order_id cimport ClientOrderIdGenerator
from hftcore.execution.rate_limiter cimport RateEndpoint, RateLimiter
from hftcore.execution.venue_channel cimport CommandKind, VenueChannel, _Command
from hftcore.model.enums cimport OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers cimport InstrumentId, StrategyId, Venue
from hftcore.model.order cimport Order
from hftcore.execution.pre_trade cimport PreTradeRisk
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)


# -- ENGINE ------------------------------------------------------------------------------------

@cython.final
cdef class ExecutionEngine:
    cdef readonly Clock clock
    """The node clock; every timestamp and rate-limit decision reads it."""
    cdef readonly MessageBus bus
    """The bus order events are published on."""
    cdef readonly Cache cache
    """The cache holding every order."""
    cdef readonly object risk_engine
    """The pre-trade check of every order and modify (``check_order``, ``check_modify``)."""
    cdef readonly int64_t boot_time_ns
    """Clock time the engine was created, UNIX ns: the boot part of every client order id."""
    cdef readonly int64_t max_rate_limit_wait_ns
    """An order that would wait longer for the rate limiter is denied (``RATE_LIMITED``), ns."""
    cdef readonly int64_t max_queued_orders
    """New orders that may wait for the rate limiter per venue; more are denied."""

    # -- COUNTERS ------------------------------------------------------------------------------
    cdef readonly int64_t submitted_count
    """Orders sent to an execution client."""
    cdef readonly int64_t denied_count
    """Orders denied (risk engine or rate limit) and modifies the risk engine denied."""
    cdef readonly int64_t rate_limited_count
    """Orders denied because the rate limiter could not admit them in time."""
    cdef readonly int64_t accepted_count
    """OrderAccepted reports applied."""
    cdef readonly int64_t rejected_count
    """Orders rejected (by the venue, or because the client failed to send them)."""
    cdef readonly int64_t fill_count
    """OrderFilled reports applied (each distinct trade once)."""
    cdef readonly int64_t canceled_count
    """Orders canceled (by the venue, or locally before they were sent)."""
    cdef readonly int64_t expired_count
    """OrderExpired reports applied."""
    cdef readonly int64_t updated_count
    """OrderUpdated reports applied."""
    cdef readonly int64_t duplicate_report_count
    """Reports ignored because they repeated one already applied (same trade id, same state)."""
    cdef readonly int64_t out_of_order_report_count
    """Reports older than the order's state (an accept after the fill); their ids are kept."""
    cdef readonly int64_t late_report_count
    """Reports for an order already final (a cancel after the fill); fills are still applied."""
    cdef readonly int64_t invalid_report_count
    """Reports that are impossible for the order's state; logged and flagged for reconciliation."""
    cdef readonly int64_t overfill_report_count
    """Fills that would take the order past its quantity; not applied, flagged."""
    cdef readonly int64_t unknown_report_count
    """Reports for client order ids the cache does not know."""
    cdef readonly int64_t send_error_count
    """Calls to an execution client that raised."""

    cdef dict _channels
    cdef dict _id_generators
    cdef dict _topic_handles
    cdef dict _trade_ids
    cdef set _needs_reconciliation
    cdef PreTradeRisk _risk
    cdef StrategyId _last_strategy_id
    cdef ClientOrderIdGenerator _last_id_generator
    cdef StrategyId _last_topic_strategy_id
    cdef TopicHandle _last_topic_handle

    # -- CONFIGURATION -------------------------------------------------------------------------
    cpdef str order_topic(self, StrategyId strategy_id)
    cdef TopicHandle _handle(self, StrategyId strategy_id)
    cdef ClientOrderIdGenerator _id_generator(self, StrategyId strategy_id)
    cdef VenueChannel _channel(self, Venue venue)

    # -- COMMANDS ------------------------------------------------------------------------------
    cpdef Order submit_order(
        self,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        Side side,
        OrderType order_type,
        int64_t quantity_lots,
        int64_t price_ticks,
        TimeInForce time_in_force,
        bint post_only,
        bint reduce_only,
    )
    cpdef bint cancel_order(self, Order order) except -1
    cpdef bint modify_order(self, Order order, int64_t price_ticks, int64_t quantity_lots) except -1
    cpdef int cancel_all_orders(
        self, StrategyId strategy_id=*, InstrumentId instrument_id=*
    ) except -1
    cdef int _check_own(self, Order order, str field) except -1
    cdef int _deny(self, Order order, str reason_code, str message, int64_t now_ns) except -1
    cdef int _cancel_locally(self, Order order, int64_t now_ns) except -1
    cdef int _dispatch(self, VenueChannel channel, _Command command, int64_t now_ns) except -1
    cdef int _execute(self, VenueChannel channel, _Command command, int64_t now_ns) except -1
    cdef int _send_submit(self, VenueChannel channel, Order order, int64_t now_ns) except -1
    cdef int _send_cancel(self, VenueChannel channel, Order order) except -1
    cdef int _send_modify(
        self, VenueChannel channel, Order order, int64_t price_ticks, int64_t quantity_lots
    ) except -1
    cdef int _send_cancel_all(self, VenueChannel channel, list orders) except -1
    cdef int _send_failed(
        self, VenueChannel channel, str request, list orders, object exc
    ) except -1
    cdef int _drain(self, VenueChannel channel) except -1
    cdef int _arm_timer(self, VenueChannel channel, int64_t at_ns) except -1

    # -- REPORTS -------------------------------------------------------------------------------
    cpdef bint process(self, OrderEvent event) except -1
    cdef bint _on_accepted(self, Order order, OrderAccepted event) except -1
    cdef bint _on_rejected(self, Order order, OrderRejected event) except -1
    cdef bint _on_filled(self, Order order, OrderFilled event) except -1
    cdef bint _on_updated(self, Order order, OrderUpdated event) except -1
    cdef bint _on_closed(self, Order order, OrderEvent event, OrderStatus target) except -1
    cdef int _set_venue_order_id(self, Order order, object venue_order_id) except -1
    cdef int _apply(self, Order order, OrderStatus target, int64_t ts_ns) except -1
    cdef int _publish(self, Order order, object event) except -1
    cdef int _flag(self, Order order, str problem, object event) except -1
    cpdef bint has_fill(self, object client_order_id, object trade_id)

    # -- RISK OF A MODIFY (last: appending keeps the vtable of modules built on the old layout) --
    cdef bint _modify_approved(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, int64_t now_ns
    ) except -1
    cdef OrderDenied _modify_denial(self, Order order, str problem, int64_t now_ns)
