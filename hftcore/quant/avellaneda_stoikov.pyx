# cython: boundscheck=False, wraparound=False
"""Avellaneda-Stoikov market making: the estimators and the quote model a maker runs per update.

Everything here is in *price units* (quote currency per unit of base asset, e.g. USDT per BTC)
and *base units* (e.g. BTC), never ticks or lots: the strategy converts at the edges.

- `EwmaVolatility` / `RollingVolatility`: sigma of the mid price, price units per sqrt(second),
  as realized variance per second ``sum(dm**2) / sum(dt)`` over mid prices sampled at least
  ``sample_interval_ns`` apart (exponentially weighted, or over the last ``window`` returns).
- `TradeIntensityEstimator`: fits ``lambda(delta) = A * exp(-k * delta)``, the rate at which
  trades reach ``delta`` price units from the mid, from time-decayed counts of executed trades
  binned by their distance from the mid (weighted least squares of ``ln lambda`` on ``delta``).
- `AvellanedaStoikovQuoter`: bid and ask for an inventory, finite-horizon (Avellaneda and
  Stoikov 2008) or stationary (Gueant, Lehalle and Fernandez-Tapia 2013 closed form).

With the quote size Delta (``order_size``, base units) made explicit, as in Gueant (2017):

- finite horizon: ``r = s - q * gamma * sigma**2 * (T - t)`` and total spread
  ``gamma * sigma**2 * (T - t) * Delta + (2 / (gamma * Delta)) * ln(1 + gamma * Delta / k)``;
  with ``Delta = 1`` these are the textbook formulas.
- stationary: ``c1 = ln(1 + gamma * Delta / k) / (gamma * Delta)``,
  ``c2 = sqrt(gamma / (2 * A * Delta * k) * (1 + gamma * Delta / k) ** (k / (gamma * Delta) + 1))``;
  bid depth ``c1 + Delta / 2 * sigma * c2 + q * sigma * c2`` and ask depth
  ``c1 + Delta / 2 * sigma * c2 - q * sigma * c2``.
"""

from libc.math cimport NAN, exp, expm1, floor, isfinite, log, log1p, sqrt
from libc.stdint cimport int64_t
from libc.stdlib cimport calloc, free

cdef double _NS_PER_S = 1e9
cdef double _LN2 = 0.6931471805599453


# -- VOLATILITY --------------------------------------------------------------------------------

cdef class EwmaVolatility:
    """Exponentially weighted realized volatility of a price, per sqrt(second).

    The estimate is ``sqrt(S_move / S_time)`` where ``S_move`` is the exponentially weighted sum
    of squared price moves between samples and ``S_time`` the same sum of the time between them:
    an unbiased variance rate for a Brownian price however irregular the samples are. Prices
    closer than ``sample_interval_ns`` to the last sample are skipped, so book updates arriving
    microseconds apart do not turn the bid-ask bounce into volatility.

    Parameters
    ----------
    half_life_s : float
        Half-life of the weights, seconds of clock time (> 0).
    sample_interval_ns : int
        Minimum time between samples, ns (>= 0).
    min_samples : int
        Returns needed before `is_ready` (>= 1).

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """

    def __init__(self, double half_life_s=30.0, int64_t sample_interval_ns=100_000_000,
                 int64_t min_samples=20):
        _check_positive("half_life_s", half_life_s)
        if sample_interval_ns < 0:
            raise ValueError(f"sample_interval_ns: expected >= 0, got {sample_interval_ns}")
        if min_samples < 1:
            raise ValueError(f"min_samples: expected >= 1, got {min_samples}")
        self.half_life_s = half_life_s
        self.sample_interval_ns = sample_interval_ns
        self.min_samples = min_samples
        self._decay_per_s = _LN2 / half_life_s
        self.last_price = NAN

    cdef void _update(self, int64_t ts_ns, double price) noexcept nogil:
        cdef double dt_s
        cdef double weight
        cdef double move
        if self.last_ts_ns == 0:
            self.last_ts_ns = ts_ns
            self.last_price = price
            return
        if ts_ns - self.last_ts_ns < self.sample_interval_ns or ts_ns <= self.last_ts_ns:
            return
        dt_s = (ts_ns - self.last_ts_ns) / _NS_PER_S
        weight = exp(-self._decay_per_s * dt_s)
        move = price - self.last_price
        self._sum_sq_moves = weight * self._sum_sq_moves + move * move
        self._sum_dt_s = weight * self._sum_dt_s + dt_s
        self.sample_count += 1
        self.last_ts_ns = ts_ns
        self.last_price = price

    cdef double _variance_per_s(self) noexcept nogil:
        if self._sum_dt_s <= 0.0:
            return NAN
        return self._sum_sq_moves / self._sum_dt_s

    def update(self, int64_t ts_ns, double price):
        """Offer a price observed at ``ts_ns``; it is sampled if far enough from the last one.

        Parameters
        ----------
        ts_ns : int
            Clock time of the observation, UNIX ns (not before the last sample).
        price : float
            The price (e.g. the mid), price units, finite and > 0.

        Returns
        -------
        bool
            True when the price was taken as a new sample (or as the first price).

        Raises
        ------
        ValueError
            If ``price`` is not finite and positive or ``ts_ns`` is before the last sample.
        """
        cdef int64_t before = self.sample_count
        cdef bint is_first = self.last_ts_ns == 0
        _check_positive("price", price)
        if ts_ns < self.last_ts_ns:
            raise ValueError(f"ts_ns: {ts_ns} is before the last sample at {self.last_ts_ns}")
        self._update(ts_ns, price)
        return is_first or self.sample_count > before

    @property
    def variance_per_s(self):
        """float: Variance rate of the price, price units squared per second; NaN before the
        first return."""
        return self._variance_per_s()

    @property
    def sigma(self):
        """float: Volatility, price units per sqrt(second); NaN before the first return."""
        return sqrt(self._variance_per_s())

    @property
    def is_ready(self):
        """bool: True once ``min_samples`` returns were sampled."""
        return self.sample_count >= self.min_samples


cdef class RollingVolatility:
    """Realized volatility of a price over the last ``window`` sampled returns, per sqrt(second).

    ``sqrt(sum(dm**2) / sum(dt))`` over the window; samples as `EwmaVolatility` does. The sums
    are recomputed from the stored returns once per window so rounding never accumulates.

    Parameters
    ----------
    window : int
        Returns kept (>= 2).
    sample_interval_ns : int
        Minimum time between samples, ns (>= 0).

    Raises
    ------
    ValueError
        If a parameter is out of range.
    MemoryError
        If the window cannot be allocated.
    """

    def __cinit__(self, Py_ssize_t window=300, int64_t sample_interval_ns=100_000_000):
        if window < 2:
            raise ValueError(f"window: expected >= 2, got {window}")
        if sample_interval_ns < 0:
            raise ValueError(f"sample_interval_ns: expected >= 0, got {sample_interval_ns}")
        self._sq_moves = <double*>calloc(window, sizeof(double))
        self._dts_s = <double*>calloc(window, sizeof(double))
        if self._sq_moves == NULL or self._dts_s == NULL:
            raise MemoryError(f"window: cannot allocate {window} returns")
        self.window = window
        self.sample_interval_ns = sample_interval_ns
        self.last_price = NAN

    def __dealloc__(self):
        free(self._sq_moves)
        free(self._dts_s)

    cdef void _update(self, int64_t ts_ns, double price) noexcept nogil:
        cdef double dt_s
        cdef double move
        cdef Py_ssize_t i
        if self.last_ts_ns == 0:
            self.last_ts_ns = ts_ns
            self.last_price = price
            return
        if ts_ns - self.last_ts_ns < self.sample_interval_ns or ts_ns <= self.last_ts_ns:
            return
        dt_s = (ts_ns - self.last_ts_ns) / _NS_PER_S
        move = price - self.last_price
        self._sum_sq_moves += move * move - self._sq_moves[self._head]
        self._sum_dt_s += dt_s - self._dts_s[self._head]
        self._sq_moves[self._head] = move * move
        self._dts_s[self._head] = dt_s
        self._head += 1
        if self._head == self.window:
            self._head = 0
            self._sum_sq_moves = 0.0
            self._sum_dt_s = 0.0
            for i in range(self.window):
                self._sum_sq_moves += self._sq_moves[i]
                self._sum_dt_s += self._dts_s[i]
        self.sample_count += 1
        self.last_ts_ns = ts_ns
        self.last_price = price

    cdef double _variance_per_s(self) noexcept nogil:
        if self._sum_dt_s <= 0.0:
            return NAN
        return self._sum_sq_moves / self._sum_dt_s

    def update(self, int64_t ts_ns, double price):
        """Offer a price observed at ``ts_ns``; it is sampled if far enough from the last one.

        Parameters
        ----------
        ts_ns : int
            Clock time of the observation, UNIX ns (not before the last sample).
        price : float
            The price, price units, finite and > 0.

        Returns
        -------
        bool
            True when the price was taken as a new sample (or as the first price).

        Raises
        ------
        ValueError
            If ``price`` is not finite and positive or ``ts_ns`` is before the last sample.
        """
        cdef int64_t before = self.sample_count
        cdef bint is_first = self.last_ts_ns == 0
        _check_positive("price", price)
        if ts_ns < self.last_ts_ns:
            raise ValueError(f"ts_ns: {ts_ns} is before the last sample at {self.last_ts_ns}")
        self._update(ts_ns, price)
        return is_first or self.sample_count > before

    @property
    def variance_per_s(self):
        """float: Variance rate over the window, price units squared per second; NaN before
        the first return."""
        return self._variance_per_s()

    @property
    def sigma(self):
        """float: Volatility over the window, price units per sqrt(second); NaN before the
        first return."""
        return sqrt(self._variance_per_s())

    @property
    def is_ready(self):
        """bool: True once the window is full."""
        return self.sample_count >= self.window


# -- ORDER ARRIVAL INTENSITY -------------------------------------------------------------------

cdef class TradeIntensityEstimator:
    """Online fit of the trade arrival intensity ``lambda(delta) = A * exp(-k * delta)``.

    Each executed trade is binned by its distance ``delta`` from the mid just before it (price
    units). A resting order ``delta`` away from the mid is reached by every trade at least that
    deep, so the rate at depth ``delta_i = i * bin_width_price`` is the tail count of bins
    ``>= i`` divided by the observation time. Counts decay with ``half_life_s`` and the
    observation time is the matching effective window ``(1 - exp(-lambda * t)) / lambda``. The
    fit is weighted least squares of ``ln rate_i`` on ``delta_i`` (weights: the tail counts, the
    inverse variance of a Poisson log count) over bins whose tail count reaches
    ``min_bin_count``; it needs `MIN_FIT_BINS` such bins and a decaying slope (k > 0).

    Parameters
    ----------
    bin_width_price : float
        Width of a depth bin, price units (> 0); one or two ticks is typical.
    bin_count : int
        Number of bins (>= 3); trades deeper than the last bin's start count in it.
    half_life_s : float
        Half-life of the counts, seconds (> 0).
    min_bin_count : float
        Decayed tail count a bin needs to enter the fit (> 0).

    Raises
    ------
    ValueError
        If a parameter is out of range.
    MemoryError
        If the bins cannot be allocated.
    """

    def __cinit__(self, double bin_width_price, Py_ssize_t bin_count=20,
                  double half_life_s=300.0, double min_bin_count=2.0):
        _check_positive("bin_width_price", bin_width_price)
        _check_positive("half_life_s", half_life_s)
        _check_positive("min_bin_count", min_bin_count)
        if bin_count < MIN_FIT_BINS:
            raise ValueError(f"bin_count: expected >= {MIN_FIT_BINS}, got {bin_count}")
        self._counts = <double*>calloc(bin_count, sizeof(double))
        if self._counts == NULL:
            raise MemoryError(f"bin_count: cannot allocate {bin_count} bins")
        self.bin_count = bin_count
        self.bin_width_price = bin_width_price
        self.half_life_s = half_life_s
        self.min_bin_count = min_bin_count
        self._decay_per_s = _LN2 / half_life_s
        self.a_per_s = NAN
        self.k_per_price = NAN

    def __dealloc__(self):
        free(self._counts)

    cdef void _decay_to(self, int64_t ts_ns) noexcept nogil:
        cdef double factor
        cdef Py_ssize_t i
        if self.last_ts_ns == 0 or ts_ns <= self.last_ts_ns:
            return
        factor = exp(-self._decay_per_s * (ts_ns - self.last_ts_ns) / _NS_PER_S)
        for i in range(self.bin_count):
            self._counts[i] *= factor
        self.last_ts_ns = ts_ns

    cdef void _add_trade(self, int64_t ts_ns, double depth_price) noexcept nogil:
        cdef double position = floor(depth_price / self.bin_width_price)
        cdef Py_ssize_t index = self.bin_count - 1
        if position < index:
            index = <Py_ssize_t>position
        self._decay_to(ts_ns)
        if self.first_ts_ns == 0:
            self.first_ts_ns = ts_ns
            self.last_ts_ns = ts_ns
        self._counts[index] += 1.0
        self.trade_count += 1

    cdef bint _fit(self, int64_t ts_ns) noexcept nogil:
        cdef double window_s
        cdef double tail = 0.0
        cdef double weight
        cdef double x
        cdef double y
        cdef double sum_w = 0.0
        cdef double sum_x = 0.0
        cdef double sum_y = 0.0
        cdef double sum_xx = 0.0
        cdef double sum_xy = 0.0
        cdef double denominator
        cdef double slope
        cdef double intercept
        cdef Py_ssize_t points = 0
        cdef Py_ssize_t i
        if self.first_ts_ns == 0 or ts_ns <= self.first_ts_ns:
            return False
        self._decay_to(ts_ns)
        window_s = -expm1(-self._decay_per_s * (ts_ns - self.first_ts_ns) / _NS_PER_S)
        window_s /= self._decay_per_s
        for i in range(self.bin_count - 1, -1, -1):
            tail += self._counts[i]
            if tail < self.min_bin_count:
                continue
            weight = tail
            x = i * self.bin_width_price
            y = log(tail / window_s)
            sum_w += weight
            sum_x += weight * x
            sum_y += weight * y
            sum_xx += weight * x * x
            sum_xy += weight * x * y
            points += 1
        if points < MIN_FIT_BINS:
            return False
        denominator = sum_w * sum_xx - sum_x * sum_x
        if denominator <= 0.0:
            return False
        slope = (sum_w * sum_xy - sum_x * sum_y) / denominator
        intercept = (sum_y - slope * sum_x) / sum_w
        if not (slope < 0.0 and isfinite(slope) and isfinite(intercept)):
            return False
        self.k_per_price = -slope
        self.a_per_s = exp(intercept)
        self.is_fitted = True
        return True

    def add_trade(self, int64_t ts_ns, double depth_price):
        """Record a trade executed ``depth_price`` away from the mid at ``ts_ns``.

        Parameters
        ----------
        ts_ns : int
            Clock time of the trade, UNIX ns (not before the last one recorded).
        depth_price : float
            ``|trade price - mid|`` just before the trade, price units (>= 0).

        Raises
        ------
        ValueError
            If ``depth_price`` is negative or not finite, or ``ts_ns`` goes back in time.
        """
        _check_non_negative("depth_price", depth_price)
        if ts_ns <= 0:
            raise ValueError(f"ts_ns: expected > 0, got {ts_ns}")
        if ts_ns < self.last_ts_ns:
            raise ValueError(f"ts_ns: {ts_ns} is before the last trade at {self.last_ts_ns}")
        self._add_trade(ts_ns, depth_price)

    def fit(self, int64_t ts_ns):
        """Refit A and k on the counts decayed to ``ts_ns``.

        Parameters
        ----------
        ts_ns : int
            Clock time of the fit, UNIX ns (not before the last trade).

        Returns
        -------
        bool
            True when the fit succeeded and `a_per_s`/`k_per_price` were updated; False (the
            previous values kept) with too few populated bins or a non-decaying slope.

        Raises
        ------
        ValueError
            If ``ts_ns`` is before the last trade.
        """
        if ts_ns < self.last_ts_ns:
            raise ValueError(f"ts_ns: {ts_ns} is before the last trade at {self.last_ts_ns}")
        return self._fit(ts_ns)

    def intensity(self, double depth_price):
        """Return the fitted arrival rate ``A * exp(-k * depth_price)``, per second.

        Parameters
        ----------
        depth_price : float
            Distance from the mid, price units (>= 0).

        Returns
        -------
        float
            NaN until a fit succeeded.

        Raises
        ------
        ValueError
            If ``depth_price`` is negative or not finite.
        """
        _check_non_negative("depth_price", depth_price)
        return self.a_per_s * exp(-self.k_per_price * depth_price)

    def bin_counts(self):
        """Return the decayed trade count of each bin, shallowest first.

        Returns
        -------
        list of float
        """
        return [self._counts[i] for i in range(self.bin_count)]


# -- QUOTES ------------------------------------------------------------------------------------

cdef double reservation_price_c(
    double mid_price, double inventory, double gamma, double sigma, double time_left_s
) noexcept nogil:
    return mid_price - inventory * gamma * sigma * sigma * time_left_s


cdef double optimal_spread_c(
    double gamma, double sigma, double time_left_s, double k_per_price, double order_size
) noexcept nogil:
    cdef double risk = gamma * order_size
    return risk * sigma * sigma * time_left_s + 2.0 / risk * log1p(risk / k_per_price)


cdef QuoteDepths finite_horizon_depths_c(
    double inventory,
    double gamma,
    double sigma,
    double time_left_s,
    double k_per_price,
    double order_size,
) noexcept nogil:
    cdef double half_spread = 0.5 * optimal_spread_c(
        gamma, sigma, time_left_s, k_per_price, order_size
    )
    cdef double shift = inventory * gamma * sigma * sigma * time_left_s
    cdef QuoteDepths depths
    depths.bid_depth_price = half_spread + shift
    depths.ask_depth_price = half_spread - shift
    return depths


cdef QuoteDepths glft_depths_c(
    double inventory,
    double gamma,
    double sigma,
    double a_per_s,
    double k_per_price,
    double order_size,
) noexcept nogil:
    cdef double risk = gamma * order_size
    cdef double ratio = risk / k_per_price
    cdef double c1 = log1p(ratio) / risk
    cdef double c2 = sqrt(
        gamma / (2.0 * a_per_s * order_size * k_per_price) * exp((1.0 / ratio + 1.0) * log1p(ratio))
    )
    cdef double half_spread = c1 + 0.5 * order_size * sigma * c2
    cdef double skew = sigma * c2 * inventory
    cdef QuoteDepths depths
    depths.bid_depth_price = half_spread + skew
    depths.ask_depth_price = half_spread - skew
    return depths


cdef int _check_positive(str field, double value) except -1:
    if not (isfinite(value) and value > 0.0):
        raise ValueError(f"{field}: expected a finite number > 0, got {value!r}")
    return 0


cdef int _check_non_negative(str field, double value) except -1:
    if not (isfinite(value) and value >= 0.0):
        raise ValueError(f"{field}: expected a finite number >= 0, got {value!r}")
    return 0


cdef int _check_finite(str field, double value) except -1:
    if not isfinite(value):
        raise ValueError(f"{field}: expected a finite number, got {value!r}")
    return 0


def reservation_price(double mid_price, double inventory, double gamma, double sigma,
                      double time_left_s):
    """Return the Avellaneda-Stoikov reservation price ``s - q * gamma * sigma**2 * (T - t)``.

    Parameters
    ----------
    mid_price : float
        Mid price s, price units.
    inventory : float
        Signed inventory q, base units (long > 0).
    gamma : float
        Risk aversion (> 0), per quote-currency unit of wealth.
    sigma : float
        Volatility, price units per sqrt(second) (>= 0).
    time_left_s : float
        Time to the horizon T - t, seconds (>= 0).

    Returns
    -------
    float
        Price units.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    _check_finite("mid_price", mid_price)
    _check_finite("inventory", inventory)
    _check_positive("gamma", gamma)
    _check_non_negative("sigma", sigma)
    _check_non_negative("time_left_s", time_left_s)
    return reservation_price_c(mid_price, inventory, gamma, sigma, time_left_s)


def optimal_spread(double gamma, double sigma, double time_left_s, double k_per_price,
                   double order_size=1.0):
    """Return the total optimal spread ``g*s**2*(T-t)*D + 2/(g*D) * ln(1 + g*D/k)``.

    With ``order_size`` D = 1 this is the Avellaneda-Stoikov spread
    ``gamma * sigma**2 * (T - t) + (2 / gamma) * ln(1 + gamma / k)``.

    Parameters
    ----------
    gamma : float
        Risk aversion (> 0).
    sigma : float
        Volatility, price units per sqrt(second) (>= 0).
    time_left_s : float
        Time to the horizon, seconds (>= 0).
    k_per_price : float
        Intensity decay k (> 0), per price unit.
    order_size : float
        Quote size, base units (> 0).

    Returns
    -------
    float
        Bid-to-ask distance, price units.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    _check_positive("gamma", gamma)
    _check_non_negative("sigma", sigma)
    _check_non_negative("time_left_s", time_left_s)
    _check_positive("k_per_price", k_per_price)
    _check_positive("order_size", order_size)
    return optimal_spread_c(gamma, sigma, time_left_s, k_per_price, order_size)


def glft_depths(double inventory, double gamma, double sigma, double a_per_s,
                double k_per_price, double order_size=1.0):
    """Return the stationary (Gueant-Lehalle-Fernandez-Tapia) bid and ask depths.

    Parameters
    ----------
    inventory : float
        Signed inventory q, base units.
    gamma : float
        Risk aversion (> 0).
    sigma : float
        Volatility, price units per sqrt(second) (>= 0).
    a_per_s : float
        Intensity scale A (> 0), trades per second at depth 0.
    k_per_price : float
        Intensity decay k (> 0), per price unit.
    order_size : float
        Quote size Delta, base units (> 0).

    Returns
    -------
    bid_depth_price : float
        Distance of the bid below the mid, price units.
    ask_depth_price : float
        Distance of the ask above the mid, price units.

    Raises
    ------
    ValueError
        If an argument is out of range.
    """
    _check_finite("inventory", inventory)
    _check_positive("gamma", gamma)
    _check_non_negative("sigma", sigma)
    _check_positive("a_per_s", a_per_s)
    _check_positive("k_per_price", k_per_price)
    _check_positive("order_size", order_size)
    cdef QuoteDepths depths = glft_depths_c(
        inventory, gamma, sigma, a_per_s, k_per_price, order_size
    )
    return depths.bid_depth_price, depths.ask_depth_price


cdef class AvellanedaStoikovQuoter:
    """Bid and ask prices of an Avellaneda-Stoikov market maker for a given state.

    Parameters
    ----------
    mode : HorizonMode
        FINITE: reservation price and spread with the time left to the session end T;
        INFINITE: the stationary closed form, which ignores the time left.
    gamma : float
        Risk aversion (> 0), per quote-currency unit of wealth.
    order_size : float
        Size of one quote Delta, base units (> 0).

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """

    def __init__(self, HorizonMode mode, double gamma, double order_size):
        if mode != HorizonMode.FINITE and mode != HorizonMode.INFINITE:
            raise ValueError(f"mode: expected FINITE or INFINITE, got {mode!r}")
        _check_positive("gamma", gamma)
        _check_positive("order_size", order_size)
        self.mode = mode
        self.gamma = gamma
        self.order_size = order_size

    cdef QuoteDepths _depths(
        self, double inventory, double sigma, double a_per_s, double k_per_price, double time_left_s
    ) noexcept nogil:
        if self.mode == HorizonMode.FINITE:
            return finite_horizon_depths_c(
                inventory, self.gamma, sigma, time_left_s, k_per_price, self.order_size
            )
        return glft_depths_c(inventory, self.gamma, sigma, a_per_s, k_per_price, self.order_size)

    def quote(self, double mid_price, double inventory, double sigma, double a_per_s,
              double k_per_price, double time_left_s):
        """Return the optimal bid and ask prices.

        Parameters
        ----------
        mid_price : float
            Mid price, price units (> 0).
        inventory : float
            Signed inventory, base units.
        sigma : float
            Volatility, price units per sqrt(second) (>= 0).
        a_per_s : float
            Intensity scale A (> 0); used by INFINITE only.
        k_per_price : float
            Intensity decay k (> 0), per price unit.
        time_left_s : float
            Time to the session end, seconds (>= 0); used by FINITE only.

        Returns
        -------
        bid_price : float
            Price units; ``mid - bid depth``.
        ask_price : float
            Price units; ``mid + ask depth``.

        Raises
        ------
        ValueError
            If an argument is out of range.
        """
        _check_positive("mid_price", mid_price)
        _check_finite("inventory", inventory)
        _check_non_negative("sigma", sigma)
        _check_positive("a_per_s", a_per_s)
        _check_positive("k_per_price", k_per_price)
        _check_non_negative("time_left_s", time_left_s)
        cdef QuoteDepths depths = self._depths(inventory, sigma, a_per_s, k_per_price, time_left_s)
        return mid_price - depths.bid_depth_price, mid_price + depths.ask_depth_price

    def __repr__(self):
        return (
            f"AvellanedaStoikovQuoter(mode={HorizonMode(self.mode).name}, gamma={self.gamma!r}, "
            f"order_size={self.order_size!r})"
        )
