"""What the execution engine keeps per venue: client, rate limiter and the requests waiting.

A request the venue's rate limiter cannot admit yet is held as a ``_Command`` in one of two
queues: cancels in the urgent queue (sent first), new orders and modifies in the normal queue.
The engine drains them from a clock alert (``ExecutionEngine._drain``).
"""

from collections import deque

cimport cython
from libc.stdint cimport int64_t

from hftcore.execution.rate_limiter cimport RateEndpoint, RateLimiter
from hftcore.model.identifiers cimport Venue
from hftcore.model.order cimport Order

ENDPOINT_NAMES = {
    CommandKind.SUBMIT: "submit_order",
    CommandKind.CANCEL: "cancel_order",
    CommandKind.MODIFY: "modify_order",
    CommandKind.CANCEL_ALL: "cancel_all_orders",
}
"""Rate-limiter endpoint charged for each kind of request."""


# -- VENUE CHANNEL -----------------------------------------------------------------------------

@cython.final
cdef class _Command:
    """A request held back by the rate limiter."""

    def __cinit__(
        self,
        CommandKind kind,
        Order order,
        list orders,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t queued_ns,
    ):
        self.kind = kind
        self.order = order
        self.orders = orders
        self.price_ticks = price_ticks
        self.quantity_lots = quantity_lots
        self.queued_ns = queued_ns


@cython.final
cdef class VenueChannel:
    """What the engine keeps per venue: the client, its rate limiter and the waiting requests.

    Made by :meth:`ExecutionEngine.register_client`; read it with
    :meth:`ExecutionEngine.channel`.
    """

    def __cinit__(self, Venue venue, object client, object timer_callback):
        self.venue = venue
        self.client = client
        # Bound once: every request of the venue calls one of these.
        self._submit_order = client.submit_order
        self._cancel_order = client.cancel_order
        self._modify_order = client.modify_order
        self._cancel_all_orders = client.cancel_all_orders
        self.rate_limiter = None
        self.queued_count = 0
        self._submit_endpoint = None
        self._cancel_endpoint = None
        self._modify_endpoint = None
        self._cancel_all_endpoint = None
        self._urgent = deque()
        self._normal = deque()
        self._timer_name = f"execution.rate_limit.{venue.value}"
        self._timer_at_ns = 0
        self._timer_callback = timer_callback

    def __repr__(self):
        return (
            f"VenueChannel(venue={self.venue.value}, client={type(self.client).__name__}, "
            f"rate_limiter={self.rate_limiter!r}, waiting={self.waiting_count})"
        )

    @property
    def waiting_count(self):
        """int: Requests waiting for the rate limiter now."""
        return len(self._urgent) + len(self._normal)

    cdef int set_rate_limiter(self, RateLimiter rate_limiter) except -1:
        self.rate_limiter = rate_limiter
        if rate_limiter is None:
            self._submit_endpoint = None
            self._cancel_endpoint = None
            self._modify_endpoint = None
            self._cancel_all_endpoint = None
            return 0
        self._submit_endpoint = rate_limiter.endpoint(ENDPOINT_NAMES[CommandKind.SUBMIT])
        self._cancel_endpoint = rate_limiter.endpoint(ENDPOINT_NAMES[CommandKind.CANCEL])
        self._modify_endpoint = rate_limiter.endpoint(ENDPOINT_NAMES[CommandKind.MODIFY])
        self._cancel_all_endpoint = rate_limiter.endpoint(ENDPOINT_NAMES[CommandKind.CANCEL_ALL])
        return 0

    cdef RateEndpoint endpoint_for(self, CommandKind kind):
        if kind == CommandKind.SUBMIT:
            return self._submit_endpoint
        if kind == CommandKind.CANCEL:
            return self._cancel_endpoint
        if kind == CommandKind.MODIFY:
            return self._modify_endpoint
        return self._cancel_all_endpoint

    cdef int has_queue(self, bint urgent) except -1:
        # Urgent requests (cancels) wait only behind urgent ones; the others behind all.
        if urgent:
            return len(self._urgent) > 0
        return len(self._urgent) > 0 or len(self._normal) > 0
