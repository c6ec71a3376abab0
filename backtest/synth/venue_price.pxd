"""Fair price of one simulated venue: fundamental x basis x dislocations x shocks."""

cimport cython
from libc.math cimport fabs
from libc.stdint cimport int64_t, uint64_t

from backtest.synth.codes cimport ASK, BID
from backtest.synth.rng cimport RngState


@cython.final
cdef class VenuePrice:
    # Parameters.
    cdef double tick_size
    cdef double basis_sigma
    cdef double basis_mean_reversion_per_s
    cdef double dislocation_rate_per_s
    cdef double dislocation_size
    cdef double dislocation_decay_per_s
    cdef double shock_rate_per_s
    cdef double shock_size_median
    cdef double shock_size_sigma
    cdef double shock_decay_per_s
    cdef double shock_size_max
    cdef double shock_tolerance

    # State.
    cdef RngState shock_rng
    cdef double basis
    cdef double dislocation
    cdef readonly double shock
    """Current venue shock, log price (0 without one)."""
    cdef readonly double fair_ticks
    """Current fair price of the venue, ticks (fractional)."""

    # -- PRICE --
    cdef void update(self, RngState* rng, double log_fair, double dt_s) noexcept nogil
    cdef double max_move_ticks(self) noexcept nogil
    cdef inline int shock_sweep_side(
        self, int64_t best_bid_ticks, int64_t best_ask_ticks
    ) noexcept nogil:
        # While a shock lasts, the side that sweeps the book (BID buys, ASK sells) when the touch
        # lags the fair price by more than the tolerance; 0 otherwise. Runs once per event.
        cdef double tolerance_ticks = max(self.fair_ticks * self.shock_tolerance, 1.0)
        if fabs(self.shock) <= self.shock_tolerance:
            return 0
        if best_ask_ticks + tolerance_ticks < self.fair_ticks:
            return BID
        if best_bid_ticks - tolerance_ticks > self.fair_ticks:
            return ASK
        return 0
