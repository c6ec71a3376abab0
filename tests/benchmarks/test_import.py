"""Benchmarks of the data tools: tardis CSV import, decimal->ticks conversion, synthetic data.

Run: ``python -m pytest tests/benchmarks/test_import.py --benchmark-only -s
--benchmark-min-rounds=3``. Each benchmark prints rows/s (or values/s, events/s) from the median.
Targets: tardis ``incremental_book_L2`` import >= 2M rows/s; synthetic generation fast enough
for 50M events in a few minutes.
"""

import itertools
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pytest

from backtest.importers import import_file
from backtest.importers.ticks import strings_to_units
from backtest.synth import SynthConfig, generate

IMPORT_ROWS = 2_000_000
SYNTH_EVENTS = 2_000_000
_RUNS = itertools.count()


def tardis_l2_csv(path: Path, rows: int) -> Path:
    """Write a tardis ``incremental_book_L2`` CSV of ``rows`` realistic rows (Deribit-like)."""
    rng = np.random.default_rng(1)
    timestamp_us = 1_585_699_200_000_000 + np.cumsum(rng.integers(0, 3, rows)) * 1_000
    half_ticks = 12_800 + rng.integers(-400, 400, rows)
    price = pc.binary_join_element_wise(
        pa.array(half_ticks // 2).cast(pa.string()),
        pa.array(np.where(half_ticks % 2, "5", "0")),
        ".",
    )
    table = pa.table(
        {
            "exchange": pa.array(["deribit"] * rows),
            "symbol": pa.array(["BTC-PERPETUAL"] * rows),
            "timestamp": timestamp_us,
            "local_timestamp": np.maximum.accumulate(timestamp_us + rng.integers(0, 900, rows)),
            "is_snapshot": pa.array(np.arange(rows) < 200).cast(pa.string()),
            "side": pa.array(np.where(rng.random(rows) < 0.5, "bid", "ask")),
            "price": price,
            "amount": rng.integers(0, 5_000, rows) * 10,
        }
    )
    pa_csv.write_csv(table, path, write_options=pa_csv.WriteOptions(quoting_style="none"))
    return path


@pytest.fixture(scope="module")
def l2_file(tmp_path_factory) -> Path:
    return tardis_l2_csv(tmp_path_factory.mktemp("tardis") / "l2.csv", IMPORT_ROWS)


def _report(benchmark, count: int, unit: str) -> None:
    median_s = benchmark.stats.stats.median
    print(f"\n{benchmark.name}: {count / median_s:,.0f} {unit}/s, {median_s / count * 1e9:.0f} ns")


def test_tardis_incremental_book_import(benchmark, l2_file, tmp_path):
    def run():
        import_file(
            l2_file,
            tmp_path / f"out{next(_RUNS)}",
            format_name="tardis",
            kind="incremental_book_L2",
            venue="deribit",
            tick_size="0.5",
            lot_size="10",
        )

    benchmark.pedantic(run, rounds=3, iterations=1)
    _report(benchmark, IMPORT_ROWS, "rows")


def test_decimal_text_to_ticks(benchmark):
    values = pa.array([f"{61_000 + i % 5_000}.{i % 100:02d}" for i in range(1_000_000)])
    benchmark(strings_to_units, values, Decimal("0.01"))
    _report(benchmark, len(values), "values")


def test_synthetic_generation(benchmark, tmp_path):
    def run():
        generate(SynthConfig(out=tmp_path / f"synth{next(_RUNS)}", events=SYNTH_EVENTS))

    benchmark.pedantic(run, rounds=3, iterations=1)
    _report(benchmark, SYNTH_EVENTS, "events")
