"""Token-bucket rate limiter: admission, waits, venue corrections, and the never-past-limit law."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import ConfigError
from hftcore.execution.rate_limiter import RateLimiter, RateRule, RateWindow

SECOND_NS = 1_000_000_000
T0_NS = 1_700_000_040 * SECOND_NS  # on a second, a minute and a 10 s boundary


def limiter_with(rule, cost=1):
    limiter = RateLimiter("TEST", [rule], {"submit_order": {rule.name: cost}})
    return limiter, limiter.endpoint("submit_order")


# -- RULES -------------------------------------------------------------------------------------


def test_rolling_rule_admits_its_burst_at_once():
    limiter, endpoint = limiter_with(RateRule("r", 10, SECOND_NS, burst_units=5))

    waits = [limiter.acquire(endpoint, T0_NS) for _ in range(6)]

    assert waits[:5] == [0] * 5
    assert waits[5] > 0


def test_rolling_rule_refills_the_rest_of_its_limit_over_the_interval():
    # Burst 5 of a 10/s limit: 10 - 5 + 1 = 6 units refill per second, one per 166_666_667 ns.
    limiter, endpoint = limiter_with(RateRule("r", 10, SECOND_NS, burst_units=5))
    for _ in range(5):
        limiter.acquire(endpoint, T0_NS)

    assert limiter.wait_ns(endpoint, T0_NS) == 166_666_667
    assert limiter.acquire(endpoint, T0_NS + 166_666_667) == 0


def test_default_burst_of_a_rolling_rule_is_half_its_limit():
    assert RateRule("r", 10, SECOND_NS).burst_units == 5
    assert RateRule("one", 1, SECOND_NS).burst_units == 1


def test_fixed_window_rule_admits_its_limit_then_waits_for_the_next_window():
    limiter, endpoint = limiter_with(RateRule("orders_10s", 100, 10 * SECOND_NS, RateWindow.FIXED))

    admitted = sum(limiter.acquire(endpoint, T0_NS + 3 * SECOND_NS) == 0 for _ in range(101))

    assert admitted == 100
    assert limiter.wait_ns(endpoint, T0_NS + 3 * SECOND_NS) == 7 * SECOND_NS


def test_fixed_window_count_restarts_with_the_window():
    rule = RateRule("w", 2, SECOND_NS, RateWindow.FIXED, burst_units=2)
    limiter, endpoint = limiter_with(rule)
    limiter.acquire(endpoint, T0_NS)
    limiter.acquire(endpoint, T0_NS)

    assert limiter.acquire(endpoint, T0_NS + SECOND_NS) == 0
    assert rule.available_units(T0_NS + SECOND_NS) == 1


def test_weighted_endpoint_consumes_its_cost():
    rule = RateRule("weight_1m", 6000, 60 * SECOND_NS, RateWindow.FIXED)
    limiter, endpoint = limiter_with(rule, cost=20)

    limiter.acquire(endpoint, T0_NS)

    assert rule.available_units(T0_NS) == 5980
    assert rule.admitted_units == 20


def test_request_charged_on_two_rules_consumes_nothing_when_one_refuses():
    orders = RateRule("orders", 1, SECOND_NS, RateWindow.FIXED)
    weight = RateRule("weight", 100, SECOND_NS, RateWindow.FIXED)
    limiter = RateLimiter("TEST", [orders, weight], {"submit_order": {"orders": 1, "weight": 10}})
    endpoint = limiter.endpoint("submit_order")
    limiter.acquire(endpoint, T0_NS)

    assert limiter.acquire(endpoint, T0_NS) > 0
    assert weight.admitted_units == 10
    assert (limiter.granted_count, limiter.throttled_count) == (1, 1)


# -- VENUE FEEDBACK ----------------------------------------------------------------------------


def test_used_count_from_the_venue_lowers_what_a_fixed_window_admits():
    rule = RateRule("weight_1m", 6000, 60 * SECOND_NS, RateWindow.FIXED)
    limiter, endpoint = limiter_with(rule, cost=1)

    rule.observe_used(5998, T0_NS + SECOND_NS)

    assert rule.available_units(T0_NS + SECOND_NS) == 2
    assert limiter.acquire(endpoint, T0_NS + SECOND_NS) == 0
    assert limiter.acquire(endpoint, T0_NS + SECOND_NS) == 0
    assert limiter.acquire(endpoint, T0_NS + SECOND_NS) == 59 * SECOND_NS


def test_used_count_below_our_own_does_not_raise_the_allowance():
    rule = RateRule("w", 10, SECOND_NS, RateWindow.FIXED)
    limiter, endpoint = limiter_with(rule)
    for _ in range(6):
        limiter.acquire(endpoint, T0_NS)

    rule.observe_used(2, T0_NS)

    assert rule.available_units(T0_NS) == 4


def test_used_count_of_an_earlier_window_is_forgotten_in_the_next():
    rule = RateRule("w", 10, SECOND_NS, RateWindow.FIXED)
    rule.observe_used(10, T0_NS)

    assert rule.available_units(T0_NS + SECOND_NS) == 10


def test_used_count_caps_a_rolling_rule_for_one_interval():
    rule = RateRule("r", 10, SECOND_NS, burst_units=10)

    rule.observe_used(9, T0_NS)

    assert rule.available_units(T0_NS) == 1
    assert rule.available_units(T0_NS + SECOND_NS) == 10


def test_remaining_count_holds_until_the_venue_reset():
    rule = RateRule("create_1s", 10, SECOND_NS, burst_units=10)
    limiter, endpoint = limiter_with(rule)

    rule.observe_remaining(0, T0_NS + 300_000_000, T0_NS)

    assert limiter.acquire(endpoint, T0_NS) == 300_000_000
    assert limiter.acquire(endpoint, T0_NS + 300_000_000) == 0


def test_remaining_count_with_a_past_reset_holds_one_interval():
    rule = RateRule("create_1s", 10, SECOND_NS, burst_units=10)

    rule.observe_remaining(3, T0_NS - 1, T0_NS)

    assert rule.available_units(T0_NS) == 3
    assert rule.available_units(T0_NS + SECOND_NS) == 10


def test_new_limit_from_the_venue_replaces_the_old_one():
    rule = RateRule("create_1s", 10, SECOND_NS, burst_units=8)

    rule.set_limit(4)

    assert (rule.limit_units, rule.burst_units) == (4, 4)


def test_block_makes_every_request_wait_until_its_end():
    limiter, endpoint = limiter_with(RateRule("r", 10, SECOND_NS))

    limiter.block_until(T0_NS + 30 * SECOND_NS, "429")

    assert limiter.acquire(endpoint, T0_NS) == 30 * SECOND_NS
    assert limiter.is_blocked(T0_NS)
    assert limiter.block_reason == "429"
    assert limiter.acquire(endpoint, T0_NS + 30 * SECOND_NS) == 0


def test_shorter_block_does_not_shorten_a_ban():
    limiter, _ = limiter_with(RateRule("r", 10, SECOND_NS))
    limiter.block_until(T0_NS + 600 * SECOND_NS, "418")

    limiter.block_until(T0_NS + SECOND_NS, "429")

    assert limiter.blocked_until_ns == T0_NS + 600 * SECOND_NS
    assert limiter.block_reason == "418"
    assert limiter.block_count == 2


# -- CONFIGURATION ERRORS ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit_units": 0}, "limit_units: expected > 0, got 0"),
        ({"interval_ns": 0}, "interval_ns: expected > 0, got 0"),
        ({"burst_units": 11}, r"burst_units: expected 1\.\.10, got 11"),
        ({"burst_units": 0}, r"burst_units: expected 1\.\.10, got 0"),
    ],
)
def test_rule_with_an_out_of_range_value_names_it(kwargs, message):
    arguments = {"name": "r", "limit_units": 10, "interval_ns": SECOND_NS} | kwargs

    with pytest.raises(ConfigError, match=message):
        RateRule(**arguments)


def test_endpoint_charging_an_unknown_rule_is_an_error():
    limiter = RateLimiter("TEST", [RateRule("r", 10, SECOND_NS)])

    with pytest.raises(ConfigError, match="unknown rule 'weight'"):
        limiter.add_endpoint("submit_order", {"weight": 1})


def test_endpoint_costing_more_than_the_burst_is_an_error():
    limiter = RateLimiter("TEST", [RateRule("r", 10, SECOND_NS, burst_units=2)])

    with pytest.raises(ConfigError, match=r"expected 0\.\.2 \(the rule's burst\), got 3"):
        limiter.add_endpoint("submit_order", {"r": 3})


def test_duplicate_rule_names_are_an_error():
    with pytest.raises(ConfigError, match="rule 'r' is already defined"):
        RateLimiter("TEST", [RateRule("r", 1, SECOND_NS), RateRule("r", 2, SECOND_NS)])


def test_endpoint_of_another_limiter_is_refused():
    _, foreign = limiter_with(RateRule("r", 10, SECOND_NS))
    limiter, _ = limiter_with(RateRule("r", 10, SECOND_NS))

    with pytest.raises(ValueError, match="does not belong"):
        limiter.acquire(foreign, T0_NS)


def test_unknown_endpoint_is_none():
    limiter, _ = limiter_with(RateRule("r", 10, SECOND_NS))

    assert limiter.endpoint("withdraw") is None


def test_negative_time_is_refused():
    limiter, endpoint = limiter_with(RateRule("r", 10, SECOND_NS))

    with pytest.raises(ValueError, match="now_ns: expected >= 0"):
        limiter.acquire(endpoint, -1)


# -- PROPERTIES --------------------------------------------------------------------------------

requests = st.lists(
    st.tuples(st.integers(0, 400_000_000), st.integers(1, 3)), min_size=1, max_size=60
)


def admitted_times(rule, requests):
    limiter, _ = limiter_with(rule)
    endpoints = {cost: limiter.add_endpoint(f"cost{cost}", {rule.name: cost}) for cost in (1, 2, 3)}
    now_ns = T0_NS
    admitted = []
    for step_ns, cost in requests:
        now_ns += step_ns
        if limiter.acquire(endpoints[cost], now_ns) == 0:
            admitted.append((now_ns, cost))
    return admitted


@given(
    requests=requests,
    limit=st.integers(3, 12),
    burst_fraction=st.floats(0.0, 1.0),
)
def test_rolling_rule_never_admits_more_than_its_limit_in_any_interval(
    requests, limit, burst_fraction
):
    burst = max(3, round(limit * burst_fraction))
    rule = RateRule("r", limit, SECOND_NS, RateWindow.ROLLING, burst_units=min(burst, limit))

    admitted = admitted_times(rule, requests)

    for start_ns, _ in admitted:
        in_window = sum(c for t, c in admitted if start_ns <= t < start_ns + SECOND_NS)
        assert in_window <= limit


@given(requests=requests, limit=st.integers(3, 12))
def test_fixed_rule_never_admits_more_than_its_limit_in_a_window(requests, limit):
    rule = RateRule("w", limit, SECOND_NS, RateWindow.FIXED)

    admitted = admitted_times(rule, requests)

    windows = {}
    for t, cost in admitted:
        windows[t // SECOND_NS] = windows.get(t // SECOND_NS, 0) + cost
    assert all(units <= limit for units in windows.values())


@given(
    requests=requests,
    window=st.sampled_from([RateWindow.ROLLING, RateWindow.FIXED]),
    cost=st.integers(1, 3),
)
def test_waiting_the_returned_time_is_enough(requests, window, cost):
    rule = RateRule("r", 6, SECOND_NS, window, burst_units=3)
    limiter, _ = limiter_with(rule)
    endpoint = limiter.add_endpoint("probe", {"r": cost})
    now_ns = T0_NS
    for step_ns, _ in requests:
        now_ns += step_ns
        limiter.acquire(endpoint, now_ns)

    wait_ns = limiter.wait_ns(endpoint, now_ns)

    assert limiter.acquire(endpoint, now_ns + wait_ns) == 0
