"""Venue server-time offset, request timestamps inside the receive window, and nonces.

Signed requests carry the venue's time (Binance ``timestamp``, Bybit ``X-BAPI-TIMESTAMP``, OKX
``OK-ACCESS-TIMESTAMP``) and are refused when it is outside the receive window: Binance rejects
``timestamp`` more than 1000 ms ahead of its clock or older than ``recvWindow`` (error -1021),
Bybit accepts ``server_time - recv_window <= timestamp < server_time + 1000``. The local clock is
not the venue's, so the offset is measured: a request sent at local time ``t0`` comes back at
``t1`` with the venue's time ``s``, read at the midpoint of the round trip::

    offset = s - (t0 + t1) / 2          uncertain by at most (t1 - t0) / 2

A sample whose round trip exceeds ``max_rtt_ns`` is rejected (default: half the receive
window, so the offset error plus the one-way delay stay inside the window); the latest accepted
sample gives the offset. Signing is refused (:class:`~hftcore.errors.TimeSyncError`) while no
sample was accepted or the last one is older than ``max_age_ns``: clocks drift, and a request
signed with a wrong time is rejected by the venue anyway.

Local times are the node clock's UNIX ns passed in by the caller, so backtests are deterministic.
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.errors import ConfigError, TimeSyncError

DEFAULT_RECV_WINDOW_MS = 5000
"""Receive window when none is configured, ms (Binance and Bybit default)."""
DEFAULT_MAX_AGE_NS = 300_000_000_000
"""An offset older than 5 minutes is stale by default (drift of 50 ppm is 15 ms by then)."""


@cython.final
cdef class ServerTimeSync:
    """Server-time offset of one venue, measured from request round trips.

    Parameters
    ----------
    venue : str
        Venue name, used in error messages.
    recv_window_ms : int, default 5000
        Receive window sent with signed requests, ms, 1..60000.
    max_age_ns : int, default 300 s
        Age after which the offset is stale and signing is refused, ns, > 0.
    max_rtt_ns : int, optional
        Longest accepted round trip, ns; default half the receive window.

    Raises
    ------
    ConfigError
        If a value is out of range.
    """

    def __init__(
        self,
        str venue not None,
        int64_t recv_window_ms=DEFAULT_RECV_WINDOW_MS,
        int64_t max_age_ns=DEFAULT_MAX_AGE_NS,
        max_rtt_ns=None,
    ):
        if recv_window_ms < 1 or recv_window_ms > 60_000:
            raise ConfigError(
                f"ServerTimeSync {venue}: recv_window_ms: expected 1..60000, got {recv_window_ms}"
            )
        if max_age_ns <= 0:
            raise ConfigError(f"ServerTimeSync {venue}: max_age_ns: expected > 0, got {max_age_ns}")
        if max_rtt_ns is None:
            max_rtt_ns = recv_window_ms * 1_000_000 // 2
        if max_rtt_ns <= 0:
            raise ConfigError(f"ServerTimeSync {venue}: max_rtt_ns: expected > 0, got {max_rtt_ns}")
        self.venue = venue
        self.recv_window_ms = recv_window_ms
        self.max_age_ns = max_age_ns
        self.max_rtt_ns = max_rtt_ns
        self.offset_ns = 0
        self.rtt_ns = -1
        self.measured_at_ns = -1
        self.sample_count = 0
        self.rejected_sample_count = 0
        self.refused_count = 0
        self._last_nonce_ms = 0

    def __repr__(self):
        return (
            f"ServerTimeSync(venue={self.venue!r}, offset_ns={self.offset_ns}, "
            f"rtt_ns={self.rtt_ns}, measured_at_ns={self.measured_at_ns}, "
            f"recv_window_ms={self.recv_window_ms})"
        )

    cpdef bint record(
        self, int64_t sent_ns, int64_t server_time_ns, int64_t received_ns
    ) except -1:
        """Take one measurement: a request sent at ``sent_ns`` answered with the venue's time.

        Parameters
        ----------
        sent_ns : int
            Local clock time the request was sent, UNIX ns.
        server_time_ns : int
            Venue time in the answer, UNIX ns (Binance ``serverTime`` ms * 1_000_000).
        received_ns : int
            Local clock time the answer arrived, UNIX ns.

        Returns
        -------
        bool
            True if the sample was accepted and now gives the offset, False if its round trip
            exceeded ``max_rtt_ns`` (counted in ``rejected_sample_count``).

        Raises
        ------
        ValueError
            If ``received_ns`` is before ``sent_ns``.
        """
        if received_ns < sent_ns:
            raise ValueError(
                f"{self.venue}: received_ns {received_ns} is before sent_ns {sent_ns}"
            )
        cdef int64_t rtt_ns = received_ns - sent_ns
        if rtt_ns > self.max_rtt_ns:
            self.rejected_sample_count += 1
            return False
        # Midpoint without overflow: sent + rtt / 2.
        self.offset_ns = server_time_ns - (sent_ns + rtt_ns // 2)
        self.rtt_ns = rtt_ns
        self.measured_at_ns = received_ns
        self.sample_count += 1
        return True

    cpdef bint is_fresh(self, int64_t now_ns):
        """Return whether an offset was measured no longer than ``max_age_ns`` before ``now_ns``."""
        return self.measured_at_ns >= 0 and now_ns - self.measured_at_ns <= self.max_age_ns

    cdef int _check_fresh(self, int64_t now_ns) except -1:
        if self.measured_at_ns < 0:
            self.refused_count += 1
            raise TimeSyncError(
                f"{self.venue}: server time offset unknown (no sample accepted); "
                "refusing to sign until the server time is measured"
            )
        if now_ns - self.measured_at_ns > self.max_age_ns:
            self.refused_count += 1
            raise TimeSyncError(
                f"{self.venue}: server time offset is stale: measured "
                f"{(now_ns - self.measured_at_ns) / 1e9:.3f} s ago, bound "
                f"{self.max_age_ns / 1e9:.3f} s; refusing to sign until it is measured again"
            )
        return 0

    cpdef int64_t server_time_ns(self, int64_t now_ns) except? -1:
        """Return the venue's time at local time ``now_ns``, UNIX ns.

        Raises
        ------
        TimeSyncError
            If the offset is unknown or stale.
        """
        self._check_fresh(now_ns)
        return now_ns + self.offset_ns

    @cython.cdivision(True)
    cpdef int64_t timestamp_ms(self, int64_t now_ns) except? -1:
        """Return the timestamp to sign a request sent at local time ``now_ns``: venue time, ms.

        Raises
        ------
        TimeSyncError
            If the offset is unknown or stale.
        """
        self._check_fresh(now_ns)
        # Venue times are positive UNIX ns, so truncation is floor division.
        return (now_ns + self.offset_ns) // 1_000_000

    cpdef int64_t next_nonce_ms(self, int64_t now_ns) except? -1:
        """Return a strictly increasing nonce: the venue time in ms, bumped past the last one.

        Raises
        ------
        TimeSyncError
            If the offset is unknown or stale.
        """
        cdef int64_t nonce_ms = self.timestamp_ms(now_ns)
        if nonce_ms <= self._last_nonce_ms:
            nonce_ms = self._last_nonce_ms + 1
        self._last_nonce_ms = nonce_ms
        return nonce_ms
