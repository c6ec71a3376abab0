"""Feed delay of one simulated venue connection: receive time of each message.

``recv_time`` is defined here, ``inline``: it runs for every message the simulator writes.
"""

cimport cython
from libc.math cimport exp
from libc.stdint cimport int64_t

from backtest.synth.rng cimport RngState, rng_normal


@cython.final
cdef class FeedDelay:
    cdef int64_t delay_base_ns
    cdef double delay_jitter_median_ns
    cdef double delay_jitter_sigma
    cdef double delay_state
    cdef int64_t last_recv_ns

    # -- DELAY --
    cdef inline int64_t recv_time(self, RngState* rng, int64_t ts_event_ns) noexcept nogil:
        # Draws from the book's stream ``rng``, in turn with its order flow. The log jitter is
        # an AR(1) process with coefficient 0.95 per draw and an innovation (0.3122...) keeping
        # its stationary standard deviation at 1.
        cdef double jitter_ns
        cdef int64_t recv_ns
        self.delay_state = 0.95 * self.delay_state + 0.31224989991991997 * rng_normal(rng)
        jitter_ns = self.delay_jitter_median_ns * exp(self.delay_jitter_sigma * self.delay_state)
        recv_ns = ts_event_ns + self.delay_base_ns + <int64_t>jitter_ns
        if recv_ns < self.last_recv_ns:
            recv_ns = self.last_recv_ns
        self.last_recv_ns = recv_ns
        return recv_ns
