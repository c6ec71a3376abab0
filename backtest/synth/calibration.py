"""Measure real captures and generated catalogs with the same statistics.

``python -m backtest.synth.calibration [SHARED_DATA_DIR]`` measures the Binance and OKX
BTC/USDT captures in ``shared/data`` (the figures kept in ``params.MEASURED``), generates five
minutes of synthetic data with the calibrated parameters and prints them side by side: once
without venue shocks (the captures hold none, so this is the like-for-like column) and once with
them, as the bundled sample is made.

Statistics: book messages and rows per second, share of deletes, trades per second, median trade
size, share of time the spread is one tick, median level spacing near the touch, and the feed
delay (``ts_recv - ts_event``; the Binance capture's clock ran 1.27 s behind the venue's, so only
its jitter above the minimum is meaningful).
"""

import gzip
import json
import sys
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from backtest.synth.params import MEASURED


def _percentile_ms(values_ns: np.ndarray, q: float) -> float:
    return round(float(np.percentile(values_ns, q)) / 1e6, 1)


def measure_binance_capture(path: Path) -> dict:
    """Measure a hftbacktest Binance spot capture (``<recv ns> <combined-stream JSON>``).

    Parameters
    ----------
    path : Path
        E.g. ``shared/data/binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz``.

    Returns
    -------
    dict
        The statistics named in the module docstring.
    """
    depth_rows = depth_deletes = 0
    depth_times, trade_times, trade_sizes, spreads, delays_ns = [], [], [], [], []
    snapshot = None
    takers: Counter = Counter()
    tick = Decimal("0.01")
    with gzip.open(path, "rt") as lines:
        for line in lines:
            recv_text, payload = line.split(" ", 1)
            message = json.loads(payload)
            recv_ns = int(recv_text)
            if "lastUpdateId" in message:
                snapshot = message
                continue
            data = message["data"]
            stream = message["stream"]
            if "@depth" in stream:
                levels = data["b"] + data["a"]
                depth_rows += len(levels)
                depth_deletes += sum(1 for _, size in levels if Decimal(size) == 0)
                depth_times.append(recv_ns)
                delays_ns.append(recv_ns - data["E"] * 1_000_000)
            elif "@trade" in stream:
                trade_times.append(recv_ns)
                trade_sizes.append(Decimal(data["q"]))
                takers[data["T"]] += 1
            else:
                spreads.append((Decimal(data["a"]) - Decimal(data["b"])) / tick)
    seconds = (depth_times[-1] - depth_times[0]) / 1e9
    bids = [Decimal(price) for price, _ in snapshot["bids"][:50]]
    delays = np.array(delays_ns, dtype=np.float64)
    jitter = delays - delays.min()
    return {
        "book_messages_per_s": round(len(depth_times) / seconds, 1),
        "book_rows_per_s": round(depth_rows / seconds, 0),
        "delete_share": round(depth_deletes / depth_rows, 2),
        "trades_per_s": round(len(trade_times) / seconds, 1),
        "taker_events_per_s": round(len(takers) / seconds, 1),
        "trade_size_median": str(sorted(trade_sizes)[len(trade_sizes) // 2].normalize()),
        "spread_one_tick_share": round(sum(1 for s in spreads if s == 1) / len(spreads), 2),
        "depth_levels": len(snapshot["bids"]),
        "level_spacing_ticks": int((bids[0] - bids[-1]) / tick / (len(bids) - 1)),
        "feed_delay_jitter_p50_ms": _percentile_ms(jitter, 50),
        "feed_delay_jitter_p99_ms": _percentile_ms(jitter, 99),
    }


def measure_okx_capture(path: Path, inst_id: str = "BTC-USDT") -> dict:
    """Measure a cryptofeed OKX capture (``<recv s>: <JSON>`` lines).

    Parameters
    ----------
    path : Path
        E.g. ``shared/data/okx/cryptofeed_OKX.ws.1.0.part1.txt``.
    inst_id : str
        The instrument to measure.

    Returns
    -------
    dict
        The statistics named in the module docstring.
    """
    book_rows = deletes = 0
    update_times, trade_times, trade_sizes, delays_ns = [], [], [], []
    snapshot = None
    for line in path.read_text().splitlines():
        if line.startswith("wss://"):
            continue
        recv_text, payload = line.split(": ", 1)
        message = json.loads(payload)
        argument = message.get("arg", {})
        if argument.get("instId") != inst_id or "data" not in message:
            continue
        recv_ns = int(Decimal(recv_text) * 1_000_000_000)
        for data in message["data"]:
            if argument["channel"] == "books":
                if message.get("action") == "snapshot":
                    snapshot = data
                    continue
                levels = data["bids"] + data["asks"]
                book_rows += len(levels)
                deletes += sum(1 for level in levels if Decimal(level[1]) == 0)
                update_times.append(recv_ns)
                delays_ns.append(recv_ns - int(data["ts"]) * 1_000_000)
            elif argument["channel"] == "trades":
                trade_times.append(recv_ns)
                trade_sizes.append(Decimal(data["sz"]))
    seconds = (update_times[-1] - update_times[0]) / 1e9
    tick = Decimal("0.1")
    bids = [Decimal(level[0]) for level in snapshot["bids"][:50]]
    asks = [Decimal(level[0]) for level in snapshot["asks"][:1]]
    delays = np.array(delays_ns, dtype=np.float64)
    return {
        "book_messages_per_s": round(len(update_times) / seconds, 1),
        "book_rows_per_s": round(book_rows / seconds, 0),
        "delete_share": round(deletes / book_rows, 2),
        "trades_per_s": round(len(trade_times) / seconds, 1),
        "trade_size_median": str(sorted(trade_sizes)[len(trade_sizes) // 2].normalize()),
        "spread_ticks_at_snapshot": int((asks[0] - bids[0]) / tick),
        "depth_levels": len(snapshot["bids"]),
        "level_spacing_ticks": int((bids[0] - bids[-1]) / tick / (len(bids) - 1)),
        "feed_delay_min_ms": _percentile_ms(delays, 0),
        "feed_delay_p50_ms": _percentile_ms(delays, 50),
        "feed_delay_p99_ms": _percentile_ms(delays, 99),
    }


def measure_catalog(root: Path, venue: str, symbol: str, lot_size: str) -> dict:
    """Measure one generated instrument with the statistics of the captures.

    Parameters
    ----------
    root : Path
        Catalog directory (generated with quotes).
    venue, symbol : str
        The instrument.
    lot_size : str
        Its lot size, to print trade sizes in base units.

    Returns
    -------
    dict
        The statistics named in the module docstring.
    """
    book = pq.read_table(sorted((root / "book" / venue / symbol).glob("*.parquet")))
    trades = pq.read_table(sorted((root / "trades" / venue / symbol).glob("*.parquet")))
    quotes = pq.read_table(sorted((root / "quotes" / venue / symbol).glob("*.parquet")))
    ts_recv = book.column("ts_recv").to_numpy()
    seconds = (ts_recv[-1] - ts_recv[0]) / 1e9
    deltas = pc.invert(pc.equal(pc.bit_wise_and(book.column("flags"), 2), 2))
    delta_rows = book.filter(deltas)
    messages = int(pc.sum(pc.equal(pc.bit_wise_and(delta_rows.column("flags"), 1), 1)).as_py())
    spread = (
        quotes.column("ask_price_ticks").to_numpy() - quotes.column("bid_price_ticks").to_numpy()
    )
    sizes = np.sort(trades.column("size_lots").to_numpy())
    delays = delta_rows.column("ts_recv").to_numpy() - delta_rows.column("ts_event").to_numpy()
    return {
        "book_messages_per_s": round(messages / seconds, 1),
        "book_rows_per_s": round(delta_rows.num_rows / seconds, 0),
        "delete_share": round(float(np.mean(delta_rows.column("action").to_numpy() == 3)), 2),
        "trades_per_s": round(trades.num_rows / seconds, 1),
        "trade_size_median": str(
            (Decimal(int(sizes[len(sizes) // 2])) * Decimal(lot_size)).normalize()
        ),
        "spread_one_tick_share": round(float(np.mean(spread == 1)), 2),
        "feed_delay_p50_ms": _percentile_ms(delays, 50),
        "feed_delay_p99_ms": _percentile_ms(delays, 99),
    }


def main(argv: list[str]) -> int:
    """Print measured and generated statistics side by side.

    Parameters
    ----------
    argv : list of str
        ``[SHARED_DATA_DIR]`` (default ``../shared/data``).

    Returns
    -------
    int
        0.
    """
    from backtest.synth.generator import SynthConfig, generate

    shared = Path(argv[0]) if argv else Path("../shared/data")
    captured = {
        "BTCUSDT.BINANCE": measure_binance_capture(
            shared / "binance" / "hftbacktest_spot_btcusdt_20240808.jsonl.gz"
        ),
        "BTC-USDT.OKX": measure_okx_capture(shared / "okx" / "cryptofeed_OKX.ws.1.0.part1.txt"),
    }
    with tempfile.TemporaryDirectory() as directory:
        calm, shocked = Path(directory) / "calm", Path(directory) / "shocks"
        generate(SynthConfig(out=calm, minutes=5, quotes=True, overrides={"shock_rate_per_s": 0.0}))
        generate(SynthConfig(out=shocked, minutes=5, quotes=True))
        print(f"  {'':28} {'capture':>12} {'no shocks':>12} {'shocks':>12}")
        for instrument_id, measured in captured.items():
            symbol, venue = instrument_id.rsplit(".", 1)
            lot_size = MEASURED[instrument_id]["lot_size"]
            columns = [
                measured,
                measure_catalog(calm, venue, symbol, lot_size),
                measure_catalog(shocked, venue, symbol, lot_size),
            ]
            print(f"{instrument_id}  (capture: {MEASURED[instrument_id]['source']})")
            for name in sorted(set().union(*columns)):
                print(f"  {name:28}" + "".join(f" {c.get(name, '-')!s:>12}" for c in columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
