"""Avellaneda-Stoikov market making: online volatility and intensity estimators, quote model."""

cimport cython
from libc.stdint cimport int64_t


cdef enum:
    # Fewest bins the intensity fit accepts: two points define a line, three test it.
    MIN_FIT_BINS = 3


cpdef enum HorizonMode:
    FINITE = 1
    INFINITE = 2


# -- VOLATILITY --------------------------------------------------------------------------------

@cython.final
cdef class EwmaVolatility:
    cdef readonly double half_life_s
    """Half-life of the exponential weights, seconds of clock time."""
    cdef readonly int64_t sample_interval_ns
    """Mid prices closer together than this are not sampled (microstructure noise), ns."""
    cdef readonly int64_t min_samples
    """Samples needed before ``is_ready`` turns True."""
    cdef readonly int64_t sample_count
    """Returns sampled so far."""
    cdef readonly int64_t last_ts_ns
    """Time of the last sampled price, UNIX ns; 0 before the first."""
    cdef readonly double last_price
    """Last sampled price; NaN before the first."""
    cdef double _decay_per_s
    cdef double _sum_sq_moves
    cdef double _sum_dt_s

    cdef void _update(self, int64_t ts_ns, double price) noexcept nogil
    cdef double _variance_per_s(self) noexcept nogil


@cython.final
cdef class RollingVolatility:
    cdef readonly Py_ssize_t window
    """Returns in the rolling window."""
    cdef readonly int64_t sample_interval_ns
    """Mid prices closer together than this are not sampled (microstructure noise), ns."""
    cdef readonly int64_t sample_count
    """Returns sampled so far (the window holds at most ``window`` of them)."""
    cdef readonly int64_t last_ts_ns
    """Time of the last sampled price, UNIX ns; 0 before the first."""
    cdef readonly double last_price
    """Last sampled price; NaN before the first."""
    cdef double* _sq_moves
    cdef double* _dts_s
    cdef Py_ssize_t _head
    cdef double _sum_sq_moves
    cdef double _sum_dt_s

    cdef void _update(self, int64_t ts_ns, double price) noexcept nogil
    cdef double _variance_per_s(self) noexcept nogil


# -- ORDER ARRIVAL INTENSITY -------------------------------------------------------------------

@cython.final
cdef class TradeIntensityEstimator:
    cdef readonly Py_ssize_t bin_count
    """Depth bins; the last one collects every deeper trade."""
    cdef readonly double bin_width_price
    """Width of a depth bin, in price units (quote currency per base unit)."""
    cdef readonly double half_life_s
    """Half-life of the trade counts, seconds of clock time."""
    cdef readonly double min_bin_count
    """Decayed trades a bin's tail count needs to enter the fit."""
    cdef readonly int64_t trade_count
    """Trades recorded."""
    cdef readonly int64_t first_ts_ns
    """Time of the first trade, UNIX ns; 0 before it."""
    cdef readonly int64_t last_ts_ns
    """Time the counts were last decayed to, UNIX ns; 0 before the first trade."""
    cdef readonly double a_per_s
    """Fitted A: arrival rate of trades reaching depth 0, per second; NaN until fitted."""
    cdef readonly double k_per_price
    """Fitted k: decay of the arrival rate per price unit of depth; NaN until fitted."""
    cdef readonly bint is_fitted
    """True once a fit with a decaying intensity (k > 0) succeeded."""
    cdef double* _counts
    cdef double _decay_per_s

    cdef void _decay_to(self, int64_t ts_ns) noexcept nogil
    cdef void _add_trade(self, int64_t ts_ns, double depth_price) noexcept nogil
    cdef bint _fit(self, int64_t ts_ns) noexcept nogil


# -- QUOTES ------------------------------------------------------------------------------------

cdef struct QuoteDepths:
    double bid_depth_price   # distance of the bid below the mid, price units
    double ask_depth_price   # distance of the ask above the mid, price units


cdef double reservation_price_c(
    double mid_price, double inventory, double gamma, double sigma, double time_left_s
) noexcept nogil
cdef double optimal_spread_c(
    double gamma, double sigma, double time_left_s, double k_per_price, double order_size
) noexcept nogil
cdef QuoteDepths finite_horizon_depths_c(
    double inventory,
    double gamma,
    double sigma,
    double time_left_s,
    double k_per_price,
    double order_size,
) noexcept nogil
cdef QuoteDepths glft_depths_c(
    double inventory,
    double gamma,
    double sigma,
    double a_per_s,
    double k_per_price,
    double order_size,
) noexcept nogil
cdef int _check_positive(str field, double value) except -1
cdef int _check_non_negative(str field, double value) except -1
cdef int _check_finite(str field, double value) except -1


@cython.final
cdef class AvellanedaStoikovQuoter:
    cdef readonly HorizonMode mode
    """FINITE (session end T) or INFINITE (Gueant-Lehalle-Fernandez-Tapia stationary quotes)."""
    cdef readonly double gamma
    """Risk aversion, per quote-currency unit of wealth."""
    cdef readonly double order_size
    """Size of one quote, base asset units (Delta in the formulas)."""

    cdef QuoteDepths _depths(
        self, double inventory, double sigma, double a_per_s, double k_per_price, double time_left_s
    ) noexcept nogil
