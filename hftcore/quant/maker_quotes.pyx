"""A maker's quotes in ticks from one book update: mid sample, quote model, rounding.

`MakerQuotes` is the per-update arithmetic of ``strategies/as_maker.py`` in one C call: sample
the mid into the volatility estimator, pick sigma and the intensity ``(A, k)`` (or their
fallbacks), ask `AvellanedaStoikovQuoter` for the bid and ask, round the bid down and the ask up
to the tick (away from the touch), keep them off the opposite touch and at least
``min_spread_ticks`` apart. The strategy keeps the decisions about orders.
"""

cimport cython
from libc.math cimport ceil, floor, isfinite, sqrt
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.quant.avellaneda_stoikov cimport (
    AvellanedaStoikovQuoter,
    EwmaVolatility,
    QuoteDepths,
    RollingVolatility,
    TradeIntensityEstimator,
)

cdef double _BPS = 1e-4
cdef double _NS_PER_S = 1e9
# Prices past this many ticks are clamped before the cast to int64 (which would be undefined).
cdef double _MAX_QUOTE_TICKS = 4e18


cdef class MakerQuotes:
    """Bid and ask, in ticks, of an Avellaneda-Stoikov maker for the book it is shown.

    Parameters
    ----------
    quoter : AvellanedaStoikovQuoter
        The quote model.
    volatility : EwmaVolatility or RollingVolatility
        The mid's volatility estimator; each `quote` with ``sample_mid`` offers it the mid.
    intensity : TradeIntensityEstimator
        The trade-arrival intensity fit (its ``A`` and ``k`` once fitted).
    tick_size : float
        Price of one tick, price units (> 0).
    lot_size : float
        Base units of one lot, lot size times multiplier (> 0).
    min_spread_ticks : int
        Smallest bid-to-ask distance, ticks (>= 1).
    fallback_sigma_bps : float
        Volatility until the estimator is ready, bps of the mid per sqrt(second) (> 0).
    fallback_a_per_s : float
        A until the fit succeeds, per second (> 0).
    fallback_k_per_bps : float
        k until the fit succeeds, per bp of the mid (> 0).
    session_ns : int
        Length of a finite-horizon session, ns (> 0); sessions follow each other from the
        first quote.

    Raises
    ------
    TypeError
        If ``volatility`` is neither estimator.
    ValueError
        If a number is out of range.
    """

    def __init__(
        self,
        AvellanedaStoikovQuoter quoter not None,
        volatility,
        TradeIntensityEstimator intensity not None,
        double tick_size,
        double lot_size,
        int64_t min_spread_ticks,
        double fallback_sigma_bps,
        double fallback_a_per_s,
        double fallback_k_per_bps,
        int64_t session_ns,
    ):
        if isinstance(volatility, EwmaVolatility):
            self._ewma = volatility
        elif isinstance(volatility, RollingVolatility):
            self._rolling = volatility
        else:
            raise TypeError(
                "volatility: expected EwmaVolatility or RollingVolatility, "
                f"got {type(volatility).__name__}"
            )
        for field, value in (
            ("tick_size", tick_size),
            ("lot_size", lot_size),
            ("fallback_sigma_bps", fallback_sigma_bps),
            ("fallback_a_per_s", fallback_a_per_s),
            ("fallback_k_per_bps", fallback_k_per_bps),
        ):
            if not (isfinite(value) and value > 0.0):
                raise ValueError(f"{field}: expected a finite number > 0, got {value!r}")
        if min_spread_ticks < 1:
            raise ValueError(f"min_spread_ticks: expected >= 1, got {min_spread_ticks}")
        if session_ns < 1:
            raise ValueError(f"session_ns: expected >= 1, got {session_ns}")
        self.quoter = quoter
        self.volatility = volatility
        self.intensity = intensity
        self.tick_size = tick_size
        self.lot_size = lot_size
        self.min_spread_ticks = min_spread_ticks
        self.fallback_sigma_bps = fallback_sigma_bps
        self.fallback_a_per_s = fallback_a_per_s
        self.fallback_k_per_bps = fallback_k_per_bps
        self.session_ns = session_ns

    # -- QUOTING -------------------------------------------------------------------------------

    cdef int _sample_mid(self, int64_t now_ns, double mid_price) except -1:
        if self._ewma is not None:
            if now_ns < self._ewma.last_ts_ns:
                raise ValueError(
                    f"now_ns: {now_ns} is before the last sample at {self._ewma.last_ts_ns}"
                )
            self._ewma._update(now_ns, mid_price)
        else:
            if now_ns < self._rolling.last_ts_ns:
                raise ValueError(
                    f"now_ns: {now_ns} is before the last sample at {self._rolling.last_ts_ns}"
                )
            self._rolling._update(now_ns, mid_price)
        return 0

    cdef double _sigma(self, double mid_price) noexcept:
        if self._ewma is not None:
            if self._ewma.sample_count >= self._ewma.min_samples:
                return sqrt(self._ewma._variance_per_s())
        elif self._rolling.sample_count >= self._rolling.window:
            return sqrt(self._rolling._variance_per_s())
        return mid_price * self.fallback_sigma_bps * _BPS

    @cython.cdivision(True)  # session_ns >= 1 (checked in __init__); now_ns >= the end here
    cdef double _time_left_s(self, int64_t now_ns) noexcept:
        if self.session_end_ns == 0:
            self.session_end_ns = now_ns + self.session_ns
        if now_ns >= self.session_end_ns:
            self.session_end_ns += ((now_ns - self.session_end_ns) // self.session_ns + 1) * (
                self.session_ns
            )
        return (self.session_end_ns - now_ns) / _NS_PER_S

    cdef int _quote(
        self, OrderBook book, int64_t now_ns, int64_t position_lots, bint sample_mid
    ) except -1:
        cdef double mid_price = book._mid_price_ticks_x2() * 0.5 * self.tick_size
        cdef double sigma
        cdef double a_per_s
        cdef double k_per_price
        cdef double time_left_s = self._time_left_s(now_ns)
        cdef double inventory = position_lots * self.lot_size
        cdef double bid
        cdef double ask
        cdef int64_t missing_ticks
        cdef QuoteDepths depths
        if not (isfinite(mid_price) and mid_price > 0.0):
            raise ValueError(f"mid_price: expected a finite number > 0, got {mid_price!r}")
        if not isfinite(inventory):
            raise ValueError(f"position_lots: {position_lots} is not a finite inventory")
        if sample_mid:
            self._sample_mid(now_ns, mid_price)
        sigma = self._sigma(mid_price)
        if self.intensity.is_fitted:
            a_per_s = self.intensity.a_per_s
            k_per_price = self.intensity.k_per_price
        else:
            a_per_s = self.fallback_a_per_s
            k_per_price = self.fallback_k_per_bps / (mid_price * _BPS)
        if not (isfinite(sigma) and sigma >= 0.0):
            raise ValueError(f"sigma: expected a finite number >= 0, got {sigma!r}")
        if not (
            isfinite(a_per_s) and a_per_s > 0.0 and isfinite(k_per_price) and k_per_price > 0.0
        ):
            raise ValueError(
                f"intensity: expected finite A, k > 0, got A={a_per_s!r} k={k_per_price!r}"
            )
        depths = self.quoter._depths(inventory, sigma, a_per_s, k_per_price, time_left_s)
        bid = floor((mid_price - depths.bid_depth_price) / self.tick_size)
        ask = ceil((mid_price + depths.ask_depth_price) / self.tick_size)
        if not (bid < book.best_ask_price_ticks - 1):
            bid = book.best_ask_price_ticks - 1
        if not (ask > book.best_bid_price_ticks + 1):
            ask = book.best_bid_price_ticks + 1
        bid = max(bid, -_MAX_QUOTE_TICKS)
        ask = min(ask, _MAX_QUOTE_TICKS)
        self.bid_ticks = <int64_t>bid
        self.ask_ticks = <int64_t>ask
        missing_ticks = self.min_spread_ticks - (self.ask_ticks - self.bid_ticks)
        if missing_ticks > 0:
            self.bid_ticks -= (missing_ticks + 1) // 2
            self.ask_ticks += missing_ticks // 2
        return 0

    def quote(self, OrderBook book not None, int64_t now_ns, int64_t position_lots,
              bint sample_mid=True):
        """Compute the bid and ask for ``book`` into `bid_ticks` and `ask_ticks`.

        Parameters
        ----------
        book : OrderBook
            The quoted instrument's book.
        now_ns : int
            Clock time, UNIX ns (not before the last mid sample).
        position_lots : int
            Signed inventory, lots.
        sample_mid : bool
            Offer the mid to the volatility estimator first (True per book update; False when
            requoting after a fill).

        Returns
        -------
        bool
            False, quotes unchanged, when either side of the book is empty.

        Raises
        ------
        ValueError
            If the mid, sigma, the intensity or ``now_ns`` is out of range.
        """
        if not (book._has_bid() and book._has_ask()):
            return False
        self._quote(book, now_ns, position_lots, sample_mid)
        return True
