"""The Order record: what the cache and the OMS know about one of our orders."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.enums cimport OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, StrategyId, VenueOrderId


@cython.final
cdef class Order:
    cdef readonly ClientOrderId client_order_id
    """Our id of the order."""
    cdef readonly VenueOrderId venue_order_id
    """The venue's id of the order, ``None`` until the venue accepts it."""
    cdef readonly StrategyId strategy_id
    """The strategy that owns the order."""
    cdef readonly InstrumentId instrument_id
    """The instrument traded."""
    cdef readonly Side side
    """BUY or SELL."""
    cdef readonly OrderType order_type
    """LIMIT or MARKET."""
    cdef readonly TimeInForce time_in_force
    """GTC, IOC, FOK or GTX."""
    cdef readonly bint is_post_only
    """True when the order must only add liquidity (rejected rather than take)."""
    cdef readonly bint is_reduce_only
    """True when the order may only reduce a position."""
    cdef readonly int64_t price_ticks
    """Limit price in ticks, 0 for a market order."""
    cdef readonly int64_t quantity_lots
    """Order quantity in lots."""
    cdef readonly int64_t filled_lots
    """Quantity filled so far in lots."""
    cdef readonly double avg_fill_price_ticks
    """Quantity-weighted average fill price in ticks, 0.0 before the first fill."""
    cdef readonly OrderStatus status
    """Current status; starts INITIALIZED and is driven by the order state machine."""
    cdef readonly int64_t ts_init
    """Local time the order was created, UNIX ns."""
    cdef readonly int64_t ts_last
    """Time of the last change applied to the order, UNIX ns."""

    cdef int _check_price_quantity(
        self, int64_t price_ticks, int64_t quantity_lots, int64_t filled_lots
    ) except -1

    # -- COMMANDS (called by the order state machine) ------------------------------------------

    cdef int set_status(self, OrderStatus status) except -1
    cdef int set_venue_order_id(self, VenueOrderId venue_order_id) except -1
    cdef int set_price_and_quantity(self, int64_t price_ticks, int64_t quantity_lots) except -1
    cdef int set_ts_last(self, int64_t ts_ns) except -1
    cdef int add_fill(self, int64_t qty_lots, int64_t price_ticks, int64_t ts_ns) except -1

    # -- QUERIES -------------------------------------------------------------------------------

    cdef int64_t leaves_lots_c(self) noexcept
    cdef bint is_open_c(self) noexcept
    cdef bint is_closed_c(self) noexcept

    # -- FACTORY (last: appending keeps the vtable of modules built on the old layout) ---------

    @staticmethod
    cdef Order create(
        ClientOrderId client_order_id,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        Side side,
        OrderType order_type,
        int64_t quantity_lots,
        int64_t price_ticks,
        TimeInForce time_in_force,
        bint is_post_only,
        bint is_reduce_only,
        int64_t ts_init,
    )
