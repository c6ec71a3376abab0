"""Performance statistics of a run, as pure functions of numpy arrays.

Every function returns a plain ``float`` (or ``None`` where the statistic is undefined, e.g. a
ratio over zero deviation), never NaN or infinity, so results go into JSON unchanged.
docs/reports.md defines each statistic; the tests compute each by hand.
"""

import math

import numpy as np

RETURNS_INTERVAL_NS = 60_000_000_000
"""Interval equity is resampled to before computing returns for Sharpe and Sortino: 1 minute."""

YEAR_NS = 365 * 24 * 3600 * 1_000_000_000
"""One year of 24/7 crypto trading (365 days, no closed sessions), ns."""


def periods_per_year(interval_ns: int) -> float:
    """Return how many return intervals of ``interval_ns`` a 24/7 year holds.

    Parameters
    ----------
    interval_ns : int
        Return interval, ns; positive.

    Returns
    -------
    float
        ``YEAR_NS / interval_ns``: 525,600 for 1-minute returns.

    Raises
    ------
    ValueError
        If ``interval_ns`` is not positive.
    """
    if interval_ns <= 0:
        raise ValueError(f"interval_ns: expected a positive interval, got {interval_ns}")
    return YEAR_NS / interval_ns


def resample_last(ts_ns: np.ndarray, values: np.ndarray, interval_ns: int) -> np.ndarray:
    """Sample a time series on a fixed grid, taking the last value at or before each grid time.

    The grid is ``ts_ns[0] + k * interval_ns`` for ``k = 0, 1, ...`` up to the last grid time
    not after ``ts_ns[-1]``; a partial interval at the end is dropped.

    Parameters
    ----------
    ts_ns : numpy.ndarray
        Sample times, int64 UNIX ns, sorted ascending.
    values : numpy.ndarray
        Value at each sample time, float64.
    interval_ns : int
        Grid spacing, ns; positive.

    Returns
    -------
    numpy.ndarray
        float64 value at each grid time; empty when ``ts_ns`` is empty.

    Raises
    ------
    ValueError
        If ``interval_ns`` is not positive or the arrays differ in length.
    """
    if interval_ns <= 0:
        raise ValueError(f"interval_ns: expected a positive interval, got {interval_ns}")
    if len(ts_ns) != len(values):
        raise ValueError(
            f"values: expected one value per time ({len(ts_ns)}), got {len(values)} values"
        )
    if len(ts_ns) == 0:
        return np.empty(0, dtype=np.float64)
    ts_ns = np.asarray(ts_ns, dtype=np.int64)
    grid_count = int((ts_ns[-1] - ts_ns[0]) // interval_ns) + 1
    grid_ns = ts_ns[0] + np.arange(grid_count, dtype=np.int64) * interval_ns
    last_index = np.searchsorted(ts_ns, grid_ns, side="right") - 1
    return np.asarray(values, dtype=np.float64)[last_index]


def simple_returns(equity: np.ndarray) -> np.ndarray:
    """Return the simple returns ``equity[i] / equity[i - 1] - 1`` of a sampled equity curve.

    Parameters
    ----------
    equity : numpy.ndarray
        Equity at consecutive grid times, float64.

    Returns
    -------
    numpy.ndarray
        ``len(equity) - 1`` returns (empty for fewer than two samples); NaN where the previous
        equity is not positive, since a return on a non-positive base is undefined.
    """
    equity = np.asarray(equity, dtype=np.float64)
    if len(equity) < 2:
        return np.empty(0, dtype=np.float64)
    previous = equity[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        returns = np.diff(equity) / previous
    returns[previous <= 0] = np.nan
    return returns


def sharpe_ratio(returns: np.ndarray, periods_per_year: float) -> float | None:
    """Return the annualized Sharpe ratio of per-interval returns (risk-free rate 0).

    ``mean(returns) / std(returns, ddof=1) * sqrt(periods_per_year)``.

    Parameters
    ----------
    returns : numpy.ndarray
        Simple returns over equal intervals.
    periods_per_year : float
        Intervals per year, e.g. ``periods_per_year(RETURNS_INTERVAL_NS)``.

    Returns
    -------
    float or None
        None when undefined: fewer than two returns, any NaN return, or zero standard deviation
        (a flat equity curve).
    """
    returns = np.asarray(returns, dtype=np.float64)
    if len(returns) < 2 or not np.all(np.isfinite(returns)):
        return None
    deviation = float(np.std(returns, ddof=1))
    if deviation == 0.0:
        return None
    return _finite_or_none(float(np.mean(returns)) / deviation * math.sqrt(periods_per_year))


def sortino_ratio(returns: np.ndarray, periods_per_year: float) -> float | None:
    """Return the annualized Sortino ratio of per-interval returns (target return 0).

    ``mean(returns) / downside_deviation * sqrt(periods_per_year)`` with
    ``downside_deviation = sqrt(mean(min(returns, 0) ** 2))`` over all returns.

    Parameters
    ----------
    returns : numpy.ndarray
        Simple returns over equal intervals.
    periods_per_year : float
        Intervals per year, e.g. ``periods_per_year(RETURNS_INTERVAL_NS)``.

    Returns
    -------
    float or None
        None when undefined: fewer than two returns, any NaN return, or no negative return
        (zero downside deviation).
    """
    returns = np.asarray(returns, dtype=np.float64)
    if len(returns) < 2 or not np.all(np.isfinite(returns)):
        return None
    downside = float(np.sqrt(np.mean(np.minimum(returns, 0.0) ** 2)))
    if downside == 0.0:
        return None
    return _finite_or_none(float(np.mean(returns)) / downside * math.sqrt(periods_per_year))


def drawdown_series(equity: np.ndarray) -> np.ndarray:
    """Return the drawdown of each equity sample as a fraction of the running peak.

    ``(peak[i] - equity[i]) / peak[i]`` with ``peak[i] = max(equity[:i + 1])``.

    Parameters
    ----------
    equity : numpy.ndarray
        Equity samples in time order, float64.

    Returns
    -------
    numpy.ndarray
        Drawdown per sample, ``>= 0`` (0 at a new peak); NaN where the peak is not positive.
    """
    equity = np.asarray(equity, dtype=np.float64)
    if len(equity) == 0:
        return np.empty(0, dtype=np.float64)
    peak = np.maximum.accumulate(equity)
    with np.errstate(divide="ignore", invalid="ignore"):
        drawdown = (peak - equity) / peak
    drawdown[peak <= 0] = np.nan
    return drawdown


def max_drawdown(equity: np.ndarray) -> float | None:
    """Return the largest drawdown of an equity curve as a fraction of the running peak.

    Parameters
    ----------
    equity : numpy.ndarray
        Equity samples in time order, float64.

    Returns
    -------
    float or None
        ``max(drawdown_series(equity))`` in ``[0, 1]`` for positive equity (0.25 means equity
        fell 25 % below its peak); None without samples or when a peak is not positive.
    """
    drawdown = drawdown_series(equity)
    if len(drawdown) == 0 or not np.all(np.isfinite(drawdown)):
        return None
    return float(np.max(drawdown))


def total_return(pnl: float, initial_equity: float) -> float | None:
    """Return ``pnl / initial_equity``.

    Parameters
    ----------
    pnl : float
        Final equity minus initial equity, quote currency.
    initial_equity : float
        Equity at the start, quote currency.

    Returns
    -------
    float or None
        The fractional return (0.01 is +1 %); None when ``initial_equity`` is not positive.
    """
    if not initial_equity > 0:
        return None
    return _finite_or_none(pnl / initial_equity)


def ratio(numerator: float, denominator: float) -> float | None:
    """Return ``numerator / denominator``, or None when the denominator is zero.

    Parameters
    ----------
    numerator, denominator : float
        E.g. filled orders and orders.

    Returns
    -------
    float or None
        The ratio; None for a zero denominator.
    """
    if denominator == 0:
        return None
    return _finite_or_none(numerator / denominator)


def spread_captured_bps(is_buy: np.ndarray, price: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """Return the signed distance of each fill price from the mid, in basis points of the mid.

    ``(mid - price) / mid * 10_000`` for a buy and ``(price - mid) / mid * 10_000`` for a sell:
    positive when the fill is on the favourable side of the mid (bought below, sold above).

    Parameters
    ----------
    is_buy : numpy.ndarray
        True for a buy fill, bool.
    price : numpy.ndarray
        Fill prices, float64.
    mid : numpy.ndarray
        Mid price when each fill happened, float64 (NaN where unknown).

    Returns
    -------
    numpy.ndarray
        float64 bps per fill; NaN where the mid is unknown or not positive.
    """
    price = np.asarray(price, dtype=np.float64)
    mid = np.asarray(mid, dtype=np.float64)
    sign = np.where(np.asarray(is_buy, dtype=bool), 1.0, -1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        captured = sign * (mid - price) / mid * 10_000.0
    captured[~(mid > 0)] = np.nan
    return captured


def finite_mean(values: np.ndarray) -> float | None:
    """Return the mean of the finite values.

    Parameters
    ----------
    values : numpy.ndarray
        float64 values; NaN and infinities are skipped.

    Returns
    -------
    float or None
        The mean; None when no value is finite.
    """
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return None
    return float(np.mean(finite))


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
