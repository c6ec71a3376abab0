# cython: boundscheck=False, wraparound=False
"""Token-bucket rate limiter with per-venue rule sets, corrected at run time by the venue.

A :class:`RateRule` is one limit a venue publishes ("6000 request weight per minute", "100
orders per 10 s", "10 requests per second per endpoint"). Each rule is a token bucket kept in
integer nanoseconds as a GCRA (generic cell rate algorithm): one unit refills every
``emission_ns``; the bucket holds ``burst_units``; the "theoretical arrival time" ``tat`` is the
time at which the bucket would be full again. A request of ``n`` units is admitted at ``now``
when ``max(tat, now) + n * emission_ns - now <= burst_units * emission_ns``.

The refill rate is chosen so the venue's count can never be exceeded by this process alone:

* ``FIXED`` rules count like Binance ("a 1 MINUTE interval starts every minute"): besides the
  bucket (refill ``limit_units`` per interval) the rule keeps the units used in the current
  epoch-aligned window and admits nothing past ``limit_units`` until the next window starts.
* ``ROLLING`` rules count over any span of ``interval_ns`` (Bybit, OKX, Coinbase). A bucket of
  capacity ``B`` refilling ``R`` units per interval admits at most ``B + R - 1`` units in any
  half-open span of one interval, so the rule refills ``R = limit_units - burst_units + 1``.

The venue corrects the rule at run time (other processes share the account or the IP):
``observe_used`` (Binance ``X-MBX-USED-WEIGHT-1M``, ``X-MBX-ORDER-COUNT-10S``, the WebSocket API's
``rateLimits[].count``), ``observe_remaining`` (Bybit ``X-Bapi-Limit-Status`` with
``X-Bapi-Limit-Reset-Timestamp``), ``set_limit`` (a new ``limit`` in an answer) and, on the
limiter, ``block_until`` (429 with Retry-After, 418 ban, Bybit 403). While a venue-reported cap or
block is active nothing is admitted past it, so no request is sent into a certain 429.

All times are the node clock's UNIX nanoseconds passed in by the caller (never the wall clock),
so a backtest is deterministic.
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.errors import ConfigError


# -- RULE --------------------------------------------------------------------------------------

@cython.final
cdef class RateRule:
    """One published limit of a venue as a token bucket.

    Parameters
    ----------
    name : str
        Rule name, e.g. ``"weight_1m"``; venue feedback addresses rules by name.
    limit_units : int
        Units (request weight, orders, requests) the venue allows per interval, > 0.
    interval_ns : int
        Length of the venue's counting interval, ns, > 0.
    window : RateWindow, default ROLLING
        ``FIXED`` for epoch-aligned windows (Binance), ``ROLLING`` for any span.
    burst_units : int, optional
        Bucket capacity, 1..limit_units. Default: ``limit_units`` for a fixed window (the window
        count already bounds it), ``max(1, limit_units // 2)`` for a rolling one (the rest of the
        limit is the sustained refill).

    Raises
    ------
    ConfigError
        If a value is out of range; the message names the rule and the field.
    """

    def __init__(
        self,
        str name not None,
        int64_t limit_units,
        int64_t interval_ns,
        RateWindow window=RateWindow.ROLLING,
        burst_units=None,
    ):
        if not name:
            raise ConfigError("RateRule.name: expected a non-empty string, got ''")
        if interval_ns <= 0:
            raise ConfigError(f"RateRule {name}: interval_ns: expected > 0, got {interval_ns}")
        if window != RateWindow.ROLLING and window != RateWindow.FIXED:
            raise ConfigError(f"RateRule {name}: window: expected RateWindow, got {window}")
        self.name = name
        self.interval_ns = interval_ns
        self.window = window
        self.admitted_units = 0
        self._tat_ns = 0
        self._window_index = -1
        self._window_used_units = 0
        self._cap_remaining_units = 0
        self._cap_until_ns = 0
        if burst_units is None:
            burst_units = limit_units if window == RateWindow.FIXED else max(1, limit_units // 2)
        self._configure(limit_units, burst_units)

    def __repr__(self):
        return (
            f"RateRule(name={self.name!r}, limit_units={self.limit_units}, "
            f"interval_ns={self.interval_ns}, window={RateWindow(self.window).name}, "
            f"burst_units={self.burst_units})"
        )

    cdef int _configure(self, int64_t limit_units, int64_t burst_units) except -1:
        if limit_units <= 0:
            raise ConfigError(f"RateRule {self.name}: limit_units: expected > 0, got {limit_units}")
        if burst_units < 1 or burst_units > limit_units:
            raise ConfigError(
                f"RateRule {self.name}: burst_units: expected 1..{limit_units}, got {burst_units}"
            )
        cdef int64_t refill_units = limit_units
        if self.window == RateWindow.ROLLING:
            refill_units = limit_units - burst_units + 1
        self.limit_units = limit_units
        self.burst_units = burst_units
        # Rounded up: a slower refill never admits more than the venue allows.
        self._emission_ns = (self.interval_ns + refill_units - 1) // refill_units
        self._tolerance_ns = burst_units * self._emission_ns
        return 0

    # -- ADMISSION -----------------------------------------------------------------------------

    @cython.cdivision(True)
    cdef int64_t _window_used(self, int64_t now_ns) noexcept:
        # interval_ns > 0 (validated); times are non-negative UNIX ns.
        if now_ns // self.interval_ns > self._window_index:
            return 0
        return self._window_used_units

    @cython.cdivision(True)
    cdef int64_t _wait_ns(self, int64_t cost_units, int64_t now_ns) noexcept:
        cdef int64_t wait_ns = 0
        cdef int64_t excess_ns
        cdef int64_t tat_ns = self._tat_ns if self._tat_ns > now_ns else now_ns
        excess_ns = tat_ns + cost_units * self._emission_ns - now_ns - self._tolerance_ns
        if excess_ns > 0:
            wait_ns = excess_ns
        if (
            self.window == RateWindow.FIXED
            and self._window_used(now_ns) + cost_units > self.limit_units
        ):
            excess_ns = (now_ns // self.interval_ns + 1) * self.interval_ns - now_ns
            if excess_ns > wait_ns:
                wait_ns = excess_ns
        if self._cap_until_ns > now_ns and cost_units > self._cap_remaining_units:
            excess_ns = self._cap_until_ns - now_ns
            if excess_ns > wait_ns:
                wait_ns = excess_ns
        return wait_ns

    @cython.cdivision(True)
    cdef void _consume(self, int64_t cost_units, int64_t now_ns) noexcept:
        cdef int64_t index
        cdef int64_t tat_ns = self._tat_ns if self._tat_ns > now_ns else now_ns
        self._tat_ns = tat_ns + cost_units * self._emission_ns
        if self.window == RateWindow.FIXED:
            index = now_ns // self.interval_ns
            if index > self._window_index:
                self._window_index = index
                self._window_used_units = cost_units
            else:
                self._window_used_units += cost_units
        if self._cap_until_ns > now_ns:
            self._cap_remaining_units -= cost_units
        self.admitted_units += cost_units

    def available_units(self, int64_t now_ns):
        """Return how many units this rule would admit at ``now_ns`` (bucket, window and cap).

        Parameters
        ----------
        now_ns : int
            Clock time, UNIX ns.

        Returns
        -------
        int
            Units admissible now, >= 0.
        """
        cdef int64_t tat_ns = self._tat_ns if self._tat_ns > now_ns else now_ns
        cdef int64_t available = (self._tolerance_ns - (tat_ns - now_ns)) // self._emission_ns
        if self.window == RateWindow.FIXED:
            available = min(available, self.limit_units - self._window_used(now_ns))
        if self._cap_until_ns > now_ns:
            available = min(available, self._cap_remaining_units)
        return max(available, 0)

    # -- VENUE FEEDBACK ------------------------------------------------------------------------

    def observe_used(self, int64_t used_units, int64_t now_ns):
        """Take the venue's count of units used in its current interval.

        A fixed window keeps the larger of the venue's count and its own for the window that
        contains ``now_ns``. A rolling rule admits at most ``limit_units - used_units`` more until
        one interval after ``now_ns``.

        Parameters
        ----------
        used_units : int
            Units the venue says are used (e.g. ``X-MBX-USED-WEIGHT-1M``), >= 0.
        now_ns : int
            Clock time at which the answer was received, UNIX ns.

        Raises
        ------
        ValueError
            If ``used_units`` or ``now_ns`` is negative.
        """
        _check_non_negative(used_units, "used_units")
        _check_non_negative(now_ns, "now_ns")
        cdef int64_t index
        if self.window == RateWindow.FIXED:
            index = now_ns // self.interval_ns
            if index > self._window_index:
                self._window_index = index
                self._window_used_units = used_units
            elif used_units > self._window_used_units:
                self._window_used_units = used_units
            return
        self._cap_remaining_units = max(self.limit_units - used_units, 0)
        self._cap_until_ns = now_ns + self.interval_ns

    def observe_remaining(self, int64_t remaining_units, int64_t reset_at_ns, int64_t now_ns):
        """Take the venue's count of units left until it resets the limit.

        Parameters
        ----------
        remaining_units : int
            Units the venue still accepts (Bybit ``X-Bapi-Limit-Status``), >= 0.
        reset_at_ns : int
            Clock time at which the venue resets the count, UNIX ns (Bybit
            ``X-Bapi-Limit-Reset-Timestamp`` converted to the local clock). A time not after
            ``now_ns`` means "not limited now": the remaining count then holds for one interval.
        now_ns : int
            Clock time at which the answer was received, UNIX ns.

        Raises
        ------
        ValueError
            If a value is negative.
        """
        _check_non_negative(remaining_units, "remaining_units")
        _check_non_negative(reset_at_ns, "reset_at_ns")
        _check_non_negative(now_ns, "now_ns")
        self._cap_remaining_units = remaining_units
        self._cap_until_ns = reset_at_ns if reset_at_ns > now_ns else now_ns + self.interval_ns

    def set_limit(self, int64_t limit_units):
        """Change the venue's limit (an answer reported a different ``limit``).

        The bucket capacity is kept, or lowered to the new limit.

        Parameters
        ----------
        limit_units : int
            New units per interval, > 0.

        Raises
        ------
        ConfigError
            If ``limit_units`` is not positive.
        """
        self._configure(limit_units, min(self.burst_units, max(limit_units, 1)))


cdef int _check_non_negative(int64_t value, str field) except -1:
    if value < 0:
        raise ValueError(f"{field}: expected >= 0, got {value}")
    return 0


# -- ENDPOINT ----------------------------------------------------------------------------------

@cython.final
cdef class RateEndpoint:
    """A kind of request and the units it costs on each rule; made by ``add_endpoint``."""

    def __repr__(self):
        cdef list costs = [
            f"{(<RateRule>self._rules[i]).name}={self._costs[i]}" for i in range(self._rule_count)
        ]
        return f"RateEndpoint(name={self.name!r}, costs={{{', '.join(costs)}}})"

    def costs(self):
        """Return the units this endpoint costs on each rule.

        Returns
        -------
        dict[str, int]
            Rule name to units.
        """
        return {(<RateRule>self._rules[i]).name: self._costs[i] for i in range(self._rule_count)}


# -- LIMITER -----------------------------------------------------------------------------------

@cython.final
cdef class RateLimiter:
    """The rate rules of one venue and what each kind of request costs on them.

    Parameters
    ----------
    venue : str
        Venue name, e.g. ``"BINANCE"``.
    rules : iterable of RateRule
        The venue's limits; names must be unique.
    endpoints : mapping of str to mapping of str to int, optional
        Endpoint name to its cost per rule name, passed to :meth:`add_endpoint`.

    Raises
    ------
    ConfigError
        If a rule name repeats or an endpoint is invalid.

    Examples
    --------
    >>> limiter = RateLimiter("BINANCE", [RateRule("orders_10s", 100, 10_000_000_000,
    ...                                            RateWindow.FIXED)],
    ...                       {"submit_order": {"orders_10s": 1}})
    >>> limiter.acquire(limiter.endpoint("submit_order"), 0)
    0
    """

    def __init__(self, str venue not None, rules=(), endpoints=None):
        self.venue = venue
        self.blocked_until_ns = 0
        self.block_reason = None
        self.granted_count = 0
        self.throttled_count = 0
        self.block_count = 0
        self._rules = []
        self._rules_by_name = {}
        self._endpoints = []
        self._endpoints_by_name = {}
        for rule in rules:
            self.add_rule(rule)
        if endpoints is not None:
            for name, costs in endpoints.items():
                self.add_endpoint(name, costs)

    def __repr__(self):
        return (
            f"RateLimiter(venue={self.venue!r}, rules={[r.name for r in self._rules]}, "
            f"endpoints={[e.name for e in self._endpoints]})"
        )

    # -- CONFIGURATION -------------------------------------------------------------------------

    def add_rule(self, RateRule rule not None):
        """Add one of the venue's limits.

        Parameters
        ----------
        rule : RateRule

        Raises
        ------
        ConfigError
            If a rule of the same name exists.
        """
        if rule.name in self._rules_by_name:
            raise ConfigError(f"RateLimiter {self.venue}: rule {rule.name!r} is already defined")
        self._rules.append(rule)
        self._rules_by_name[rule.name] = rule

    def add_endpoint(self, str name not None, costs not None):
        """Define a kind of request and what it costs on each rule.

        Parameters
        ----------
        name : str
            Endpoint name; the execution engine looks up ``submit_order``, ``cancel_order``,
            ``modify_order`` and ``cancel_all_orders``.
        costs : mapping of str to int
            Rule name to units (request weight, 1 per order); zero costs are left out.

        Returns
        -------
        RateEndpoint

        Raises
        ------
        ConfigError
            If the name repeats, a rule is unknown, a cost is negative or larger than the rule's
            bucket (it could never be admitted), or more than 8 rules are charged.
        """
        if name in self._endpoints_by_name:
            raise ConfigError(f"RateLimiter {self.venue}: endpoint {name!r} is already defined")
        cdef RateEndpoint endpoint = RateEndpoint.__new__(RateEndpoint)
        cdef list rules = []
        cdef RateRule rule
        endpoint.name = name
        endpoint.index = len(self._endpoints)
        endpoint._rule_count = 0
        for rule_name, cost in costs.items():
            rule = self._rules_by_name.get(rule_name)
            if rule is None:
                raise ConfigError(
                    f"RateLimiter {self.venue}: endpoint {name!r}: unknown rule {rule_name!r}; "
                    f"known: {sorted(self._rules_by_name)}"
                )
            if cost < 0 or cost > rule.burst_units:
                raise ConfigError(
                    f"RateLimiter {self.venue}: endpoint {name!r}: cost on {rule_name!r}: "
                    f"expected 0..{rule.burst_units} (the rule's burst), got {cost}"
                )
            if cost == 0:
                continue
            if endpoint._rule_count == MAX_RULES_PER_ENDPOINT:
                raise ConfigError(
                    f"RateLimiter {self.venue}: endpoint {name!r}: at most "
                    f"{MAX_RULES_PER_ENDPOINT} rules may be charged"
                )
            rules.append(rule)
            endpoint._costs[endpoint._rule_count] = cost
            endpoint._rule_count += 1
        endpoint._rules = tuple(rules)
        self._endpoints.append(endpoint)
        self._endpoints_by_name[name] = endpoint
        return endpoint

    cpdef RateRule rule(self, str name):
        """Return the rule called ``name``, or None."""
        return self._rules_by_name.get(name)

    def rules(self):
        """Return the rules in the order they were added.

        Returns
        -------
        list[RateRule]
        """
        return list(self._rules)

    cpdef RateEndpoint endpoint(self, str name):
        """Return the endpoint called ``name``, or None when this venue does not limit it."""
        return self._endpoints_by_name.get(name)

    # -- ADMISSION -----------------------------------------------------------------------------

    cpdef int64_t acquire(self, RateEndpoint endpoint, int64_t now_ns) except -1:
        """Admit one request of ``endpoint`` now, or say how long to wait.

        Parameters
        ----------
        endpoint : RateEndpoint
            From :meth:`endpoint` or :meth:`add_endpoint` of this limiter.
        now_ns : int
            Clock time, UNIX ns, >= 0.

        Returns
        -------
        int
            0 when admitted (the units are consumed on every rule); otherwise the ns to wait
            before the request could be admitted, and nothing is consumed.

        Raises
        ------
        ValueError
            If ``endpoint`` belongs to another limiter or ``now_ns`` is negative.
        """
        self._check_endpoint(endpoint, now_ns)
        return self.acquire_c(endpoint, now_ns)

    cpdef int64_t wait_ns(self, RateEndpoint endpoint, int64_t now_ns) except -1:
        """Return the ns to wait before ``endpoint`` would be admitted (0: now), consuming nothing.

        Raises
        ------
        ValueError
            If ``endpoint`` belongs to another limiter or ``now_ns`` is negative.
        """
        self._check_endpoint(endpoint, now_ns)
        return self._wait_c(endpoint, now_ns)

    cdef int _check_endpoint(self, RateEndpoint endpoint, int64_t now_ns) except -1:
        if endpoint is None:
            raise ValueError("endpoint: expected a RateEndpoint of this limiter, got None")
        if (
            endpoint.index >= len(self._endpoints)
            or self._endpoints[endpoint.index] is not endpoint
        ):
            raise ValueError(
                f"endpoint: {endpoint.name!r} does not belong to the {self.venue} limiter"
            )
        _check_non_negative(now_ns, "now_ns")
        return 0

    cdef int64_t acquire_c(self, RateEndpoint endpoint, int64_t now_ns) noexcept:
        cdef int64_t wait_ns = self._wait_c(endpoint, now_ns)
        cdef Py_ssize_t i
        if wait_ns > 0:
            self.throttled_count += 1
            return wait_ns
        for i in range(endpoint._rule_count):
            (<RateRule>endpoint._rules[i])._consume(endpoint._costs[i], now_ns)
        self.granted_count += 1
        return 0

    cdef int64_t _wait_c(self, RateEndpoint endpoint, int64_t now_ns) noexcept:
        cdef int64_t wait_ns = 0
        cdef int64_t rule_wait_ns
        if self.blocked_until_ns > now_ns:
            wait_ns = self.blocked_until_ns - now_ns
        cdef Py_ssize_t i
        for i in range(endpoint._rule_count):
            rule_wait_ns = (<RateRule>endpoint._rules[i])._wait_ns(endpoint._costs[i], now_ns)
            if rule_wait_ns > wait_ns:
                wait_ns = rule_wait_ns
        return wait_ns

    # -- VENUE FEEDBACK ------------------------------------------------------------------------

    def block_until(self, int64_t until_ns, str reason not None):
        """Admit nothing before ``until_ns`` (429 Retry-After, 418 ban, Bybit 403, OKX 50011).

        A later block never shortens an earlier one.

        Parameters
        ----------
        until_ns : int
            Clock time at which requests may go again, UNIX ns.
        reason : str
            Short reason kept in ``block_reason``, e.g. ``"429"``; never a request or signature.
        """
        _check_non_negative(until_ns, "until_ns")
        self.block_count += 1
        if until_ns > self.blocked_until_ns:
            self.blocked_until_ns = until_ns
            self.block_reason = reason

    def is_blocked(self, int64_t now_ns):
        """Return whether a venue block is in force at ``now_ns``."""
        return self.blocked_until_ns > now_ns
