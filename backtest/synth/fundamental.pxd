"""Fundamental price process of the synthetic generator: correlated log prices, one volatility."""

cimport cython
from libc.stdint cimport int64_t

from backtest.synth.rng cimport RngState


@cython.final
cdef class FundamentalPaths:
    cdef RngState rng
    cdef readonly int asset_count
    """Number of correlated assets."""
    cdef double[::1] log_prices
    cdef double[::1] vol_per_sqrt_s
    cdef double[::1] correlation
    cdef double log_vol_deviation
    cdef double vol_mean_reversion_per_s
    cdef double vol_of_vol
    cdef readonly int64_t step_ns
    """Grid step of the paths, ns."""

    # -- PATHS --
    cpdef int advance(self, double[:, ::1] out_log_prices, double[::1] out_activity) except -1
