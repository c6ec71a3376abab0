"""Shrink a long time series for a chart without losing its extremes (M4 downsampling).

The time range is cut into equal buckets, narrower than a pixel of the chart; each bucket keeps
its first, minimum, maximum and last finite point, so spikes, drawdown troughs and the line's
ends survive. A bucket holding only NaN keeps one NaN point, so a gap (no quote) stays a gap.
"""

import numpy as np

POINTS_PER_BUCKET = 4
"""First, minimum, maximum and last point of each bucket."""


def downsample_min_max(
    x: np.ndarray, y: np.ndarray, max_points: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return at most ``max_points`` points of ``(x, y)`` keeping each bucket's extremes.

    Parameters
    ----------
    x : numpy.ndarray
        Sample times (any numeric unit), sorted ascending.
    y : numpy.ndarray
        Values, float64; NaN marks a gap.
    max_points : int
        Largest number of points to return; at least `POINTS_PER_BUCKET`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(x, y)`` subsets in time order; the inputs themselves when they fit.

    Raises
    ------
    ValueError
        If ``max_points`` is below `POINTS_PER_BUCKET` or the arrays differ in length.
    """
    if max_points < POINTS_PER_BUCKET:
        raise ValueError(f"max_points: expected at least {POINTS_PER_BUCKET}, got {max_points}")
    if len(x) != len(y):
        raise ValueError(f"y: expected {len(x)} values (one per x), got {len(y)}")
    count = len(x)
    if count <= max_points:
        return x, y
    bucket = _bucket_of_each_point(np.asarray(x, dtype=np.float64), max_points // POINTS_PER_BUCKET)
    y = np.asarray(y, dtype=np.float64)
    keep = np.zeros(count, dtype=bool)
    finite = np.flatnonzero(np.isfinite(y))
    if len(finite):
        finite_bucket = bucket[finite]
        starts = _run_starts(finite_bucket)
        ends = np.append(starts[1:], len(finite)) - 1
        keep[finite[starts]] = True
        keep[finite[ends]] = True
        by_value = finite[np.lexsort((y[finite], finite_bucket))]
        keep[by_value[starts]] = True
        keep[by_value[ends]] = True
    bucket_starts = _run_starts(bucket)
    gap_buckets = np.setdiff1d(bucket[bucket_starts], bucket[finite], assume_unique=False)
    keep[bucket_starts[np.isin(bucket[bucket_starts], gap_buckets)]] = True
    return x[keep], y[keep]


def _bucket_of_each_point(x: np.ndarray, bucket_count: int) -> np.ndarray:
    span = x[-1] - x[0]
    if span <= 0:
        return (np.arange(len(x)) * bucket_count) // len(x)
    position = (x - x[0]) / span * bucket_count
    return np.minimum(position.astype(np.int64), bucket_count - 1)


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
