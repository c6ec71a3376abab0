"""What the execution engine keeps per venue: client, rate limiter and the requests waiting."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.execution.rate_limiter cimport RateEndpoint, RateLimiter
from hftcore.model.identifiers cimport Venue
from hftcore.model.order cimport Order


cdef enum CommandKind:
    SUBMIT = 1
    CANCEL = 2
    MODIFY = 3
    CANCEL_ALL = 4


# -- VENUE CHANNEL -----------------------------------------------------------------------------

@cython.final
cdef class _Command:
    cdef CommandKind kind
    cdef Order order
    cdef list orders
    cdef int64_t price_ticks
    cdef int64_t quantity_lots
    cdef int64_t queued_ns


@cython.final
cdef class VenueChannel:
    cdef readonly Venue venue
    """The venue this channel sends to."""
    cdef readonly object client
    """The venue's ``ExecutionClient``."""
    cdef readonly RateLimiter rate_limiter
    """The venue's rate limiter, or None when requests are not limited here."""
    cdef readonly int64_t queued_count
    """Requests that had to wait for the rate limiter."""
    cdef RateEndpoint _submit_endpoint
    cdef RateEndpoint _cancel_endpoint
    cdef RateEndpoint _modify_endpoint
    cdef RateEndpoint _cancel_all_endpoint
    cdef object _urgent
    cdef object _normal
    cdef str _timer_name
    cdef int64_t _timer_at_ns
    cdef object _timer_callback
    cdef object _submit_order
    cdef object _cancel_order
    cdef object _modify_order
    cdef object _cancel_all_orders

    cdef int set_rate_limiter(self, RateLimiter rate_limiter) except -1
    cdef RateEndpoint endpoint_for(self, CommandKind kind)
    cdef int has_queue(self, bint urgent) except -1
