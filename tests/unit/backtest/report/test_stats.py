import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backtest.report import stats

S = 1_000_000_000
MINUTE = 60 * S


# -- RESAMPLING AND RETURNS --


def test_resample_last_takes_the_sample_at_each_grid_time():
    ts = np.array([0, 30, 60, 90, 120]) * S
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert stats.resample_last(ts, values, MINUTE).tolist() == [1.0, 3.0, 5.0]


def test_resample_last_carries_the_last_sample_forward_over_a_gap():
    ts = np.array([0, 50, 180]) * S
    values = np.array([1.0, 2.0, 3.0])
    assert stats.resample_last(ts, values, MINUTE).tolist() == [1.0, 2.0, 2.0, 3.0]


def test_resample_last_drops_a_partial_interval_at_the_end():
    ts = np.array([0, 60, 100]) * S
    values = np.array([1.0, 2.0, 3.0])
    assert stats.resample_last(ts, values, MINUTE).tolist() == [1.0, 2.0]


def test_resample_last_of_no_samples_is_empty():
    assert stats.resample_last(np.array([], dtype=np.int64), np.array([]), MINUTE).size == 0


def test_resample_last_refuses_a_zero_interval():
    with pytest.raises(ValueError, match="interval_ns: expected a positive interval, got 0"):
        stats.resample_last(np.array([0]), np.array([1.0]), 0)


def test_simple_returns_divide_each_change_by_the_previous_equity():
    returns = stats.simple_returns(np.array([100.0, 110.0, 99.0]))
    assert returns == pytest.approx([0.10, -0.10])


def test_simple_returns_of_one_sample_are_empty():
    assert stats.simple_returns(np.array([100.0])).size == 0


def test_simple_returns_on_a_non_positive_base_are_nan():
    returns = stats.simple_returns(np.array([0.0, 10.0, 11.0]))
    assert math.isnan(returns[0])
    assert returns[1] == pytest.approx(0.1)


def test_periods_per_year_of_one_minute_is_525600():
    assert stats.periods_per_year(stats.RETURNS_INTERVAL_NS) == 525_600


# -- SHARPE AND SORTINO --


def test_sharpe_is_mean_over_sample_stdev():
    # mean 0.01; deviations 0, -0.02, 0.02; variance 0.0008 / 2; stdev 0.02
    assert stats.sharpe_ratio(np.array([0.01, -0.01, 0.03]), 1) == pytest.approx(0.5)


def test_sharpe_is_annualized_by_the_root_of_periods_per_year():
    returns = np.array([0.01, -0.01, 0.03])
    assert stats.sharpe_ratio(returns, 525_600) == pytest.approx(0.5 * math.sqrt(525_600))


def test_sharpe_of_flat_equity_is_none():
    assert stats.sharpe_ratio(np.zeros(10), 525_600) is None


def test_sharpe_of_one_return_is_none():
    assert stats.sharpe_ratio(np.array([0.01]), 525_600) is None


def test_sharpe_with_a_nan_return_is_none():
    assert stats.sharpe_ratio(np.array([0.01, np.nan, 0.02]), 525_600) is None


def test_sortino_divides_by_the_downside_deviation_over_all_returns():
    # downside squares 0, 0.0001, 0 -> mean 0.0001 / 3; mean return 0.01 -> sqrt(3)
    assert stats.sortino_ratio(np.array([0.01, -0.01, 0.03]), 1) == pytest.approx(math.sqrt(3))


def test_sortino_is_annualized_by_the_root_of_periods_per_year():
    returns = np.array([0.01, -0.01, 0.03])
    assert stats.sortino_ratio(returns, 4) == pytest.approx(2 * math.sqrt(3))


def test_sortino_without_a_losing_interval_is_none():
    assert stats.sortino_ratio(np.array([0.01, 0.0, 0.02]), 525_600) is None


def test_sortino_of_flat_equity_is_none():
    assert stats.sortino_ratio(np.zeros(10), 525_600) is None


def test_sortino_of_one_return_is_none():
    assert stats.sortino_ratio(np.array([-0.01]), 525_600) is None


# -- DRAWDOWN --


def test_drawdown_series_is_the_fall_below_the_running_peak():
    drawdown = stats.drawdown_series(np.array([100.0, 120.0, 90.0, 130.0, 104.0]))
    assert drawdown == pytest.approx([0.0, 0.0, 0.25, 0.0, 0.2])


def test_max_drawdown_is_the_largest_fraction_below_a_peak():
    assert stats.max_drawdown(np.array([100.0, 120.0, 90.0, 130.0, 104.0])) == pytest.approx(0.25)


def test_max_drawdown_of_rising_equity_is_zero():
    assert stats.max_drawdown(np.array([100.0, 101.0, 102.0])) == 0.0


def test_max_drawdown_of_flat_equity_is_zero():
    assert stats.max_drawdown(np.full(5, 100.0)) == 0.0


def test_max_drawdown_without_samples_is_none():
    assert stats.max_drawdown(np.array([])) is None


def test_max_drawdown_below_a_non_positive_peak_is_none():
    assert stats.max_drawdown(np.array([-5.0, -10.0])) is None


@given(arrays(np.float64, st.integers(1, 50), elements=st.floats(1.0, 1e6)))
def test_max_drawdown_of_positive_equity_is_between_zero_and_one(equity):
    assert 0.0 <= stats.max_drawdown(equity) < 1.0


# -- RETURN, RATIOS, SPREAD CAPTURED --


def test_total_return_is_pnl_over_initial_equity():
    assert stats.total_return(250.0, 10_000.0) == pytest.approx(0.025)


def test_total_return_without_positive_initial_equity_is_none():
    assert stats.total_return(250.0, 0.0) is None


def test_ratio_of_filled_orders_to_orders():
    assert stats.ratio(3, 12) == pytest.approx(0.25)


def test_ratio_over_zero_is_none():
    assert stats.ratio(0, 0) is None


def test_spread_captured_is_positive_for_a_buy_below_mid_and_a_sell_above():
    captured = stats.spread_captured_bps(
        np.array([True, False]), np.array([99.99, 100.02]), np.array([100.0, 100.0])
    )
    assert captured == pytest.approx([1.0, 2.0])


def test_spread_captured_is_negative_for_a_buy_above_mid():
    captured = stats.spread_captured_bps(np.array([True]), np.array([100.05]), np.array([100.0]))
    assert captured == pytest.approx([-5.0])


def test_spread_captured_without_a_mid_is_nan():
    captured = stats.spread_captured_bps(np.array([True]), np.array([100.0]), np.array([np.nan]))
    assert math.isnan(captured[0])


def test_finite_mean_skips_nan():
    assert stats.finite_mean(np.array([1.0, np.nan, 3.0])) == pytest.approx(2.0)


def test_finite_mean_of_nothing_finite_is_none():
    assert stats.finite_mean(np.array([np.nan])) is None
