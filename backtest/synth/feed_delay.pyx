"""Feed delay of one simulated venue connection: receive time of each message.

A fixed base delay plus a log-normal jitter whose log is an AR(1) process, so congestion lasts
over consecutive messages; receive times never go back (one connection per book). The draw
itself, ``recv_time``, is ``inline`` in ``feed_delay.pxd``.
"""

from libc.stdint cimport int64_t


cdef class FeedDelay:
    """Receive times of one book's messages.

    Parameters
    ----------
    delay_base_ns : int
        Fixed part of the delay, ns.
    delay_jitter_median_ns : float
        Median of the log-normal jitter, ns.
    delay_jitter_sigma : float
        Log-space standard deviation of the jitter.
    """

    def __init__(
        self, int64_t delay_base_ns, double delay_jitter_median_ns, double delay_jitter_sigma
    ):
        self.delay_base_ns = delay_base_ns
        self.delay_jitter_median_ns = delay_jitter_median_ns
        self.delay_jitter_sigma = delay_jitter_sigma
        self.delay_state = 0.0
        self.last_recv_ns = 0
