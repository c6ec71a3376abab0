"""Reports on their way from a simulated venue to the strategy, and the venue's id counters."""

cimport cython
from libc.stdint cimport int64_t

from backtest.models.latency cimport LatencyModel
from hftcore.model.identifiers cimport TradeId, VenueOrderId


# Arrival time of one queued report and, for a fill, the strategy-side mid when it happened.
cdef struct ReportSlot:
    int64_t recv_ns     # local arrival time, UNIX ns
    double mid_ticks    # mid price at the fill, ticks (NaN when a side was empty)
    bint has_mid        # False for other reports and fills of engines without a local book


@cython.final
cdef class ReportQueue:
    cdef readonly LatencyModel latency
    """Response latency applied to every report."""
    cdef readonly int64_t next_ns
    """Local arrival time of the oldest pending report, UNIX ns (INT64_MAX when none)."""
    cdef readonly int64_t report_count
    """Reports queued so far."""
    cdef list _events
    cdef ReportSlot* _slots
    cdef Py_ssize_t _head
    cdef Py_ssize_t _capacity
    cdef int64_t _last_ns
    cdef double popped_mid_ticks
    cdef bint popped_has_mid

    cdef int64_t report_time(self, int64_t venue_ns) except -1
    cdef int push(self, int64_t recv_ns, object event) except -1
    cdef int push_fill(self, int64_t recv_ns, object event, double mid_ticks) except -1
    cdef int _append(self, int64_t recv_ns, object event) except -1
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
