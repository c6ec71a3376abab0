"""The fills of a backtest as the OMS received them, kept as compact columns."""

cimport cython
from libc.stdint cimport int64_t, uint8_t

from hftcore.model.money cimport Money
from hftcore.model.order_events cimport OrderFilled


# The numbers of one fill; its texts live in the log's string lists.
cdef struct FillRow:
    int64_t ts_event        # venue time of the fill, UNIX ns
    int64_t ts_recv         # local time the OMS received it, UNIX ns
    int64_t price_ticks     # fill price, ticks
    int64_t qty_lots        # fill quantity, lots
    int64_t fee_raw         # fee mantissa (``Money.raw``)
    double mid_ticks        # strategy-side mid when the venue filled, ticks
    uint8_t fee_precision   # fee decimal places (``Money.precision``)
    uint8_t side            # order side: Side
    uint8_t liquidity       # LiquiditySide
    bint has_mid            # False when the venue had no strategy-side book


@cython.final
cdef class FillLog:
    cdef readonly int64_t count
    """Fills recorded."""
    cdef FillRow* _rows
    cdef int64_t _capacity
    cdef list _client_order_ids
    cdef list _venue_order_ids
    cdef list _trade_ids
    cdef list _strategy_ids
    cdef list _instrument_ids
    cdef list _fee_currencies

    cdef int record(self, OrderFilled event, double mid_ticks, bint has_mid) except -1
