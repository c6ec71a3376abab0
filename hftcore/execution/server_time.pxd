"""Venue server-time offset, request timestamps inside the receive window, and nonces."""

cimport cython
from libc.stdint cimport int64_t


@cython.final
cdef class ServerTimeSync:
    cdef readonly str venue
    """Venue whose server time is tracked."""
    cdef readonly int64_t recv_window_ms
    """Receive window sent with signed requests (Binance ``recvWindow``, Bybit
    ``X-BAPI-RECV-WINDOW``), ms."""
    cdef readonly int64_t max_age_ns
    """An offset measured longer ago than this is stale: signing is refused, ns."""
    cdef readonly int64_t max_rtt_ns
    """Samples with a longer round trip are rejected (their offset is uncertain by RTT/2), ns."""
    cdef readonly int64_t offset_ns
    """Venue time minus local clock time, ns (0 until the first accepted sample)."""
    cdef readonly int64_t rtt_ns
    """Round trip of the sample the offset comes from, ns (-1 until the first)."""
    cdef readonly int64_t measured_at_ns
    """Local clock time at which the offset was measured, ns (-1 until the first sample)."""
    cdef readonly int64_t sample_count
    """Samples accepted."""
    cdef readonly int64_t rejected_sample_count
    """Samples rejected because their round trip exceeded ``max_rtt_ns``."""
    cdef readonly int64_t refused_count
    """Timestamps refused because the offset was unknown or stale."""
    cdef int64_t _last_nonce_ms

    cpdef bint record(self, int64_t sent_ns, int64_t server_time_ns, int64_t received_ns) except -1
    cpdef bint is_fresh(self, int64_t now_ns)
    cpdef int64_t server_time_ns(self, int64_t now_ns) except? -1
    cpdef int64_t timestamp_ms(self, int64_t now_ns) except? -1
    cpdef int64_t next_nonce_ms(self, int64_t now_ns) except? -1
    cdef int _check_fresh(self, int64_t now_ns) except -1
