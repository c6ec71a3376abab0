"""Reports on their way from a simulated venue to the strategy, and the venue's id counters."""

cimport cython
from libc.stdint cimport int64_t

from backtest.models.latency cimport LatencyModel
from hftcore.model.identifiers cimport TradeId, VenueOrderId


@cython.final
cdef class ReportQueue:
    cdef readonly LatencyModel latency
    """Response latency applied to every report."""
    cdef readonly int64_t next_ns
    """Local arrival time of the oldest pending report, UNIX ns (INT64_MAX when none)."""
    cdef readonly int64_t report_count
    """Reports queued so far."""
    cdef readonly dict fill_mids
    """Trade id -> strategy-side mid price (ticks) when the fill happened (NaN when none)."""
    cdef object _items
    cdef int64_t _last_ns

    cdef int64_t report_time(self, int64_t venue_ns) except -1
    cdef int push(self, int64_t recv_ns, object event) except -1
    cdef object pop(self)


@cython.final
cdef class VenueIds:
    cdef readonly str prefix
    """Text in front of every id (the venue name)."""
    cdef readonly int64_t order_count
    """Venue order ids issued."""
    cdef readonly int64_t trade_count
    """Trade ids issued."""
    cdef bint _is_plain_prefix

    cdef VenueOrderId next_order_id(self)
    cdef TradeId next_trade_id(self)
