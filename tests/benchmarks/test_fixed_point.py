"""Benchmarks of exact decimal-string parsing, formatting and fixed-point arithmetic.

Run: ``python -m pytest tests/benchmarks/test_fixed_point.py --benchmark-only -s``. One call per
timed operation except the replay benchmark, which converts a batch of real Binance depth levels;
every benchmark prints its ns/op. Target: parse a price string from Python <= 300 ns (median,
2-core machine).
"""

import gzip
import json
from decimal import Decimal
from itertools import islice

import pytest

from hftcore.model.fixed_point import Price, format_fixed, parse_fixed
from tests.builders.instruments import make_instrument

CAPTURE = "binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz"
CAPTURE_LINES = 2_000  # depth messages read for the replay benchmark

# Calibrate on the fastest of a few warm-up runs: a cold first call would otherwise make
# pytest-benchmark time single calls, and timer overhead would dominate a ~50 ns operation.
pytestmark = pytest.mark.benchmark(warmup=True, warmup_iterations=100)


def report(benchmark, operations: int = 1) -> None:
    """Print the median ns per operation of a finished benchmark."""
    median_ns = benchmark.stats.stats.median * 1e9 / operations
    print(f"\n{benchmark.name}: {median_ns:.1f} ns/op (median)")


@pytest.fixture(scope="module")
def btcusdt():
    """Binance spot BTCUSDT: tick 0.01, lot 0.00001."""
    return make_instrument()


def test_parse_fixed_price_string(benchmark):
    benchmark(parse_fixed, "27123.40", 2)
    report(benchmark)


def test_parse_fixed_with_exponent(benchmark):
    benchmark(parse_fixed, "1e-05", 8)
    report(benchmark)


def test_instrument_price_to_ticks(benchmark, btcusdt):
    benchmark(btcusdt.price_to_ticks, "27123.40")
    report(benchmark)


def test_instrument_price_to_ticks_venue_padding(benchmark, btcusdt):
    benchmark(btcusdt.price_to_ticks, "61837.63000000")
    report(benchmark)


def test_instrument_price_to_ticks_half_tick(benchmark):
    instrument = make_instrument(tick_size="0.05")
    benchmark(instrument.price_to_ticks, "27123.45")
    report(benchmark)


def test_instrument_size_to_lots(benchmark, btcusdt):
    benchmark(btcusdt.size_to_lots, "0.00100000")
    report(benchmark)


def test_price_from_str(benchmark):
    benchmark(Price.from_str, "27123.40")
    report(benchmark)


def test_format_fixed(benchmark):
    benchmark(format_fixed, 2_712_340, 2)
    report(benchmark)


def test_price_add_across_precisions(benchmark):
    a, b = Price.from_str("27123.40"), Price.from_str("0.005")
    benchmark(a.__add__, b)
    report(benchmark)


def test_instrument_ticks_to_price_decimal(benchmark, btcusdt):
    benchmark(btcusdt.ticks_to_price, 2_712_340)
    report(benchmark)


def test_decimal_baseline_for_comparison(benchmark):
    benchmark(Decimal, "27123.40")
    report(benchmark)


@pytest.mark.shared_data
def test_replay_binance_depth_levels_to_ticks_and_lots(benchmark, shared_data):
    # Book levels aggregate orders placed under older, finer step sizes: sizes are parsed at
    # the base asset's 8 places, not at the current order lot size.
    btcusdt = make_instrument(lot_size="0.00000001")
    path = shared_data / CAPTURE
    if not path.exists():
        pytest.skip(f"missing capture {path}")
    levels = []
    with gzip.open(path, "rt") as capture:
        for line in islice(capture, CAPTURE_LINES):
            data = json.loads(line.split(" ", 1)[1]).get("data", {})
            if data.get("e") == "depthUpdate":
                levels.extend(data["b"] + data["a"])
    price_to_ticks, size_to_lots = btcusdt.price_to_ticks, btcusdt.size_to_lots

    def convert_all():
        for price, size in levels:
            price_to_ticks(price)
            size_to_lots(size)

    benchmark(convert_all)
    report(benchmark, 2 * len(levels))
