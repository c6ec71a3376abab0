"""Choice of the endpoint an order goes through: the healthy one with the lowest latency."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport InstrumentId


# -- ENDPOINT ----------------------------------------------------------------------------------

@cython.final
cdef class RouteEndpoint:
    cdef readonly str name
    """Endpoint name, e.g. ``"rest-api1"`` or ``"ws-api"``."""
    cdef readonly frozenset instrument_ids
    """Instruments reachable through this endpoint, or None for every instrument."""
    cdef readonly double rtt_ewma_ns
    """Exponentially weighted mean of the measured round trips, ns (NaN before the first)."""
    cdef readonly int64_t sample_count
    """Round trips measured."""
    cdef readonly int64_t failure_count
    """Failures since the last success; the endpoint turns unhealthy at the router's threshold."""
    cdef readonly int64_t total_failure_count
    """Failures since creation."""
    cdef readonly int64_t unhealthy_until_ns
    """Clock time until which the endpoint is not chosen, UNIX ns (0: healthy)."""

    cdef bint _reaches(self, InstrumentId instrument_id) noexcept
    cdef bint _is_healthy(self, int64_t now_ns) noexcept


# -- ROUTER ------------------------------------------------------------------------------------

@cython.final
cdef class EndpointRouter:
    cdef readonly str venue
    """Venue whose endpoints are routed between."""
    cdef readonly double alpha
    """Weight of a new round trip in the EWMA, 0 < alpha <= 1."""
    cdef readonly int64_t failure_threshold
    """Consecutive failures after which an endpoint is unhealthy."""
    cdef readonly int64_t cooldown_ns
    """How long an unhealthy endpoint is skipped, ns."""
    cdef readonly int64_t no_route_count
    """Calls to ``choose`` that found no healthy endpoint."""
    cdef list _endpoints
    cdef dict _by_name

    cpdef RouteEndpoint endpoint(self, str name)
    cpdef RouteEndpoint choose(self, InstrumentId instrument_id, int64_t now_ns)
    cdef RouteEndpoint _named(self, str name)
