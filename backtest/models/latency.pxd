"""Latency models: order entry, response and market data feed delays of a simulated venue."""

cimport cython
from libc.stdint cimport int64_t, uint64_t

from backtest.models.rng cimport Rng


# -- ORDER ENTRY AND RESPONSE ------------------------------------------------------------------

cdef class LatencyModel:
    cdef readonly str name
    """Short description of the model and its parameters (written to run.json)."""

    cdef int64_t entry_ns(self, int64_t send_ns) except -1
    cdef int64_t response_ns(self, int64_t venue_ns) except -1


@cython.final
cdef class ConstantLatency(LatencyModel):
    cdef readonly int64_t entry_delay_ns
    """Delay from the strategy sending a command to the venue receiving it, ns."""
    cdef readonly int64_t response_delay_ns
    """Delay from the venue acting to the strategy receiving the report, ns."""


@cython.final
cdef class RandomLatency(LatencyModel):
    cdef readonly int64_t entry_median_ns
    """Median order-entry delay, ns."""
    cdef readonly int64_t response_median_ns
    """Median response delay, ns."""
    cdef readonly double sigma
    """Standard deviation of the log of the delay (lognormal spread)."""
    cdef readonly int64_t min_ns
    """Smallest delay drawn, ns."""
    cdef readonly int64_t max_ns
    """Largest delay drawn, ns."""
    cdef readonly uint64_t seed
    """Seed of the draws."""
    cdef Rng _rng

    cdef int64_t _draw(self, int64_t median_ns) noexcept


@cython.final
cdef class RecordedLatency(LatencyModel):
    cdef readonly object ts_ns
    """numpy int64 array of sample times, UNIX ns, increasing."""
    cdef readonly object entry_latencies_ns
    """numpy int64 array of order-entry delays at each sample, ns."""
    cdef readonly object response_latencies_ns
    """numpy int64 array of response delays at each sample, ns."""
    cdef const int64_t[::1] _ts
    cdef const int64_t[::1] _entry
    cdef const int64_t[::1] _response
    cdef Py_ssize_t _cursor

    cdef int64_t _interpolate(self, const int64_t[::1] values, int64_t ts_ns) noexcept


# -- MARKET DATA FEED --------------------------------------------------------------------------

cdef class FeedLatency:
    cdef readonly str name
    """Short description of the model (written to run.json)."""

    cdef int64_t feed_time_ns(self, int64_t ts_event, int64_t ts_recv) except -1


@cython.final
cdef class ReceiveTimeFeed(FeedLatency):
    pass


@cython.final
cdef class EventDelayFeed(FeedLatency):
    cdef readonly int64_t delay_median_ns
    """Median delay added to ``ts_event``, ns."""
    cdef readonly double sigma
    """Lognormal spread of the delay; 0 for a constant delay."""
    cdef readonly uint64_t seed
    """Seed of the draws."""
    cdef Rng _rng
