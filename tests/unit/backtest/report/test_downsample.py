import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backtest.report.downsample import downsample_min_max


def series(count):
    x = np.arange(count, dtype=np.int64) * 1_000_000_000
    y = np.sin(np.arange(count) / 50.0)
    return x, y


def test_a_series_that_fits_is_returned_unchanged():
    x, y = series(100)
    out_x, out_y = downsample_min_max(x, y, 2000)
    assert out_x is x
    assert out_y is y


def test_a_long_series_shrinks_to_at_most_max_points():
    x, y = series(100_000)
    out_x, _ = downsample_min_max(x, y, 2000)
    assert 1000 < len(out_x) <= 2000


def test_a_single_spike_survives():
    x, y = series(100_000)
    y[54_321] = 50.0
    _, out_y = downsample_min_max(x, y, 2000)
    assert out_y.max() == 50.0


def test_a_single_trough_survives():
    x, y = series(100_000)
    y[777] = -50.0
    _, out_y = downsample_min_max(x, y, 2000)
    assert out_y.min() == -50.0


def test_the_first_and_last_points_survive():
    x, y = series(100_000)
    out_x, _ = downsample_min_max(x, y, 2000)
    assert (out_x[0], out_x[-1]) == (x[0], x[-1])


def test_a_gap_wider_than_a_bucket_stays_a_gap():
    x, y = series(100_000)
    y[40_000:60_000] = np.nan
    out_x, out_y = downsample_min_max(x, y, 2000)
    gap = (out_x >= x[40_000]) & (out_x < x[60_000])
    assert gap.any()
    assert np.isnan(out_y[gap]).all()


def test_points_stay_in_time_order():
    x, y = series(50_000)
    out_x, _ = downsample_min_max(x, y, 400)
    assert np.all(np.diff(out_x) > 0)


def test_max_points_below_one_bucket_is_refused():
    x, y = series(10)
    with pytest.raises(ValueError, match="max_points: expected at least 4, got 3"):
        downsample_min_max(x, y, 3)


def test_arrays_of_different_length_are_refused():
    with pytest.raises(ValueError, match="y: expected 3 values"):
        downsample_min_max(np.arange(3), np.arange(2.0), 100)


@given(
    arrays(np.float64, st.integers(1, 3000), elements=st.floats(-1e9, 1e9)),
    st.integers(4, 500),
)
def test_extremes_survive_and_the_point_budget_holds(y, max_points):
    x = np.cumsum(np.ones(len(y), dtype=np.int64))
    out_x, out_y = downsample_min_max(x, y, max_points)
    assert len(out_x) <= max_points
    assert (out_y.min(), out_y.max()) == (y.min(), y.max())
