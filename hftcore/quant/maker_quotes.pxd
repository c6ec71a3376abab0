"""A maker's quotes in ticks from one book update: mid sample, quote model, rounding."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.quant.avellaneda_stoikov cimport (
    AvellanedaStoikovQuoter,
    EwmaVolatility,
    RollingVolatility,
    TradeIntensityEstimator,
)


@cython.final
cdef class MakerQuotes:
    cdef readonly AvellanedaStoikovQuoter quoter
    """The quote model (finite horizon or stationary)."""
    cdef readonly object volatility
    """The mid's volatility estimator (``EwmaVolatility`` or ``RollingVolatility``)."""
    cdef readonly TradeIntensityEstimator intensity
    """The trade-arrival intensity fit."""
    cdef readonly double tick_size
    """Price of one tick, price units."""
    cdef readonly double lot_size
    """Base units of one lot (lot size times multiplier)."""
    cdef readonly int64_t min_spread_ticks
    """Smallest bid-to-ask distance of the quotes, ticks."""
    cdef readonly double fallback_sigma_bps
    """Volatility until the estimator is ready, bps of the mid per sqrt(second)."""
    cdef readonly double fallback_a_per_s
    """Intensity A until the fit succeeds, per second."""
    cdef readonly double fallback_k_per_bps
    """Intensity k until the fit succeeds, per bp of the mid."""
    cdef readonly int64_t session_ns
    """Length of one finite-horizon session, ns."""
    cdef readonly int64_t session_end_ns
    """End of the current session, UNIX ns; 0 before the first quote."""
    cdef readonly int64_t bid_ticks
    """Bid of the last quote, ticks (may be <= 0: no bid)."""
    cdef readonly int64_t ask_ticks
    """Ask of the last quote, ticks."""
    cdef EwmaVolatility _ewma
    cdef RollingVolatility _rolling

    # -- QUOTING -------------------------------------------------------------------------------

    cdef int _sample_mid(self, int64_t now_ns, double mid_price) except -1
    cdef double _sigma(self, double mid_price) noexcept
    cdef double _time_left_s(self, int64_t now_ns) noexcept
    cdef int _quote(
        self, OrderBook book, int64_t now_ns, int64_t position_lots, bint sample_mid
    ) except -1
