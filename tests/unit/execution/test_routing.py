"""Endpoint routing: the healthy endpoint with the lowest measured latency wins."""

import math

import pytest

from hftcore.errors import ConfigError
from hftcore.execution.routing import EndpointRouter
from hftcore.model.identifiers import InstrumentId

BTC = InstrumentId.from_str("BTCUSDT.BINANCE")
ETH = InstrumentId.from_str("ETHUSDT.BINANCE")
SECOND_NS = 1_000_000_000
T0_NS = 1_700_000_000 * SECOND_NS


@pytest.fixture
def router():
    router = EndpointRouter("BINANCE", alpha=0.5, failure_threshold=2, cooldown_ns=10 * SECOND_NS)
    router.add_endpoint("api1")
    router.add_endpoint("api2")
    router.add_endpoint("ws-api")
    return router


def test_lowest_latency_endpoint_is_chosen(router):
    router.record_rtt("api1", 900_000)
    router.record_rtt("api2", 400_000)
    router.record_rtt("ws-api", 600_000)

    assert router.choose(BTC, T0_NS).name == "api2"


def test_latency_is_an_ewma_of_the_round_trips(router):
    router.record_rtt("api1", 1_000_000)
    router.record_rtt("api1", 2_000_000)

    # alpha 0.5: 1 ms, then 1 + 0.5 * (2 - 1) = 1.5 ms.
    assert router.endpoint("api1").rtt_ewma_ns == pytest.approx(1_500_000)


def test_unmeasured_endpoints_rank_after_measured_ones(router):
    router.record_rtt("ws-api", 5_000_000)

    assert router.choose(BTC, T0_NS).name == "ws-api"
    assert math.isnan(router.endpoint("api1").rtt_ewma_ns)


def test_without_measurements_the_first_added_is_chosen(router):
    assert router.choose(BTC, T0_NS).name == "api1"


def test_endpoint_turns_unhealthy_after_consecutive_failures(router):
    router.record_rtt("api1", 100_000)
    router.record_rtt("api2", 900_000)

    assert router.record_failure("api1", T0_NS) is False
    assert router.record_failure("api1", T0_NS) is True

    assert router.choose(BTC, T0_NS).name == "api2"
    assert not router.endpoint("api1").is_healthy(T0_NS + 10 * SECOND_NS - 1)


def test_unhealthy_endpoint_returns_after_the_cooldown(router):
    router.record_rtt("api1", 100_000)
    router.record_rtt("api2", 900_000)
    router.record_failure("api1", T0_NS)
    router.record_failure("api1", T0_NS)

    assert router.choose(BTC, T0_NS + 10 * SECOND_NS).name == "api1"


def test_one_failure_after_the_cooldown_sends_it_back(router):
    router.record_failure("api1", T0_NS)
    router.record_failure("api1", T0_NS)

    assert router.record_failure("api1", T0_NS + 10 * SECOND_NS) is True


def test_success_clears_failures(router):
    router.record_failure("api1", T0_NS)
    router.record_rtt("api1", 100_000)

    assert router.record_failure("api1", T0_NS) is False
    assert router.endpoint("api1").failure_count == 1


def test_endpoint_that_does_not_reach_the_instrument_is_skipped():
    router = EndpointRouter("BINANCE")
    router.add_endpoint("btc-gateway", instrument_ids=[BTC])
    router.add_endpoint("api1")
    router.record_rtt("btc-gateway", 50_000)
    router.record_rtt("api1", 800_000)

    assert router.choose(BTC, T0_NS).name == "btc-gateway"
    assert router.choose(ETH, T0_NS).name == "api1"


def test_no_healthy_endpoint_gives_none_and_is_counted():
    router = EndpointRouter("BINANCE", failure_threshold=1)
    router.add_endpoint("api1")
    router.record_failure("api1", T0_NS)

    assert router.choose(BTC, T0_NS) is None
    assert router.no_route_count == 1


def test_measurement_of_an_unknown_endpoint_is_an_error(router):
    with pytest.raises(ConfigError, match="unknown endpoint 'api9'"):
        router.record_rtt("api9", 1)


def test_adding_an_endpoint_twice_is_an_error(router):
    with pytest.raises(ConfigError, match="'api1' is already added"):
        router.add_endpoint("api1")


def test_alpha_out_of_range_is_an_error():
    with pytest.raises(ConfigError, match="alpha"):
        EndpointRouter("BINANCE", alpha=0.0)
