# cython: boundscheck=False, wraparound=False
"""Latency models: order entry, response and market data feed delays of a simulated venue.

Two timelines meet in a backtest: the venue's (market data at ``ts_event``, our commands when
they arrive) and the strategy's (market data at its feed time, reports when they arrive). The
models here set the delays between them:

- ``LatencyModel.entry_ns(send_ns)``: strategy sends at ``send_ns``, the venue sees the command
  at ``send_ns + entry_ns(send_ns)``;
- ``LatencyModel.response_ns(venue_ns)``: the venue acts at ``venue_ns``, the strategy sees the
  report at ``venue_ns + response_ns(venue_ns)``;
- ``FeedLatency.feed_time_ns(ts_event, ts_recv)``: when the strategy sees a market data row.

Each comes constant, random (lognormal around a median, seeded) or replayed from a recorded
series (``RecordedLatency``, linear interpolation between samples).
"""

from libc.math cimport exp
from libc.stdint cimport int64_t, uint64_t

import numpy as np

from hftcore.errors import ConfigError

from backtest.models.rng cimport rng_normal, rng_seed

# Distinct RNG streams so a run's latency draws do not depend on the feed draws.
cdef uint64_t _ORDER_STREAM = 1
cdef uint64_t _FEED_STREAM = 2


cdef int64_t _nonnegative(object value, str field) except -1:
    cdef int64_t number = value
    if number < 0:
        raise ConfigError(f"{field}: expected a delay >= 0 ns, got {number}")
    return number


# -- ORDER ENTRY AND RESPONSE ------------------------------------------------------------------

cdef class LatencyModel:
    """Base of the order-entry and response latency models.

    Subclasses implement the ``cdef`` methods; Python callers use ``order_entry_latency_ns``
    and ``response_latency_ns`` (the ``hftcore.node.interfaces.LatencyModel`` protocol).
    """

    cdef int64_t entry_ns(self, int64_t send_ns) except -1:
        raise NotImplementedError("LatencyModel.entry_ns")

    cdef int64_t response_ns(self, int64_t venue_ns) except -1:
        raise NotImplementedError("LatencyModel.response_ns")

    def order_entry_latency_ns(self, int64_t ts_ns):
        """Return the delay from sending a command at ``ts_ns`` to the venue receiving it.

        Parameters
        ----------
        ts_ns : int
            Local send time, UNIX ns.

        Returns
        -------
        int
            Delay in ns, >= 0.
        """
        return self.entry_ns(ts_ns)

    def response_latency_ns(self, int64_t ts_ns):
        """Return the delay from a venue event at ``ts_ns`` to the strategy seeing the report.

        Parameters
        ----------
        ts_ns : int
            Venue time of the event, UNIX ns.

        Returns
        -------
        int
            Delay in ns, >= 0.
        """
        return self.response_ns(ts_ns)

    def __repr__(self):
        return f"{type(self).__name__}({self.name})"


cdef class ConstantLatency(LatencyModel):
    """The same order-entry and response delay for every command and report.

    Parameters
    ----------
    entry_delay_ns : int
        Strategy to venue, ns, >= 0.
    response_delay_ns : int
        Venue to strategy, ns, >= 0.

    Raises
    ------
    ConfigError
        If a delay is negative.
    """

    def __init__(self, entry_delay_ns, response_delay_ns):
        self.entry_delay_ns = _nonnegative(entry_delay_ns, "entry_delay_ns")
        self.response_delay_ns = _nonnegative(response_delay_ns, "response_delay_ns")
        self.name = (
            f"constant:entry={self.entry_delay_ns}ns,response={self.response_delay_ns}ns"
        )

    cdef int64_t entry_ns(self, int64_t send_ns) except -1:
        return self.entry_delay_ns

    cdef int64_t response_ns(self, int64_t venue_ns) except -1:
        return self.response_delay_ns


cdef class RandomLatency(LatencyModel):
    """Lognormal delays around a median, drawn from a seeded generator.

    Each delay is ``median * exp(sigma * z)`` with ``z`` standard normal, clipped to
    ``[min_ns, max_ns]``. Draws happen in the order commands and reports occur, so the same
    data, strategy and seed give the same delays.

    Parameters
    ----------
    entry_median_ns : int
        Median strategy-to-venue delay, ns, >= 0.
    response_median_ns : int
        Median venue-to-strategy delay, ns, >= 0.
    sigma : float
        Spread of ``log(delay)``, >= 0 (0.3 gives a p99 about twice the median).
    seed : int
        Seed of the generator.
    min_ns : int, default 0
        Smallest delay, ns.
    max_ns : int, default 10 s
        Largest delay, ns.

    Raises
    ------
    ConfigError
        If a delay or ``sigma`` is negative or ``min_ns > max_ns``.
    """

    def __init__(
        self,
        entry_median_ns,
        response_median_ns,
        double sigma,
        uint64_t seed,
        min_ns=0,
        max_ns=10_000_000_000,
    ):
        self.entry_median_ns = _nonnegative(entry_median_ns, "entry_median_ns")
        self.response_median_ns = _nonnegative(response_median_ns, "response_median_ns")
        self.min_ns = _nonnegative(min_ns, "min_ns")
        self.max_ns = _nonnegative(max_ns, "max_ns")
        if not sigma >= 0.0:
            raise ConfigError(f"sigma: expected >= 0, got {sigma}")
        if self.min_ns > self.max_ns:
            raise ConfigError(f"min_ns: {self.min_ns} is above max_ns {self.max_ns}")
        self.sigma = sigma
        self.seed = seed
        rng_seed(&self._rng, seed, _ORDER_STREAM)
        self.name = (
            f"random:entry={self.entry_median_ns}ns,response={self.response_median_ns}ns,"
            f"sigma={sigma},seed={seed}"
        )

    cdef int64_t _draw(self, int64_t median_ns) noexcept:
        cdef double value = median_ns * exp(self.sigma * rng_normal(&self._rng))
        if value < self.min_ns:
            return self.min_ns
        if value > self.max_ns:
            return self.max_ns
        return <int64_t>value

    cdef int64_t entry_ns(self, int64_t send_ns) except -1:
        return self._draw(self.entry_median_ns)

    cdef int64_t response_ns(self, int64_t venue_ns) except -1:
        return self._draw(self.response_median_ns)


cdef class RecordedLatency(LatencyModel):
    """Delays replayed from a recorded series, interpolated linearly between samples.

    Before the first sample the first values hold, after the last the last ones.

    Parameters
    ----------
    ts_ns : array-like of int
        Sample times, UNIX ns, strictly increasing, at least one.
    entry_latencies_ns : array-like of int
        Order-entry delay measured at each sample, ns, >= 0.
    response_latencies_ns : array-like of int
        Response delay measured at each sample, ns, >= 0.

    Raises
    ------
    ConfigError
        If the arrays are empty, differ in length, times do not increase or a delay is negative.
    """

    def __init__(self, ts_ns, entry_latencies_ns, response_latencies_ns):
        ts = np.ascontiguousarray(ts_ns, dtype=np.int64)
        entry = np.ascontiguousarray(entry_latencies_ns, dtype=np.int64)
        response = np.ascontiguousarray(response_latencies_ns, dtype=np.int64)
        if ts.ndim != 1 or ts.size == 0:
            raise ConfigError("ts_ns: expected a non-empty 1-D series of sample times")
        if entry.shape != ts.shape or response.shape != ts.shape:
            raise ConfigError(
                f"entry_latencies_ns/response_latencies_ns: expected {ts.size} samples like "
                f"ts_ns, got {entry.size} and {response.size}"
            )
        if ts.size > 1 and not bool(np.all(np.diff(ts) > 0)):
            raise ConfigError("ts_ns: sample times must be strictly increasing")
        if bool(np.any(entry < 0)) or bool(np.any(response < 0)):
            raise ConfigError("latencies: expected every recorded delay >= 0 ns")
        self.ts_ns = ts
        self.entry_latencies_ns = entry
        self.response_latencies_ns = response
        self._ts = ts
        self._entry = entry
        self._response = response
        self._cursor = 0
        self.name = f"recorded:{ts.size} samples"

    @classmethod
    def from_file(cls, path):
        """Load a series from a Parquet or CSV file.

        Parameters
        ----------
        path : str or Path
            A file with int64 columns ``ts_ns``, ``entry_ns`` and ``response_ns``.

        Returns
        -------
        RecordedLatency

        Raises
        ------
        ConfigError
            If the file cannot be read or lacks a column.
        """
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        text = str(path)
        try:
            table = pa_csv.read_csv(text) if text.endswith(".csv") else pq.read_table(text)
        except (OSError, pa.ArrowException) as exc:
            raise ConfigError(f"{text}: cannot read the latency series: {exc}") from exc
        for column in ("ts_ns", "entry_ns", "response_ns"):
            if column not in table.column_names:
                raise ConfigError(
                    f"{text}: column {column} missing; expected ts_ns, entry_ns, response_ns"
                )
        model = cls(
            table.column("ts_ns").to_numpy(),
            table.column("entry_ns").to_numpy(),
            table.column("response_ns").to_numpy(),
        )
        (<LatencyModel>model).name = f"recorded:{text}"
        return model

    cdef int64_t _interpolate(self, const int64_t[::1] values, int64_t ts_ns) noexcept:
        cdef Py_ssize_t last = self._ts.shape[0] - 1
        cdef Py_ssize_t i = self._cursor
        cdef int64_t t0
        cdef int64_t t1
        if ts_ns <= self._ts[0]:
            return values[0]
        if ts_ns >= self._ts[last]:
            return values[last]
        # Queries come in nearly increasing time: walk the cursor, back up when time goes back.
        while i > 0 and self._ts[i] > ts_ns:
            i -= 1
        while i < last and self._ts[i + 1] <= ts_ns:
            i += 1
        self._cursor = i
        t0 = self._ts[i]
        t1 = self._ts[i + 1]
        return values[i] + <int64_t>(
            (values[i + 1] - values[i]) * (<double>(ts_ns - t0) / <double>(t1 - t0))
        )

    cdef int64_t entry_ns(self, int64_t send_ns) except -1:
        return self._interpolate(self._entry, send_ns)

    cdef int64_t response_ns(self, int64_t venue_ns) except -1:
        return self._interpolate(self._response, venue_ns)


# -- MARKET DATA FEED --------------------------------------------------------------------------

cdef class FeedLatency:
    """Base of the market data feed models: when the strategy sees a recorded row."""

    cdef int64_t feed_time_ns(self, int64_t ts_event, int64_t ts_recv) except -1:
        raise NotImplementedError("FeedLatency.feed_time_ns")

    def feed_time(self, int64_t ts_event, int64_t ts_recv):
        """Return the local time the strategy sees a row stamped ``ts_event`` / ``ts_recv``.

        Parameters
        ----------
        ts_event : int
            Venue time of the row, UNIX ns.
        ts_recv : int
            Recorded receive time of the row, UNIX ns.

        Returns
        -------
        int
            UNIX ns.
        """
        return self.feed_time_ns(ts_event, ts_recv)

    def __repr__(self):
        return f"{type(self).__name__}({self.name})"


cdef class ReceiveTimeFeed(FeedLatency):
    """The strategy sees each row at its recorded ``ts_recv`` (the default)."""

    def __init__(self):
        self.name = "recv"

    cdef int64_t feed_time_ns(self, int64_t ts_event, int64_t ts_recv) except -1:
        return ts_recv


cdef class EventDelayFeed(FeedLatency):
    """The strategy sees each row at ``ts_event`` plus a modelled delay.

    Use it to ask "what if our feed were faster or slower than the recording's". The delay is
    constant (``sigma == 0``) or lognormal around ``delay_median_ns``.

    Parameters
    ----------
    delay_median_ns : int
        Median delay after ``ts_event``, ns, >= 0.
    sigma : float, default 0
        Lognormal spread, >= 0.
    seed : int, default 0
        Seed of the draws.

    Raises
    ------
    ConfigError
        If the delay or ``sigma`` is negative.
    """

    def __init__(self, delay_median_ns, double sigma=0.0, uint64_t seed=0):
        self.delay_median_ns = _nonnegative(delay_median_ns, "feed delay_median_ns")
        if not sigma >= 0.0:
            raise ConfigError(f"feed sigma: expected >= 0, got {sigma}")
        self.sigma = sigma
        self.seed = seed
        rng_seed(&self._rng, seed, _FEED_STREAM)
        self.name = f"event+{self.delay_median_ns}ns" + (f",sigma={sigma}" if sigma else "")

    cdef int64_t feed_time_ns(self, int64_t ts_event, int64_t ts_recv) except -1:
        if self.sigma == 0.0:
            return ts_event + self.delay_median_ns
        return ts_event + <int64_t>(self.delay_median_ns * exp(self.sigma * rng_normal(&self._rng)))
