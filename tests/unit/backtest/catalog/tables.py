"""Builders of catalog tables and of a small two-venue, two-day sample catalog."""

import numpy as np
import pyarrow as pa

from backtest.catalog.schema import NS_PER_DAY, SCHEMAS
from backtest.catalog.writer import CatalogWriter

DAY_NS = 19_700 * NS_PER_DAY
"""Midnight UTC of 2023-12-09, the first day of the sample catalog."""

INSTRUMENTS = [
    {
        "id": "BTCUSDT.BINANCE",
        "kind": "SPOT",
        "base": "BTC",
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": "0.01",
        "lot_size": "0.00001",
        "min_quantity": "0.00001",
        "min_notional": "5",
        "maker_fee": "0.0001",
        "taker_fee": "0.0004",
        "multiplier": "1",
        "expiry_ns": 0,
    },
    {
        "id": "BTC-USDT.OKX",
        "kind": "SPOT",
        "base": "BTC",
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": "0.1",
        "lot_size": "0.00000001",
        "min_quantity": "0.00001",
        "min_notional": "1",
        "maker_fee": "0.0008",
        "taker_fee": "0.001",
        "multiplier": "1",
        "expiry_ns": 0,
    },
]


def make_table(kind: str, ts_recv_ns, seed: int = 0) -> pa.Table:
    """Return a ``kind`` table with the given ``ts_recv`` and deterministic other columns."""
    ts = np.asarray(ts_recv_ns, dtype=np.int64)
    count = ts.size
    index = np.arange(count, dtype=np.int64) + seed * 1_000_000
    if kind == "book":
        columns = {
            "ts_recv": ts,
            "ts_event": ts - 3,
            "sequence": index.astype(np.uint64) + 1,
            "side": (index % 2 + 1).astype(np.int8),
            "price_ticks": 3_000_000 + index,
            "size_lots": index % 7,
            "action": (index % 3 + 1).astype(np.uint8),
            "flags": (index % 4).astype(np.uint8),
        }
    elif kind == "trades":
        columns = {
            "ts_recv": ts,
            "ts_event": ts - 2,
            "price_ticks": 3_000_000 - index,
            "size_lots": index % 11 + 1,
            "aggressor": (index % 3).astype(np.int8),
            "trade_id": pa.array([f"{seed}-{i}" for i in range(count)], pa.string()),
        }
    else:
        columns = {
            "ts_recv": ts,
            "ts_event": ts - 1,
            "bid_price_ticks": 2_999_999 - index,
            "bid_size_lots": index % 5 + 1,
            "ask_price_ticks": 3_000_001 + index,
            "ask_size_lots": index % 13 + 1,
        }
    return pa.Table.from_pydict(columns, schema=SCHEMAS[kind])


def sample_timestamps(count: int, seed: int) -> np.ndarray:
    """Return ``count`` sorted ``ts_recv`` over the sample's two days, with repeated values."""
    rng = np.random.default_rng(seed)
    ts = np.sort(DAY_NS + rng.integers(0, 2 * NS_PER_DAY, count))
    return ts - ts % 60_000_000_000  # whole minutes: many rows share a ts_recv


def write_sample_catalog(root) -> None:
    """Write book, trades and quotes for BINANCE and OKX over two days into ``root``."""
    with CatalogWriter(root, INSTRUMENTS) as writer:
        for seed, instrument in enumerate(INSTRUMENTS):
            for kind, count in (("book", 3000), ("trades", 700), ("quotes", 900)):
                ts = sample_timestamps(count, seed * 10 + len(kind))
                writer.write(kind, instrument["id"], make_table(kind, ts, seed))
