"""Token-bucket rate limiter with per-venue rule sets, corrected at run time by the venue."""

cimport cython
from libc.stdint cimport int64_t


cpdef enum RateWindow:
    ROLLING = 1
    FIXED = 2


cdef enum:
    MAX_RULES_PER_ENDPOINT = 8


# -- RULE --------------------------------------------------------------------------------------

@cython.final
cdef class RateRule:
    cdef readonly str name
    """Rule name, e.g. ``weight_1m`` or ``orders_10s``; feedback from the venue addresses it."""
    cdef readonly int64_t limit_units
    """Units (request weight, orders) the venue allows per interval."""
    cdef readonly int64_t interval_ns
    """Length of the venue's counting interval, ns."""
    cdef readonly int64_t burst_units
    """Capacity of the token bucket: units that may go back to back from a full bucket."""
    cdef readonly RateWindow window
    """How the venue counts: ``FIXED`` windows aligned to the epoch or ``ROLLING`` spans."""
    cdef readonly int64_t admitted_units
    """Units admitted since creation."""
    cdef int64_t _emission_ns
    cdef int64_t _tolerance_ns
    cdef int64_t _tat_ns
    cdef int64_t _window_index
    cdef int64_t _window_used_units
    cdef int64_t _cap_remaining_units
    cdef int64_t _cap_until_ns

    cdef int _configure(self, int64_t limit_units, int64_t burst_units) except -1
    cdef int64_t _window_used(self, int64_t now_ns) noexcept
    cdef int64_t _wait_ns(self, int64_t cost_units, int64_t now_ns) noexcept
    cdef void _consume(self, int64_t cost_units, int64_t now_ns) noexcept


# -- ENDPOINT ----------------------------------------------------------------------------------

@cython.final
cdef class RateEndpoint:
    cdef readonly str name
    """Endpoint name, e.g. ``submit_order``."""
    cdef readonly int index
    """Position in the limiter's endpoint list; the fast handle of ``acquire``."""
    cdef tuple _rules
    cdef int64_t _costs[MAX_RULES_PER_ENDPOINT]
    cdef Py_ssize_t _rule_count


# -- LIMITER -----------------------------------------------------------------------------------

@cython.final
cdef class RateLimiter:
    cdef readonly str venue
    """Venue whose limits this limiter follows."""
    cdef readonly int64_t blocked_until_ns
    """Clock time until which every request waits (429 Retry-After, ban), ns; 0 when none."""
    cdef readonly str block_reason
    """Why the limiter is blocked (``"429"``, ``"418"``...), or None."""
    cdef readonly int64_t granted_count
    """Requests admitted."""
    cdef readonly int64_t throttled_count
    """Requests refused for now (``acquire`` returned a wait)."""
    cdef readonly int64_t block_count
    """Calls to ``block_until`` (rate-limit answers and bans from the venue)."""
    cdef list _rules
    cdef dict _rules_by_name
    cdef list _endpoints
    cdef dict _endpoints_by_name

    cpdef RateRule rule(self, str name)
    cpdef RateEndpoint endpoint(self, str name)
    cpdef int64_t acquire(self, RateEndpoint endpoint, int64_t now_ns) except -1
    cpdef int64_t wait_ns(self, RateEndpoint endpoint, int64_t now_ns) except -1
    cdef int _check_endpoint(self, RateEndpoint endpoint, int64_t now_ns) except -1
    cdef int64_t acquire_c(self, RateEndpoint endpoint, int64_t now_ns) noexcept
    cdef int64_t _wait_c(self, RateEndpoint endpoint, int64_t now_ns) noexcept
