"""Orders and commands as the simulated venue holds them."""

cimport cython
from libc.stdint cimport int64_t

from backtest.models.queue cimport QueuePosition
from hftcore.model.enums cimport OrderType, Side, TimeInForce
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from hftcore.model.order cimport Order


cpdef enum CommandKind:
    SUBMIT = 1
    CANCEL = 2
    MODIFY = 3


@cython.final
cdef class SimOrder:
    cdef readonly ClientOrderId client_order_id
    """Our id of the order."""
    cdef readonly VenueOrderId venue_order_id
    """The simulated venue's id, None until accepted."""
    cdef readonly StrategyId strategy_id
    """The owning strategy."""
    cdef readonly InstrumentId instrument_id
    """The instrument."""
    cdef readonly Side side
    """BUY or SELL."""
    cdef readonly OrderType order_type
    """LIMIT or MARKET."""
    cdef readonly TimeInForce time_in_force
    """GTC, IOC, FOK or GTX."""
    cdef readonly bint is_post_only
    """Rejected rather than take liquidity (also true for GTX)."""
    cdef readonly bint is_reduce_only
    """May only reduce a position."""
    cdef readonly int64_t price_ticks
    """Limit price in ticks (0 for MARKET)."""
    cdef readonly int64_t quantity_lots
    """Order quantity in lots."""
    cdef readonly int64_t filled_lots
    """Lots filled at the venue."""
    cdef readonly int64_t accepted_ns
    """Venue time the order (or its last replace) joined the book, UNIX ns."""
    cdef QueuePosition queue
    cdef str lock_asset
    cdef object locked_amount

    cdef int64_t leaves_lots_c(self) noexcept


@cython.final
cdef class SimCommand:
    cdef readonly CommandKind kind
    """SUBMIT, CANCEL or MODIFY."""
    cdef readonly int64_t send_ns
    """Local time the strategy sent it, UNIX ns."""
    cdef readonly int64_t arrival_ns
    """Venue time it arrives, UNIX ns."""
    cdef readonly SimOrder order
    """The order to add (SUBMIT), None otherwise."""
    cdef readonly ClientOrderId client_order_id
    """The order concerned."""
    cdef readonly InstrumentId instrument_id
    """Its instrument."""
    cdef readonly int64_t price_ticks
    """New price (MODIFY), ticks."""
    cdef readonly int64_t quantity_lots
    """New quantity (MODIFY), lots."""


cdef SimOrder sim_order_from(Order order)
