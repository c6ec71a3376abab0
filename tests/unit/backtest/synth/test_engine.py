"""Cython inner loops of the generator: fundamental paths and the book simulator's checks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtest.synth.engine import BookSimulator
from backtest.synth.fundamental import FundamentalPaths
from backtest.synth.params import BINANCE_BTCUSDT, OKX_BTC_USDT

from .replay import CLEAR, DictBook

STEP_NS = 10_000_000


def draw(seed: int, steps: int = 2_000, correlation: float = 0.8):
    paths = FundamentalPaths(seed, [100.0, 50.0], [1e-3, 1e-3], [1.0, correlation], STEP_NS)
    log_prices = np.empty((steps, 2))
    activity = np.empty(steps)
    paths.advance(log_prices, activity)
    return log_prices, activity


def test_fundamental_paths_repeat_for_a_seed():
    first, second = draw(3), draw(3)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


def test_fundamental_paths_start_at_their_prices():
    log_prices, _ = draw(3, steps=1)
    assert np.exp(log_prices[0]) == pytest.approx([100.0, 50.0], rel=1e-3)


def test_correlated_assets_move_together():
    log_prices, _ = draw(4, steps=20_000, correlation=0.8)
    returns = np.diff(log_prices, axis=0)
    assert np.corrcoef(returns.T)[0, 1] == pytest.approx(0.8, abs=0.05)


def test_volatility_multiplier_clusters_around_one():
    _, activity = draw(5, steps=100_000)
    assert 0.5 < np.median(activity) < 2.0
    assert activity.std() > 0.05


def test_book_simulator_refuses_a_min_level_count_above_the_depth():
    params = BINANCE_BTCUSDT.engine_params(emit_quotes=False)
    params.update(depth_levels=5, min_levels=6)
    with pytest.raises(ValueError, match="min_levels"):
        BookSimulator(1, 0, params, 0)


def test_run_until_refuses_a_grid_that_does_not_cover_the_slice():
    params = BINANCE_BTCUSDT.engine_params(emit_quotes=False)
    simulator = BookSimulator(1, 0, params, 0)
    grid = np.full(10, np.log(60_000.0))
    with pytest.raises(ValueError, match="does not cover"):
        simulator.run_until(11 * STEP_NS, grid, np.ones(10), 0, STEP_NS, 1_000)


def mid_deviations_bp(seconds: int = 20, **overrides) -> np.ndarray:
    # Binance's mid against a constant fair price (no basis noise or dislocations), every 10 ms.
    params = BINANCE_BTCUSDT.engine_params(emit_quotes=False)
    params.update(depth_levels=50, basis_sigma=0.0, dislocation_rate_per_s=0.0, **overrides)
    simulator = BookSimulator(3, 0, params, 0)
    steps = seconds * 100
    fair = 60_000.0
    grid = np.full(steps, np.log(fair))
    deviations = np.empty(steps)
    for step in range(steps):
        simulator.run_until((step + 1) * STEP_NS, grid, np.ones(steps), 0, STEP_NS, 10**9)
        simulator.drain()
        best_bid_ticks, best_ask_ticks = simulator.best_bid_ask_ticks
        deviations[step] = ((best_bid_ticks + best_ask_ticks) / 2 * 0.01 / fair - 1) * 1e4
    return deviations


def test_book_simulator_refuses_a_shock_tolerance_of_zero():
    params = BINANCE_BTCUSDT.engine_params(emit_quotes=False)
    params.update(shock_tolerance=0.0)
    with pytest.raises(ValueError, match=r"shock_tolerance 0\.0"):
        BookSimulator(1, 0, params, 0)


def test_without_shocks_the_book_stays_within_a_basis_point_of_the_fair_price():
    assert np.abs(mid_deviations_bp(shock_rate_per_s=0.0)).max() < 1.0


def test_shocks_move_the_book_tens_of_basis_points_away_from_the_fair_price():
    deviations = mid_deviations_bp(shock_rate_per_s=0.5)
    assert np.abs(deviations).max() > 20.0


def test_the_book_comes_back_to_the_fair_price_within_seconds_of_a_shock():
    deviations = mid_deviations_bp(shock_rate_per_s=0.1)
    assert np.abs(deviations).max() > 10.0
    assert np.mean(np.abs(deviations) > 5.0) < 0.2


def test_run_until_stops_at_the_row_budget_and_resumes():
    params = BINANCE_BTCUSDT.engine_params(emit_quotes=True)
    params.update(depth_levels=50)
    simulator = BookSimulator(1, 0, params, 0)
    grid = np.full(1_000, np.log(60_000.0))
    assert simulator.run_until(1_000 * STEP_NS, grid, np.ones(1_000), 0, STEP_NS, 500) == 1
    first = sum(len(part["ts_recv"]) for part in simulator.drain())
    assert simulator.run_until(1_000 * STEP_NS, grid, np.ones(1_000), 0, STEP_NS, 10**9) == 0
    assert first >= 500
    assert simulator.now_ns == 1_000 * STEP_NS
    best_bid_ticks, best_ask_ticks = simulator.best_bid_ask_ticks
    assert 0 < best_bid_ticks < best_ask_ticks


@given(
    seed=st.integers(min_value=0, max_value=2**63),
    interval_ms=st.sampled_from([0, 100]),
    venue_params=st.sampled_from([BINANCE_BTCUSDT, OKX_BTC_USDT]),
    shock_rate_per_s=st.sampled_from([0.0, 3.0]),
)
def test_published_book_rows_never_cross_the_book_for_any_seed(
    seed, interval_ms, venue_params, shock_rate_per_s
):
    # Frequent large shocks on a shallow book: sweeps far beyond the depth's price range.
    params = venue_params.engine_params(emit_quotes=False)
    params.update(
        depth_levels=30,
        publish_interval_ns=interval_ms * 1_000_000,
        shock_rate_per_s=shock_rate_per_s,
        shock_size_median=3e-3,
    )
    simulator = BookSimulator(seed, 0, params, 0)
    grid = np.full(300, np.log(60_000.0)) + np.cumsum(np.full(300, 2e-4))
    simulator.run_until(300 * STEP_NS, grid, np.ones(300), 0, STEP_NS, 10**9)
    book_rows, _, _ = simulator.drain()
    book = DictBook()
    for side, price, size, action in zip(
        book_rows["side"],
        book_rows["price_ticks"],
        book_rows["size_lots"],
        book_rows["action"],
        strict=True,
    ):
        book.apply(int(side), int(price), int(size), int(action))
        assert not book.is_crossed()
    assert len(book.bids) >= 5 and len(book.asks) >= 5


def test_a_sweep_beyond_the_level_window_republishes_the_book_as_a_snapshot():
    # Seed found by hypothesis: the fair price drifts 6% in 3 s, the book lags it by ~4%, and a
    # shock's sweep would move the touch farther than the level window holds.
    params = BINANCE_BTCUSDT.engine_params(emit_quotes=False)
    params.update(
        depth_levels=30, publish_interval_ns=0, shock_rate_per_s=3.0, shock_size_median=3e-3
    )
    simulator = BookSimulator(10865, 0, params, 0)
    grid = np.full(300, np.log(60_000.0)) + np.cumsum(np.full(300, 2e-4))
    simulator.run_until(300 * STEP_NS, grid, np.ones(300), 0, STEP_NS, 10**9)
    book_rows, _, _ = simulator.drain()

    clears = np.flatnonzero(np.asarray(book_rows["action"]) == CLEAR)
    assert simulator.resync_count >= 1
    assert len(clears) == simulator.resync_count + 1  # the first snapshot, then each resync
    book = DictBook()
    for side, price, size, action in zip(
        book_rows["side"], book_rows["price_ticks"], book_rows["size_lots"], book_rows["action"],
        strict=True,
    ):  # fmt: skip
        book.apply(int(side), int(price), int(size), int(action))
        assert not book.is_crossed()
    best_bid, best_ask = simulator.best_bid_ask_ticks
    assert (book.best_bid(), book.best_ask()) == (best_bid, best_ask)
