"""Benchmarks of ``L2Book``, each beside the same operation on a ``sortedcontainers`` book.

Run (about 15 s on the 2-core machine; rounds and calls per round are fixed here)::

    python -m pytest tests/benchmarks/test_book.py --benchmark-only -s

Books start from the real Binance spot BTCUSDT REST snapshot in the shared captures (1,000
levels a side, 0.01 USDT ticks, 1e-8 BTC lots). One timed call is one operation, so the median
column is ns/op, except ``test_apply_40_level_batch`` (ns per batch of 40 deltas),
``test_best_bid_read_in_a_python_loop`` (1,000 reads per call; ns/read is printed and stored in
``extra_info``) and ``test_replay_binance_capture`` (the whole capture: 3,449 batches, 124,073
deltas; ns/delta printed and stored likewise). ``test_harness_overhead_of_one_call`` times a
trivial C call (``id``) made the same way: the part of each row that is the Python call itself.
"""

import random
from operator import attrgetter

import numpy as np
import pytest
from sortedcontainers import SortedDict

from hftcore.book import NO_PRICE_TICKS, L2Book
from hftcore.model.data import BookDelta, BookDeltas
from hftcore.model.enums import BookAction, Side
from tests.builders.books import BOOK_INSTRUMENT_ID, load_binance_depth_replay

CAPTURE = "binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz"
BATCH_SIZE = 40
ONE_BTC_LOTS = 100_000_000
ROUNDS = 25
"""Timed rounds of each benchmark; each round makes a fixed number of calls (see ``timed``)."""

pytestmark = pytest.mark.shared_data


class SortedDictBook:
    """The book operations benchmarked here, on two ``SortedDict`` of ``{price_ticks: size_lots}``.

    The usual pure-Python book: the speed baseline ``L2Book`` is compared against.
    """

    def __init__(self) -> None:
        self.bids = SortedDict()
        self.asks = SortedDict()

    def update_level(self, side: Side, price_ticks: int, size_lots: int) -> None:
        """Set one level's size; size 0 removes it."""
        levels = self.bids if side == Side.BUY else self.asks
        if size_lots == 0:
            levels.pop(price_ticks, None)
        else:
            levels[price_ticks] = size_lots

    def apply_delta(self, delta: BookDelta) -> None:
        """Apply one UPDATE or DELETE delta."""
        size_lots = 0 if delta.action == BookAction.DELETE else delta.size_lots
        self.update_level(delta.side, delta.price_ticks, size_lots)

    def apply_deltas(self, deltas: BookDeltas) -> None:
        """Apply a batch of UPDATE or DELETE deltas in order."""
        for delta in deltas.deltas:
            self.apply_delta(delta)

    def apply_snapshot(self, snapshot) -> None:
        """Replace both sides with a snapshot's levels."""
        self.bids = SortedDict(
            zip(snapshot.bid_prices_ticks.tolist(), snapshot.bid_sizes_lots.tolist(), strict=True)
        )
        self.asks = SortedDict(
            zip(snapshot.ask_prices_ticks.tolist(), snapshot.ask_sizes_lots.tolist(), strict=True)
        )

    @property
    def best_bid_price_ticks(self) -> int:
        """Highest bid price, or ``NO_PRICE_TICKS``."""
        return self.bids.peekitem(-1)[0] if self.bids else NO_PRICE_TICKS

    @property
    def best_ask_price_ticks(self) -> int:
        """Lowest ask price, or ``NO_PRICE_TICKS``."""
        return self.asks.peekitem(0)[0] if self.asks else NO_PRICE_TICKS

    def depth(self, side: Side, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Return up to ``n`` levels of one side, best first, as int64 arrays."""
        if side == Side.BUY:
            keys = self.bids.keys()[: -n - 1 : -1]
            levels = self.bids
        else:
            keys = self.asks.keys()[:n]
            levels = self.asks
        return np.array(keys, dtype=np.int64), np.array([levels[k] for k in keys], np.int64)

    def vwap_ticks(self, taker_side: Side, qty_lots: int) -> tuple[float, int, int]:
        """Walk the opposite side like ``L2Book.vwap_ticks``."""
        levels = self.asks.items() if taker_side == Side.BUY else reversed(self.bids.items())
        notional = filled = 0
        worst = NO_PRICE_TICKS
        for price, size in levels:
            take = min(size, qty_lots - filled)
            notional += price * take
            filled += take
            worst = price
            if filled == qty_lots:
                break
        return (notional / filled if filled else float("nan")), worst, filled


BOOK_TYPES = {"L2Book": lambda: L2Book(BOOK_INSTRUMENT_ID), "SortedDict": SortedDictBook}


@pytest.fixture(scope="module")
def binance_replay(shared_data):
    return load_binance_depth_replay(shared_data / CAPTURE)


@pytest.fixture(params=list(BOOK_TYPES))
def book(request, binance_replay):
    book = BOOK_TYPES[request.param]()
    book.apply_snapshot(binance_replay[0])
    return book


def level_batch(snapshot) -> BookDeltas:
    """Return 40 deltas within the top 100 levels that leave the book as it was.

    30 set a level to its current size; 5 delete a level and 5 add it back (inserts and
    removals in the middle of the arrays).
    """
    rng = random.Random(7)
    bids = list(
        zip(
            snapshot.bid_prices_ticks[:100].tolist(),
            snapshot.bid_sizes_lots[:100].tolist(),
            strict=True,
        )
    )
    asks = list(
        zip(
            snapshot.ask_prices_ticks[:100].tolist(),
            snapshot.ask_sizes_lots[:100].tolist(),
            strict=True,
        )
    )
    changes = [(Side.BUY, *rng.choice(bids)) for _ in range(15)]
    changes += [(Side.SELL, *rng.choice(asks)) for _ in range(15)]
    rng.shuffle(changes)
    removed = [(Side.BUY, *level) for level in rng.sample(bids, 3)]
    removed += [(Side.SELL, *level) for level in rng.sample(asks, 2)]
    changes = [(side, price, 0) for side, price, _ in removed] + changes + removed
    deltas = [
        BookDelta(
            BOOK_INSTRUMENT_ID,
            BookAction.UPDATE,
            side,
            price,
            size,
            sequence=1,
            is_last=i == BATCH_SIZE - 1,
        )
        for i, (side, price, size) in enumerate(changes)
    ]
    return BookDeltas(BOOK_INSTRUMENT_ID, deltas)


def timed(benchmark, function, *args, iterations=10_000):
    """Time ``function(*args)``: ``ROUNDS`` rounds of ``iterations`` calls, reported per call.

    Fixed iterations, not pytest-benchmark's calibration, which on a loaded 2-core machine can
    settle on one call per round and then mostly measures the timer.
    """
    benchmark.pedantic(function, args=args, iterations=iterations, rounds=ROUNDS, warmup_rounds=1)


# -- UPDATES --


def test_update_level_at_the_top(benchmark, book):
    price, size = book.best_bid_price_ticks, 123_456
    timed(benchmark, book.update_level, Side.BUY, price, size)


def test_update_level_50_levels_deep(benchmark, book, binance_replay):
    price = int(binance_replay[0].bid_prices_ticks[50])
    timed(benchmark, book.update_level, Side.BUY, price, 123_456)


def test_apply_delta(benchmark, book, binance_replay):
    price = int(binance_replay[0].ask_prices_ticks[3])
    delta = BookDelta(BOOK_INSTRUMENT_ID, BookAction.UPDATE, Side.SELL, price, 123_456)
    timed(benchmark, book.apply_delta, delta)


def test_apply_40_level_batch(benchmark, book, binance_replay):
    timed(benchmark, book.apply_deltas, level_batch(binance_replay[0]), iterations=500)


def test_apply_1000_level_snapshot(benchmark, book, binance_replay):
    timed(benchmark, book.apply_snapshot, binance_replay[0], iterations=100)


@pytest.mark.parametrize("book_type_name", list(BOOK_TYPES))
def test_replay_binance_capture(benchmark, binance_replay, book_type_name):
    snapshot, batches = binance_replay
    delta_count = sum(len(deltas.deltas) for deltas in batches)
    book_type = BOOK_TYPES[book_type_name]

    def fresh_book():
        book = book_type()
        book.apply_snapshot(snapshot)
        return (book,), {}

    def replay(book):
        for deltas in batches:
            book.apply_deltas(deltas)

    benchmark.pedantic(replay, setup=fresh_book, rounds=5, warmup_rounds=0)
    ns_per_delta = benchmark.stats.stats.median * 1e9 / delta_count
    benchmark.extra_info["ns_per_delta"] = round(ns_per_delta, 1)
    print(f"replay {book_type_name}: {ns_per_delta:.1f} ns/delta over {delta_count} deltas")


# -- QUERIES --


def test_harness_overhead_of_one_call(benchmark):
    """Time ``id(object)``: what every row below pays for the Python call, not the book."""
    timed(benchmark, id, BOOK_INSTRUMENT_ID)


def test_best_bid_read(benchmark, book):
    timed(benchmark, attrgetter("best_bid_price_ticks"), book)


def test_best_bid_read_in_a_python_loop(benchmark, book):
    """Read the best bid 1,000 times per call; prints ns/read without the per-call harness."""
    reads = range(1_000)

    def read_best_bid():
        for _ in reads:
            book.best_bid_price_ticks  # noqa: B018 - the attribute read is what is timed

    timed(benchmark, read_best_bid, iterations=100)
    ns_per_read = benchmark.stats.stats.median * 1e9 / len(reads)
    benchmark.extra_info["ns_per_read"] = round(ns_per_read, 1)
    print(f"best bid read in a loop {type(book).__name__}: {ns_per_read:.1f} ns/read")


def test_best_bid_and_ask_read(benchmark, book):
    timed(benchmark, attrgetter("best_bid_price_ticks", "best_ask_price_ticks"), book)


def test_vwap_of_one_btc(benchmark, book):
    timed(benchmark, book.vwap_ticks, Side.BUY, ONE_BTC_LOTS, iterations=2_000)


def test_depth_20_levels(benchmark, book):
    timed(benchmark, book.depth, Side.BUY, 20, iterations=2_000)
