"""Fair price of one simulated venue: fundamental x basis x dislocations x shocks.

The venue's fair price follows the fundamental through a mean-reverting basis noise, occasional
dislocations, and occasional shocks. A shock (a large aggressive sweep, or a feed catching up)
jumps the venue's fair price by tens of basis points and decays within seconds. The order flow
alone follows the fair price by a few basis points a second, so while a shock lasts the book is
moved to the fair price whenever its touch lags by more than a tolerance
(``shock_sweep_side``, ``inline`` in ``venue_price.pxd``).
"""

from libc.math cimport exp, sqrt
from libc.stdint cimport uint64_t

from backtest.synth.rng cimport RngState, rng_normal, rng_seed, rng_uniform

# Shocks draw from their own stream (numbered above every book stream, which are crc32 + 1), so
# their times depend on the seed alone and a book without shocks draws exactly as before.
cdef uint64_t SHOCK_STREAM_OFFSET = 1ULL << 32


cdef class VenuePrice:
    """The fair price of one instrument on one venue.

    Parameters
    ----------
    seed : int
        Seed of the generator.
    stream : int
        Stream number of the book (the shocks draw from their own stream above it).
    params : dict
        Model parameters (``backtest.synth.params.BookParams.engine_params()``): tick size,
        basis, dislocation and shock settings.

    Raises
    ------
    KeyError
        If a parameter is missing.
    ValueError
        If a shock parameter is out of range.
    """

    def __init__(self, uint64_t seed, uint64_t stream, dict params):
        rng_seed(&self.shock_rng, seed, stream + 1 + SHOCK_STREAM_OFFSET)
        self.tick_size = params["tick_size"]
        self.basis_sigma = params["basis_sigma"]
        self.basis_mean_reversion_per_s = params["basis_mean_reversion_per_s"]
        self.dislocation_rate_per_s = params["dislocation_rate_per_s"]
        self.dislocation_size = params["dislocation_size"]
        self.dislocation_decay_per_s = params["dislocation_decay_per_s"]
        self.shock_rate_per_s = params["shock_rate_per_s"]
        self.shock_size_median = params["shock_size_median"]
        self.shock_size_sigma = params["shock_size_sigma"]
        self.shock_decay_per_s = params["shock_decay_per_s"]
        self.shock_size_max = params["shock_size_max"]
        self.shock_tolerance = params["shock_tolerance"]
        if (
            self.shock_rate_per_s < 0
            or self.shock_decay_per_s < 0
            or not 0 < self.shock_tolerance < self.shock_size_max
        ):
            raise ValueError(
                f"shock_rate_per_s {self.shock_rate_per_s}, shock_decay_per_s"
                f" {self.shock_decay_per_s}, shock_tolerance {self.shock_tolerance},"
                f" shock_size_max {self.shock_size_max}: expected rates >= 0 and"
                " 0 < shock_tolerance < shock_size_max"
            )
        self.basis = 0.0
        self.dislocation = 0.0
        self.shock = 0.0
        self.fair_ticks = 0.0

    # -- PRICE --

    cdef void update(self, RngState* rng, double log_fair, double dt_s) noexcept nogil:
        # Advance by dt_s to the fundamental log_fair; basis and dislocations draw from the
        # book's stream ``rng``, shocks from their own.
        cdef double decay
        cdef double sign
        if dt_s > 0.0:
            self.basis += -self.basis_mean_reversion_per_s * dt_s * self.basis + (
                self.basis_sigma * sqrt(2.0 * self.basis_mean_reversion_per_s * dt_s)
                * rng_normal(rng)
            )
            decay = exp(-self.dislocation_decay_per_s * dt_s)
            self.dislocation *= decay
            if rng_uniform(rng) < self.dislocation_rate_per_s * dt_s:
                self.dislocation += self.dislocation_size * (0.5 + rng_uniform(rng)) * (
                    1.0 if rng_uniform(rng) < 0.5 else -1.0
                )
            self.shock *= exp(-self.shock_decay_per_s * dt_s)
            if rng_uniform(&self.shock_rng) < self.shock_rate_per_s * dt_s:
                sign = 1.0 if rng_uniform(&self.shock_rng) < 0.5 else -1.0
                self.shock += sign * self.shock_size_median * exp(
                    self.shock_size_sigma * rng_normal(&self.shock_rng)
                )
                self.shock = max(-self.shock_size_max, min(self.shock_size_max, self.shock))
        self.fair_ticks = (
            exp(log_fair + self.basis + self.dislocation + self.shock) / self.tick_size
        )

    cdef double max_move_ticks(self) noexcept nogil:
        # The largest shock's move from the current fair price, ticks (0 without shocks).
        if self.shock_rate_per_s > 0.0:
            return self.fair_ticks * (exp(self.shock_size_max) - 1.0)
        return 0.0
