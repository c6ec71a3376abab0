"""The risk engine: synchronous pre-trade checks, trading state and the kill switch."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.model.enums cimport TradingState
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied
from hftcore.portfolio.ledger cimport Portfolio
from hftcore.risk.checks cimport DENY_REASON_COUNT, DenyReason, OrderContext
from hftcore.execution.pre_trade cimport PreTradeRisk


@cython.final
cdef class RiskEngine(PreTradeRisk):
    cdef readonly object config
    """The ``RiskConfig``."""
    cdef readonly TradingState trading_state
    """ACTIVE, REDUCING (only orders that reduce positions) or HALTED (no orders)."""
    cdef readonly str state_reason
    """Why the engine is in its state (empty at start)."""
    cdef readonly Clock clock
    """The node clock: check times, rate buckets, triggers."""
    cdef readonly Cache cache
    """The node cache: instruments, books, last trades, open orders, positions."""
    cdef readonly MessageBus bus
    """The bus: order events in, ``TradingStateChanged`` out; None when not registered."""
    cdef readonly object exec_engine
    """The ``ExecutionEngine`` a halt cancels every open order through; None when absent."""
    cdef readonly Portfolio portfolio
    """The shadow ledger (positions, balances); None without one."""
    cdef readonly bint is_running
    """True between ``start`` and ``stop``: the kill-switch sources are polled."""

    # -- COUNTERS ------------------------------------------------------------------------------
    cdef readonly int64_t checked_count
    """Orders and modifies checked."""
    cdef readonly int64_t approved_count
    """Orders and modifies approved."""
    cdef readonly int64_t denied_count
    """Orders and modifies denied (every reason)."""
    cdef readonly int64_t modify_checked_count
    """Modifies checked (also in ``checked_count``)."""
    cdef readonly int64_t modify_denied_count
    """Modifies denied (also in ``denied_count``)."""
    cdef readonly int64_t halt_count
    """Times trading was halted (kill switch, triggers)."""
    cdef readonly int64_t external_command_count
    """Kill-switch commands applied from the file, socket or Redis."""
    cdef readonly int64_t trigger_error_count
    """Trigger evaluations that could not run (e.g. equity without a price)."""
    cdef int64_t _denial_counts[DENY_REASON_COUNT]

    cdef TradingState _initial_state
    cdef tuple _checks
    cdef bint _needs_portfolio
    cdef dict _states
    cdef OrderContext _ctx
    cdef Order _checking_order
    cdef list _sources
    cdef object _redis_client
    cdef object _environment
    cdef int64_t _poll_every_orders
    cdef int64_t _orders_until_poll
    cdef object _loss_triggers
    cdef object _reject_trigger
    cdef str _last_trigger_error

    # -- CHECKS --------------------------------------------------------------------------------
    # check_order and check_modify: declared by PreTradeRisk, overridden here.
    cdef int _require_ready(self) except -1
    cdef object _check(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, bint is_modify
    )
    cdef OrderDenied _deny(self, Order order, DenyReason reason, str message, int64_t now_ns)
    cdef int _build_checks(self) except -1

    # -- TRADING STATE -------------------------------------------------------------------------
    cdef int _set_state(self, TradingState state, str reason, str source) except -1
    cdef int64_t _cancel_everything(self) except -1
    cdef int _poll_sources(self) except -1
    cpdef object check_triggers(self)
