"""Choice of the endpoint an order goes through: the healthy one with the lowest latency.

A venue may be reachable through several endpoints (Binance ``api1``..``api4`` hosts, REST and
the WebSocket API, a colocated gateway). Each :class:`RouteEndpoint` keeps an exponentially
weighted moving average (EWMA) of the round trips its client measured and a count of
consecutive failures. After ``failure_threshold`` failures in a row the endpoint is skipped for
``cooldown_ns``; it then gets one trial: a success makes it fully healthy again, another failure
sends it back into cooldown. :meth:`EndpointRouter.choose` returns the healthy endpoint reaching
the instrument with the lowest EWMA; endpoints not measured yet rank after measured ones, in the
order they were added.

Times are the node clock's UNIX ns passed in by the caller.
"""

cimport cython
from libc.math cimport isnan, NAN
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport InstrumentId

from hftcore.errors import ConfigError


# -- ENDPOINT ----------------------------------------------------------------------------------

@cython.final
cdef class RouteEndpoint:
    """Latency and health of one endpoint; made by :meth:`EndpointRouter.add_endpoint`."""

    def __repr__(self):
        return (
            f"RouteEndpoint(name={self.name!r}, rtt_ewma_ns={self.rtt_ewma_ns:.0f}, "
            f"failure_count={self.failure_count}, unhealthy_until_ns={self.unhealthy_until_ns})"
        )

    cdef bint _reaches(self, InstrumentId instrument_id) noexcept:
        return self.instrument_ids is None or instrument_id in self.instrument_ids

    cdef bint _is_healthy(self, int64_t now_ns) noexcept:
        return self.unhealthy_until_ns <= now_ns

    def is_healthy(self, int64_t now_ns):
        """Return whether the endpoint may be chosen at ``now_ns``."""
        return self._is_healthy(now_ns)


# -- ROUTER ------------------------------------------------------------------------------------

@cython.final
cdef class EndpointRouter:
    """Routes orders of one venue to its healthy endpoint with the lowest measured latency.

    Parameters
    ----------
    venue : str
        Venue name.
    alpha : float, default 0.2
        EWMA weight of each new round trip, 0 < alpha <= 1.
    failure_threshold : int, default 3
        Consecutive failures that make an endpoint unhealthy, >= 1.
    cooldown_ns : int, default 30 s
        How long an unhealthy endpoint is skipped, ns, > 0.

    Raises
    ------
    ConfigError
        If a value is out of range.
    """

    def __init__(
        self,
        str venue not None,
        double alpha=0.2,
        int64_t failure_threshold=3,
        int64_t cooldown_ns=30_000_000_000,
    ):
        if not 0.0 < alpha <= 1.0:
            raise ConfigError(
                f"EndpointRouter {venue}: alpha: expected 0 < alpha <= 1, got {alpha}"
            )
        if failure_threshold < 1:
            raise ConfigError(
                f"EndpointRouter {venue}: failure_threshold: expected >= 1, got {failure_threshold}"
            )
        if cooldown_ns <= 0:
            raise ConfigError(
                f"EndpointRouter {venue}: cooldown_ns: expected > 0, got {cooldown_ns}"
            )
        self.venue = venue
        self.alpha = alpha
        self.failure_threshold = failure_threshold
        self.cooldown_ns = cooldown_ns
        self.no_route_count = 0
        self._endpoints = []
        self._by_name = {}

    def __repr__(self):
        cdef list names = [e.name for e in self._endpoints]
        return f"EndpointRouter(venue={self.venue!r}, endpoints={names})"

    def add_endpoint(self, str name not None, instrument_ids=None):
        """Add an endpoint.

        Parameters
        ----------
        name : str
            Unique endpoint name.
        instrument_ids : iterable of InstrumentId, optional
            Instruments it reaches; None (default) for every instrument of the venue.

        Returns
        -------
        RouteEndpoint

        Raises
        ------
        ConfigError
            If the name is empty or already added.
        """
        if not name:
            raise ConfigError(
                f"EndpointRouter {self.venue}: endpoint name: expected non-empty text"
            )
        if name in self._by_name:
            raise ConfigError(f"EndpointRouter {self.venue}: endpoint {name!r} is already added")
        cdef RouteEndpoint endpoint = RouteEndpoint.__new__(RouteEndpoint)
        endpoint.name = name
        endpoint.instrument_ids = None if instrument_ids is None else frozenset(instrument_ids)
        endpoint.rtt_ewma_ns = NAN
        endpoint.sample_count = 0
        endpoint.failure_count = 0
        endpoint.total_failure_count = 0
        endpoint.unhealthy_until_ns = 0
        self._endpoints.append(endpoint)
        self._by_name[name] = endpoint
        return endpoint

    cpdef RouteEndpoint endpoint(self, str name):
        """Return the endpoint called ``name``, or None."""
        return self._by_name.get(name)

    def endpoints(self):
        """Return the endpoints in the order they were added.

        Returns
        -------
        list[RouteEndpoint]
        """
        return list(self._endpoints)

    cdef RouteEndpoint _named(self, str name):
        cdef RouteEndpoint endpoint = self._by_name.get(name)
        if endpoint is None:
            raise ConfigError(
                f"EndpointRouter {self.venue}: unknown endpoint {name!r}; "
                f"known: {list(self._by_name)}"
            )
        return endpoint

    # -- MEASUREMENTS --------------------------------------------------------------------------

    def record_rtt(self, str name not None, int64_t rtt_ns):
        """Record a successful request through ``name`` and its round trip.

        A success clears the endpoint's failure count and any cooldown.

        Parameters
        ----------
        name : str
            Endpoint name.
        rtt_ns : int
            Measured round trip, ns, >= 0.

        Raises
        ------
        ConfigError
            If the endpoint is unknown.
        ValueError
            If ``rtt_ns`` is negative.
        """
        cdef RouteEndpoint endpoint = self._named(name)
        if rtt_ns < 0:
            raise ValueError(f"{self.venue} {name}: rtt_ns: expected >= 0, got {rtt_ns}")
        if isnan(endpoint.rtt_ewma_ns):
            endpoint.rtt_ewma_ns = <double>rtt_ns
        else:
            endpoint.rtt_ewma_ns += self.alpha * (<double>rtt_ns - endpoint.rtt_ewma_ns)
        endpoint.sample_count += 1
        endpoint.failure_count = 0
        endpoint.unhealthy_until_ns = 0

    def record_failure(self, str name not None, int64_t now_ns):
        """Record a failed request (timeout, connection error, 5xx) through ``name``.

        Parameters
        ----------
        name : str
            Endpoint name.
        now_ns : int
            Clock time of the failure, UNIX ns.

        Returns
        -------
        bool
            True if the endpoint is now unhealthy (in cooldown until ``now_ns + cooldown_ns``).

        Raises
        ------
        ConfigError
            If the endpoint is unknown.
        """
        cdef RouteEndpoint endpoint = self._named(name)
        endpoint.failure_count += 1
        endpoint.total_failure_count += 1
        if endpoint.failure_count < self.failure_threshold:
            return False
        endpoint.unhealthy_until_ns = now_ns + self.cooldown_ns
        # After the cooldown one more failure is enough to send it back.
        endpoint.failure_count = self.failure_threshold - 1
        return True

    # -- CHOICE --------------------------------------------------------------------------------

    cpdef RouteEndpoint choose(self, InstrumentId instrument_id, int64_t now_ns):
        """Return the healthy endpoint reaching ``instrument_id`` with the lowest EWMA round trip.

        Parameters
        ----------
        instrument_id : InstrumentId
            The order's instrument.
        now_ns : int
            Clock time, UNIX ns.

        Returns
        -------
        RouteEndpoint or None
            None when no healthy endpoint reaches the instrument (counted in ``no_route_count``).
        """
        cdef RouteEndpoint best = None
        cdef RouteEndpoint endpoint
        for endpoint in self._endpoints:
            if not endpoint._is_healthy(now_ns) or not endpoint._reaches(instrument_id):
                continue
            if best is None or _faster(endpoint, best):
                best = endpoint
        if best is None:
            self.no_route_count += 1
        return best


cdef inline bint _faster(RouteEndpoint candidate, RouteEndpoint best) noexcept:
    # Measured beats unmeasured; among unmeasured the earlier added (``best``) stays.
    if isnan(candidate.rtt_ewma_ns):
        return False
    return isnan(best.rtt_ewma_ns) or candidate.rtt_ewma_ns < best.rtt_ewma_ns
