"""What the execution engine keeps: its components, counters, ids, and how it records a change."""

from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus, TopicHandle
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.execution.client_order_id cimport ClientOrderIdGenerator
from hftcore.execution.pre_trade cimport PreTradeRisk
from hftcore.execution.venue_channel cimport VenueChannel
from hftcore.model.enums cimport OrderStatus
from hftcore.model.identifiers cimport StrategyId, Venue
from hftcore.model.order cimport Order


# -- STATE -------------------------------------------------------------------------------------

cdef class OmsState:
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
    cdef VenueChannel _channel(self, Venue venue)
    cpdef str order_topic(self, StrategyId strategy_id)
    cdef TopicHandle _handle(self, StrategyId strategy_id)
    cdef ClientOrderIdGenerator _id_generator(self, StrategyId strategy_id)

    # -- BOOKKEEPING ---------------------------------------------------------------------------
    cdef int _deny(self, Order order, str reason_code, str message, int64_t now_ns) except -1
    cdef int _cancel_locally(self, Order order, int64_t now_ns) except -1
    cdef int _apply(self, Order order, OrderStatus target, int64_t ts_ns) except -1
    cdef int _publish(self, Order order, object event) except -1
    cdef int _flag(self, Order order, str problem, object event) except -1
    cpdef bint has_fill(self, object client_order_id, object trade_id)
    cdef bint _has_trade(self, object client_order_id, object trade_id) except -1
    cdef int _add_trade(self, object client_order_id, object trade_id) except -1
