"""A plain-dict L2 book for checking generated book rows (independent of hftcore.book), and
helpers measuring cross-venue and triangular mispricings on the touches it replays."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

CLEAR = 4
BID = 1
LAST = 1


@dataclass
class DictBook:
    """Price-level book applying catalog book rows one at a time."""

    bids: dict = field(default_factory=dict)
    asks: dict = field(default_factory=dict)

    def apply(self, side: int, price_ticks: int, size_lots: int, action: int) -> None:
        """Apply one catalog book row."""
        if action == CLEAR:
            self.bids.clear()
            self.asks.clear()
            return
        levels = self.bids if side == BID else self.asks
        if size_lots == 0:
            levels.pop(price_ticks, None)
        else:
            levels[price_ticks] = size_lots

    def best_bid(self) -> int | None:
        """Highest bid price, ticks."""
        return max(self.bids) if self.bids else None

    def best_ask(self) -> int | None:
        """Lowest ask price, ticks."""
        return min(self.asks) if self.asks else None

    def is_crossed(self) -> bool:
        """Whether the best bid is at or above the best ask."""
        bid, ask = self.best_bid(), self.best_ask()
        return bid is not None and ask is not None and bid >= ask


def message_touches(rows: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replay catalog book rows and return the touch after each message.

    Parameters
    ----------
    rows : dict
        Book columns (``ts_recv``, ``side``, ``price_ticks``, ``size_lots``, ``action``,
        ``flags``) as lists.

    Returns
    -------
    tuple of numpy arrays
        ``(ts_recv, best_bid_ticks, best_ask_ticks)``, one entry per message (a row with the
        *last* flag).
    """
    book = DictBook()
    ts_recv, bids, asks = [], [], []
    for ts, side, price, size, action, flags in zip(
        rows["ts_recv"],
        rows["side"],
        rows["price_ticks"],
        rows["size_lots"],
        rows["action"],
        rows["flags"],
        strict=True,
    ):
        book.apply(side, price, size, action)
        if flags & LAST:
            ts_recv.append(ts)
            bids.append(book.best_bid())
            asks.append(book.best_ask())
    return np.array(ts_recv), np.array(bids, dtype=float), np.array(asks, dtype=float)


def aligned(times: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Merge several receive-time series and index each at every merged time.

    Parameters
    ----------
    times : list of numpy arrays
        Sorted receive times of each series.

    Returns
    -------
    tuple
        ``(merged_times, indexes)``: the times at which every series has a value, and per
        series the index of its latest value at each of them.
    """
    merged = np.unique(np.concatenate(times))
    indexes = [np.searchsorted(series, merged, side="right") - 1 for series in times]
    known = np.all([index >= 0 for index in indexes], axis=0)
    return merged[known], [index[known] for index in indexes]


def episode_peaks(values: np.ndarray, threshold: float) -> list[float]:
    """Return the peak of each run of consecutive values above ``threshold``."""
    above = values > threshold
    starts = np.flatnonzero(above & ~np.r_[False, above[:-1]])
    ends = np.flatnonzero(above & ~np.r_[above[1:], False])
    return [float(values[start : end + 1].max()) for start, end in zip(starts, ends, strict=True)]


def catalog_touches(root: Path, venue: str, symbol: str, tick_size: float):
    """Touches of one instrument's book in a catalog, as prices (see `message_touches`)."""
    rows = pq.read_table(sorted((root / "book" / venue / symbol).glob("*.parquet"))).to_pydict()
    ts_recv, bids, asks = message_touches(rows)
    return ts_recv, bids * tick_size, asks * tick_size


def venue_cross_bp(root: Path) -> np.ndarray:
    """How far one venue's best bid is above the other's best ask (BTCUSDT.BINANCE against
    BTC-USDT.OKX), basis points, after every message of either; negative when not crossed."""
    binance = catalog_touches(root, "BINANCE", "BTCUSDT", 0.01)
    okx = catalog_touches(root, "OKX", "BTC-USDT", 0.1)
    _, (b, o) = aligned([binance[0], okx[0]])
    return (np.maximum(binance[1][b] / okx[2][o], okx[1][o] / binance[2][b]) - 1.0) * 1e4


def triangle_cycle_bp(root: Path) -> np.ndarray:
    """Return of the better triangle cycle through USDT at the touches before fees (buy BTC,
    buy ETH with BTC, sell ETH; or the reverse), basis points, after every message."""
    btc = catalog_touches(root, "BINANCE", "BTCUSDT", 0.01)
    eth = catalog_touches(root, "BINANCE", "ETHUSDT", 0.01)
    cross = catalog_touches(root, "BINANCE", "ETHBTC", 0.000001)
    _, (b, e, c) = aligned([btc[0], eth[0], cross[0]])
    via_btc = eth[1][e] / (btc[2][b] * cross[2][c])
    via_eth = cross[1][c] * btc[1][b] / eth[2][e]
    return (np.maximum(via_btc, via_eth) - 1.0) * 1e4
