"""Benchmarks of the k-way merge of event streams, alone and fed from a Parquet catalog.

Run: ``python -m pytest tests/benchmarks/test_replay_merge.py --benchmark-only -s``. One timed
call merges every event of six streams (``EVENTS`` in all); each benchmark prints events/s and
ns/event from the median. Target: merge only >= 20M events/s (2-core machine).
"""

import numpy as np
import pyarrow as pa
import pytest

from backtest.catalog.reader import InMemoryEventStream, ParquetCatalog
from backtest.catalog.schema import NS_PER_DAY
from backtest.catalog.writer import CatalogWriter
from backtest.replay import KWayMerge

EVENTS = 3_000_000
STREAMS = (
    ("book", "BINANCE", "BTCUSDT"),
    ("book", "OKX", "BTC-USDT"),
    ("quotes", "BINANCE", "BTCUSDT"),
    ("quotes", "OKX", "BTC-USDT"),
    ("trades", "BINANCE", "BTCUSDT"),
    ("trades", "OKX", "BTC-USDT"),
)
DAY_NS = 19_700 * NS_PER_DAY


def synthetic_table(kind: str, ts_recv_ns: np.ndarray) -> pa.Table:
    count = ts_recv_ns.size
    ones = np.ones(count, dtype=np.int64)
    if kind == "book":
        columns = {
            "ts_recv": ts_recv_ns,
            "ts_event": ts_recv_ns,
            "sequence": np.arange(count, dtype=np.uint64),
            "side": np.ones(count, dtype=np.int8),
            "price_ticks": ones,
            "size_lots": ones,
            "action": np.ones(count, dtype=np.uint8),
            "flags": np.ones(count, dtype=np.uint8),
        }
    elif kind == "quotes":
        columns = {
            "ts_recv": ts_recv_ns,
            "ts_event": ts_recv_ns,
            "bid_price_ticks": ones,
            "bid_size_lots": ones,
            "ask_price_ticks": ones,
            "ask_size_lots": ones,
        }
    else:
        columns = {
            "ts_recv": ts_recv_ns,
            "ts_event": ts_recv_ns,
            "price_ticks": ones,
            "size_lots": ones,
            "aggressor": np.ones(count, dtype=np.int8),
            "trade_id": pa.array(np.arange(count).astype(str)),
        }
    return pa.table(columns)


def interleaved_tables(bursty: bool) -> list[pa.Table]:
    """Six tables of EVENTS / 6 rows; random times (worst case) or bursts of 50 book rows."""
    rng = np.random.default_rng(7)
    per_stream = EVENTS // len(STREAMS)
    tables = []
    for kind, _, _ in STREAMS:
        if bursty and kind == "book":
            starts = np.sort(rng.integers(0, NS_PER_DAY, per_stream // 50))
            ts = np.repeat(starts, 50) + np.tile(np.arange(50), per_stream // 50)
        else:
            ts = np.sort(rng.integers(0, NS_PER_DAY, per_stream))
        tables.append(synthetic_table(kind, DAY_NS + ts.astype(np.int64)))
    return tables


def report(benchmark, label: str) -> None:
    median_s = benchmark.stats.stats.median
    events_per_s = EVENTS / median_s
    print(f"\n{label}: {events_per_s / 1e6:.1f}M events/s, {1e9 / events_per_s:.1f} ns/event")


@pytest.mark.parametrize("bursty", [False, True], ids=["random", "bursty"])
def test_merge_only(benchmark, bursty):
    tables = interleaved_tables(bursty)
    streams = [
        InMemoryEventStream(kind, venue, symbol, table, batch_rows=65_536)
        for (kind, venue, symbol), table in zip(STREAMS, tables, strict=True)
    ]

    def fresh_merge():
        return (KWayMerge(streams),), {}

    count = benchmark.pedantic(lambda merge: merge.drain(), setup=fresh_merge, rounds=5)
    assert count == EVENTS
    report(benchmark, f"merge only ({'bursty' if bursty else 'random'} times)")


def test_merge_fed_from_parquet(benchmark, tmp_path_factory):
    root = tmp_path_factory.mktemp("merge_catalog")
    instruments = [{"id": "BTCUSDT.BINANCE"}, {"id": "BTC-USDT.OKX"}]
    with CatalogWriter(root, instruments) as writer:
        for (kind, venue, symbol), table in zip(STREAMS, interleaved_tables(True), strict=True):
            writer.write(kind, f"{symbol}.{venue}", table)
    catalog = ParquetCatalog(root)

    def fresh_merge():
        return (KWayMerge(catalog.streams()),), {}

    count = benchmark.pedantic(lambda merge: merge.drain(), setup=fresh_merge, rounds=3)
    assert count == EVENTS
    report(benchmark, "Parquet decode + merge")
