"""Latency models: constant, seeded random, recorded, and the feed models."""

import numpy as np
import pytest

from backtest.config import parse_feed_latency, parse_latency
from backtest.models.latency import (
    ConstantLatency,
    EventDelayFeed,
    RandomLatency,
    ReceiveTimeFeed,
    RecordedLatency,
)
from hftcore.errors import ConfigError


def test_constant_latency_returns_its_delays():
    model = ConstantLatency(2_000, 3_000)
    assert (model.order_entry_latency_ns(0), model.response_latency_ns(0)) == (2_000, 3_000)


def test_random_latency_with_the_same_seed_draws_the_same_delays():
    draws = [
        [RandomLatency(1_000_000, 1_000_000, 0.5, 7).order_entry_latency_ns(0) for _ in range(1)]
        for _ in range(2)
    ]
    first = RandomLatency(1_000_000, 1_000_000, 0.5, 7)
    second = RandomLatency(1_000_000, 1_000_000, 0.5, 7)
    assert [first.order_entry_latency_ns(0) for _ in range(50)] == [
        second.order_entry_latency_ns(0) for _ in range(50)
    ]
    assert draws[0] == draws[1]


def test_random_latency_with_another_seed_draws_other_delays():
    first = RandomLatency(1_000_000, 1_000_000, 0.5, 7)
    second = RandomLatency(1_000_000, 1_000_000, 0.5, 8)
    assert [first.order_entry_latency_ns(0) for _ in range(5)] != [
        second.order_entry_latency_ns(0) for _ in range(5)
    ]


def test_random_latency_median_is_near_the_configured_median():
    model = RandomLatency(1_000_000, 1_000_000, 0.3, 1)
    assert np.median([model.response_latency_ns(0) for _ in range(4001)]) == pytest.approx(
        1_000_000, rel=0.05
    )


def test_random_latency_stays_within_its_bounds():
    model = RandomLatency(1_000_000, 1_000_000, 3.0, 1, min_ns=500_000, max_ns=2_000_000)
    draws = [model.order_entry_latency_ns(0) for _ in range(500)]
    assert min(draws) >= 500_000 and max(draws) <= 2_000_000


def test_recorded_latency_interpolates_between_samples():
    model = RecordedLatency([0, 100], [1_000, 3_000], [10, 30])
    assert model.order_entry_latency_ns(25) == 1_500
    assert model.response_latency_ns(50) == 20


def test_recorded_latency_holds_the_edge_values_outside_the_series():
    model = RecordedLatency([100, 200], [1_000, 3_000], [10, 30])
    assert (model.order_entry_latency_ns(0), model.order_entry_latency_ns(999)) == (1_000, 3_000)


def test_recorded_latency_follows_time_going_back():
    model = RecordedLatency([0, 100, 200], [0, 100, 0], [0, 0, 0])
    assert model.order_entry_latency_ns(150) == 50
    assert model.order_entry_latency_ns(50) == 50


def test_recorded_latency_rejects_times_that_do_not_increase():
    with pytest.raises(ConfigError, match="strictly increasing"):
        RecordedLatency([0, 0], [1, 1], [1, 1])


def test_recorded_latency_reads_a_csv_file(tmp_path):
    path = tmp_path / "latency.csv"
    path.write_text("ts_ns,entry_ns,response_ns\n0,100,200\n10,300,400\n")
    assert parse_latency(f"recorded:{path}", 0).order_entry_latency_ns(5) == 200


def test_receive_time_feed_shows_rows_at_ts_recv():
    assert ReceiveTimeFeed().feed_time(100, 250) == 250


def test_event_delay_feed_shows_rows_at_ts_event_plus_the_delay():
    assert EventDelayFeed(40).feed_time(100, 250) == 140


@pytest.mark.parametrize(
    ("spec", "entry", "response"),
    [
        ("constant:entry=2ms,response=500us", 2_000_000, 500_000),
        ("constant:3ms", 3_000_000, 3_000_000),
        ("zero", 0, 0),
    ],
)
def test_latency_specs_parse_to_constant_models(spec, entry, response):
    model = parse_latency(spec, 0)
    assert (model.entry_delay_ns, model.response_delay_ns) == (entry, response)


def test_feed_spec_parses_an_event_delay():
    assert parse_feed_latency("event+2ms", 0).delay_median_ns == 2_000_000


def test_malformed_latency_spec_names_the_spec():
    with pytest.raises(ConfigError, match="'fast'"):
        parse_latency("fast", 0)
