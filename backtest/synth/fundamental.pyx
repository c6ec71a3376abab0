# cython: boundscheck=False, wraparound=False
"""Fundamental price process of the synthetic market-data generator.

``FundamentalPaths``: correlated log-price random walks on a fixed time grid, driven by one
shared stochastic volatility (a log-OU process), so calm and busy periods alternate. The
volatility multiplier doubles as the order-flow activity of every book.
"""

import numpy as np

from libc.math cimport exp, sqrt
from libc.stdint cimport int64_t, uint64_t

from backtest.synth.rng cimport rng_normal, rng_seed

cdef double NS_PER_S = 1e9


cdef class FundamentalPaths:
    """Correlated log-price random walks with one shared stochastic volatility.

    Parameters
    ----------
    seed : int
        Seed of the generator.
    prices : sequence of float
        Start price of each asset, in its quote currency.
    vol_per_sqrt_s : sequence of float
        Volatility of each asset's log price per square-root second (1e-4: about 0.01%
        typical move per second).
    correlation : sequence of float
        Correlation of each asset's shocks with asset 0's (asset 0's own entry is ignored).
    step_ns : int
        Grid step, ns.
    vol_mean_reversion_per_s : float
        Rate at which the volatility multiplier reverts to 1 (1/300: regimes of ~5 minutes).
    vol_of_vol : float
        Stationary standard deviation of the log volatility multiplier.

    Raises
    ------
    ValueError
        If the sequences differ in length, a price or volatility is not positive or the step
        is not positive.
    """

    def __init__(
        self,
        uint64_t seed,
        prices,
        vol_per_sqrt_s,
        correlation,
        int64_t step_ns,
        double vol_mean_reversion_per_s=1.0 / 300.0,
        double vol_of_vol=0.5,
    ):
        if not len(prices) == len(vol_per_sqrt_s) == len(correlation) or not len(prices):
            raise ValueError(
                "prices, vol_per_sqrt_s, correlation: expected equal non-empty lengths"
            )
        if min(prices) <= 0 or min(vol_per_sqrt_s) < 0 or step_ns <= 0:
            raise ValueError(
                f"prices {list(prices)}, vol_per_sqrt_s {list(vol_per_sqrt_s)}, step_ns"
                f" {step_ns}: expected positive values"
            )
        rng_seed(&self.rng, seed, 0)
        self.asset_count = len(prices)
        self.log_prices = np.log(np.asarray(prices, dtype=np.float64))
        self.vol_per_sqrt_s = np.asarray(vol_per_sqrt_s, dtype=np.float64).copy()
        self.correlation = np.clip(np.asarray(correlation, dtype=np.float64), -1.0, 1.0)
        self.log_vol_deviation = 0.0
        self.vol_mean_reversion_per_s = vol_mean_reversion_per_s
        self.vol_of_vol = vol_of_vol
        self.step_ns = step_ns

    # -- PATHS --

    cpdef int advance(self, double[:, ::1] out_log_prices, double[::1] out_activity) except -1:
        """Advance the paths by one step per output row.

        Parameters
        ----------
        out_log_prices : float64 array, shape (steps, asset_count)
            Receives each asset's log price after each step.
        out_activity : float64 array, shape (steps,)
            Receives the volatility multiplier (mean about 1) after each step.

        Returns
        -------
        int
            0.
        """
        cdef Py_ssize_t steps = out_log_prices.shape[0]
        cdef Py_ssize_t i
        cdef int asset
        cdef double dt_s = self.step_ns / NS_PER_S
        cdef double sqrt_dt = sqrt(dt_s)
        cdef double kappa = self.vol_mean_reversion_per_s
        # Shock size keeping the stationary standard deviation at vol_of_vol.
        cdef double shock = self.vol_of_vol * sqrt(2.0 * kappa * dt_s)
        cdef double multiplier
        cdef double z0
        cdef double z
        cdef double rho
        if out_log_prices.shape[1] != self.asset_count or out_activity.shape[0] != steps:
            raise ValueError("out arrays: expected shapes (steps, asset_count) and (steps,)")
        for i in range(steps):
            self.log_vol_deviation += (
                -kappa * dt_s * self.log_vol_deviation + shock * rng_normal(&self.rng)
            )
            multiplier = exp(self.log_vol_deviation)
            z0 = rng_normal(&self.rng)
            for asset in range(self.asset_count):
                rho = self.correlation[asset]
                z = z0 if asset == 0 else rho * z0 + sqrt(1.0 - rho * rho) * rng_normal(&self.rng)
                self.log_prices[asset] += self.vol_per_sqrt_s[asset] * multiplier * sqrt_dt * z
                out_log_prices[i, asset] = self.log_prices[asset]
            out_activity[i] = multiplier
        return 0
