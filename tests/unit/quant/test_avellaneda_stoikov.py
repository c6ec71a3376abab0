"""Tests of the Avellaneda-Stoikov estimators and quote model."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.quant.avellaneda_stoikov import (
    AvellanedaStoikovQuoter,
    EwmaVolatility,
    HorizonMode,
    RollingVolatility,
    TradeIntensityEstimator,
    glft_depths,
    optimal_spread,
    reservation_price,
)

T0 = 1_700_000_000_000_000_000
STEP_NS = 100_000_000


def brownian_mids(sigma, seconds, seed=7):
    """Mid prices every 100 ms of a Brownian path with volatility ``sigma`` per sqrt(s)."""
    rng = np.random.default_rng(seed)
    steps = int(seconds * 10)
    moves = rng.normal(0.0, sigma * math.sqrt(0.1), steps)
    return 60_000.0 + np.concatenate([[0.0], np.cumsum(moves)])


# -- QUOTE FORMULAS ----------------------------------------------------------------------------


def test_reservation_price_is_mid_minus_inventory_times_gamma_sigma_squared_time_left():
    assert reservation_price(100.0, 2.0, 0.1, 3.0, 10.0) == pytest.approx(100.0 - 2 * 0.1 * 9 * 10)


def test_reservation_price_of_a_flat_inventory_is_the_mid():
    assert reservation_price(100.0, 0.0, 0.1, 3.0, 10.0) == 100.0


def test_optimal_spread_with_unit_size_is_the_textbook_formula():
    gamma, sigma, time_left_s, k = 0.1, 2.0, 30.0, 1.5
    expected = gamma * sigma**2 * time_left_s + 2 / gamma * math.log(1 + gamma / k)
    assert optimal_spread(gamma, sigma, time_left_s, k) == pytest.approx(expected, rel=1e-12)


def test_optimal_spread_scales_gamma_by_the_order_size():
    gamma, sigma, time_left_s, k, size = 0.1, 2.0, 30.0, 1.5, 0.01
    expected = gamma * size * sigma**2 * time_left_s + 2 / (gamma * size) * math.log(
        1 + gamma * size / k
    )
    assert optimal_spread(gamma, sigma, time_left_s, k, size) == pytest.approx(expected, rel=1e-12)


def test_finite_horizon_quotes_center_on_the_reservation_price():
    quoter = AvellanedaStoikovQuoter(HorizonMode.FINITE, 0.1, 1.0)
    bid, ask = quoter.quote(100.0, 0.5, 0.2, 1.0, 1.5, 60.0)
    assert (bid + ask) / 2 == pytest.approx(reservation_price(100.0, 0.5, 0.1, 0.2, 60.0))
    assert ask - bid == pytest.approx(optimal_spread(0.1, 0.2, 60.0, 1.5))


def test_finite_horizon_spread_at_the_horizon_is_the_intensity_term_only():
    quoter = AvellanedaStoikovQuoter(HorizonMode.FINITE, 0.1, 1.0)
    bid, ask = quoter.quote(100.0, 3.0, 0.2, 1.0, 1.5, 0.0)
    assert (bid + ask) / 2 == pytest.approx(100.0)
    assert ask - bid == pytest.approx(2 / 0.1 * math.log(1 + 0.1 / 1.5))


def test_glft_depths_match_the_closed_form():
    q, gamma, sigma, a, k, size = 0.3, 0.05, 8.0, 20.0, 2.0, 0.01
    ratio = gamma * size / k
    c1 = math.log(1 + ratio) / (gamma * size)
    c2 = math.sqrt(gamma / (2 * a * size * k) * (1 + ratio) ** (k / (gamma * size) + 1))
    bid_depth, ask_depth = glft_depths(q, gamma, sigma, a, k, size)
    assert bid_depth == pytest.approx(c1 + size / 2 * sigma * c2 + q * sigma * c2, rel=1e-12)
    assert ask_depth == pytest.approx(c1 + size / 2 * sigma * c2 - q * sigma * c2, rel=1e-12)


def test_glft_depths_are_symmetric_when_flat():
    bid_depth, ask_depth = glft_depths(0.0, 0.05, 8.0, 20.0, 2.0, 0.01)
    assert bid_depth == ask_depth


def test_glft_spread_does_not_depend_on_inventory():
    flat = sum(glft_depths(0.0, 0.05, 8.0, 20.0, 2.0, 0.01))
    long = sum(glft_depths(0.7, 0.05, 8.0, 20.0, 2.0, 0.01))
    assert long == pytest.approx(flat, rel=1e-12)


def test_infinite_horizon_quotes_ignore_the_time_left():
    quoter = AvellanedaStoikovQuoter(HorizonMode.INFINITE, 0.05, 0.01)
    assert quoter.quote(100.0, 0.2, 1.0, 20.0, 2.0, 5.0) == quoter.quote(
        100.0, 0.2, 1.0, 20.0, 2.0, 500.0
    )


@given(
    inventory=st.floats(-10, 10),
    horizon=st.sampled_from([HorizonMode.FINITE, HorizonMode.INFINITE]),
)
def test_quotes_move_down_as_inventory_grows(inventory, horizon):
    quoter = AvellanedaStoikovQuoter(horizon, 0.1, 0.1)
    bid, ask = quoter.quote(100.0, inventory, 0.5, 10.0, 3.0, 60.0)
    bid_more, ask_more = quoter.quote(100.0, inventory + 0.5, 0.5, 10.0, 3.0, 60.0)
    assert bid_more < bid
    assert ask_more < ask


@pytest.mark.parametrize(
    ("field", "args"),
    [
        ("gamma", (HorizonMode.FINITE, 0.0, 1.0)),
        ("order_size", (HorizonMode.FINITE, 0.1, -1.0)),
    ],
)
def test_quoter_rejects_bad_parameters_naming_the_field(field, args):
    with pytest.raises(ValueError, match=field):
        AvellanedaStoikovQuoter(*args)


def test_quote_rejects_a_non_positive_k():
    quoter = AvellanedaStoikovQuoter(HorizonMode.INFINITE, 0.1, 1.0)
    with pytest.raises(ValueError, match="k_per_price"):
        quoter.quote(100.0, 0.0, 1.0, 1.0, 0.0, 1.0)


def test_quote_rejects_a_nan_sigma():
    quoter = AvellanedaStoikovQuoter(HorizonMode.INFINITE, 0.1, 1.0)
    with pytest.raises(ValueError, match="sigma"):
        quoter.quote(100.0, 0.0, math.nan, 1.0, 1.0, 1.0)


# -- VOLATILITY --------------------------------------------------------------------------------


def feed(estimator, mids, step_ns=STEP_NS):
    for i, mid in enumerate(mids):
        estimator.update(T0 + i * step_ns, float(mid))


def test_ewma_volatility_recovers_the_sigma_of_a_brownian_mid():
    estimator = EwmaVolatility(half_life_s=600.0, sample_interval_ns=STEP_NS)
    feed(estimator, brownian_mids(8.0, 3_000))
    assert estimator.sigma == pytest.approx(8.0, rel=0.1)


def test_rolling_volatility_recovers_the_sigma_of_a_brownian_mid():
    estimator = RollingVolatility(window=20_000, sample_interval_ns=STEP_NS)
    feed(estimator, brownian_mids(8.0, 3_000))
    assert estimator.sigma == pytest.approx(8.0, rel=0.05)


def test_rolling_volatility_uses_only_the_last_window():
    mids = np.concatenate([brownian_mids(50.0, 100), brownian_mids(2.0, 100, seed=3)[1:]])
    estimator = RollingVolatility(window=500, sample_interval_ns=STEP_NS)
    feed(estimator, mids)
    moves = np.diff(mids)[-500:]
    assert estimator.variance_per_s == pytest.approx(np.sum(moves**2) / (500 * 0.1), rel=1e-9)


def test_volatility_skips_prices_closer_than_the_sample_interval():
    estimator = EwmaVolatility(sample_interval_ns=STEP_NS)
    estimator.update(T0, 100.0)
    assert not estimator.update(T0 + STEP_NS // 2, 105.0)
    assert estimator.update(T0 + STEP_NS, 101.0)
    assert estimator.sample_count == 1
    assert estimator.variance_per_s == pytest.approx(1.0 / 0.1)


def test_volatility_is_nan_and_not_ready_before_returns():
    estimator = EwmaVolatility(min_samples=3)
    estimator.update(T0, 100.0)
    assert math.isnan(estimator.sigma)
    assert not estimator.is_ready


def test_ewma_volatility_is_ready_after_min_samples():
    estimator = EwmaVolatility(min_samples=3, sample_interval_ns=STEP_NS)
    feed(estimator, [100.0, 101.0, 100.0, 101.0])
    assert estimator.is_ready


def test_ewma_volatility_forgets_an_old_regime():
    mids = np.concatenate([brownian_mids(50.0, 300), brownian_mids(2.0, 600, seed=3)[1:]])
    estimator = EwmaVolatility(half_life_s=30.0, sample_interval_ns=STEP_NS)
    feed(estimator, mids)
    assert estimator.sigma == pytest.approx(2.0, rel=0.2)


def test_volatility_refuses_time_going_backwards():
    estimator = EwmaVolatility()
    estimator.update(T0, 100.0)
    with pytest.raises(ValueError, match="ts_ns"):
        estimator.update(T0 - 1, 100.0)


def test_volatility_refuses_a_non_positive_price():
    with pytest.raises(ValueError, match="price"):
        EwmaVolatility().update(T0, 0.0)


# -- INTENSITY ---------------------------------------------------------------------------------


def poisson_trades(a_per_s, k_per_price, seconds, seed=11):
    """Trades arriving at rate A whose depths are exponential with rate k: the tail rate at
    depth d is then A * exp(-k * d)."""
    rng = np.random.default_rng(seed)
    count = rng.poisson(a_per_s * seconds)
    times = np.sort(rng.uniform(0.0, seconds, count))
    depths = rng.exponential(1.0 / k_per_price, count)
    return times, depths


def fitted(a_per_s, k_per_price, seconds=2_000.0, bin_width=0.05):
    estimator = TradeIntensityEstimator(bin_width, bin_count=30, half_life_s=1e9)
    times, depths = poisson_trades(a_per_s, k_per_price, seconds)
    for t, depth in zip(times, depths, strict=True):
        estimator.add_trade(T0 + int(t * 1e9), float(depth))
    assert estimator.fit(T0 + int(seconds * 1e9))
    return estimator


def test_intensity_fit_recovers_k():
    assert fitted(5.0, 4.0).k_per_price == pytest.approx(4.0, rel=0.1)


def test_intensity_fit_recovers_a():
    assert fitted(5.0, 4.0).a_per_s == pytest.approx(5.0, rel=0.1)


def test_intensity_is_a_times_exp_minus_k_depth():
    estimator = fitted(5.0, 4.0)
    assert estimator.intensity(0.5) == pytest.approx(
        estimator.a_per_s * math.exp(-estimator.k_per_price * 0.5)
    )


def test_intensity_is_not_fitted_before_enough_depths():
    estimator = TradeIntensityEstimator(0.01)
    for i in range(50):
        estimator.add_trade(T0 + i * STEP_NS, 0.005)
    assert not estimator.fit(T0 + 50 * STEP_NS)
    assert not estimator.is_fitted
    assert math.isnan(estimator.a_per_s)


def test_intensity_counts_decay_with_the_half_life():
    estimator = TradeIntensityEstimator(0.01, bin_count=3, half_life_s=10.0)
    estimator.add_trade(T0, 0.0)
    estimator.fit(T0 + 10 * 1_000_000_000)
    assert estimator.bin_counts() == pytest.approx([0.5, 0.0, 0.0])


def test_intensity_puts_deep_trades_in_the_last_bin():
    estimator = TradeIntensityEstimator(0.01, bin_count=3)
    estimator.add_trade(T0, 5.0)
    assert estimator.bin_counts() == [0.0, 0.0, 1.0]


def test_intensity_refuses_a_negative_depth():
    with pytest.raises(ValueError, match="depth_price"):
        TradeIntensityEstimator(0.01).add_trade(T0, -0.1)
