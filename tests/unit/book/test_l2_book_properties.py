"""Property tests: ``L2Book`` against the pure-Python ``ReferenceBook`` on random operations."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from hftcore.book import NO_PRICE_TICKS, L2Book
from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot
from hftcore.model.enums import BookAction, Side
from tests.builders.books import BOOK_INSTRUMENT_ID
from tests.unit.book.reference_book import ReferenceBook

MAX_PRICE_TICKS = 2**62 - 1

# Few enough prices that updates hit existing levels often, enough that a side outgrows the
# linear search of the top levels and the initial 64-level capacity.
sides = st.sampled_from([Side.BUY, Side.SELL])
prices = st.integers(min_value=1, max_value=300)
sizes = st.one_of(st.just(0), st.integers(min_value=1, max_value=1_000_000))
quantities = st.integers(min_value=1, max_value=5_000_000)
levels_of_side = st.dictionaries(prices, st.integers(min_value=1, max_value=1_000_000))


def book_levels(book, side):
    prices_ticks, sizes_lots = book.depth(side, 1_000_000)
    return list(zip(prices_ticks.tolist(), sizes_lots.tolist(), strict=True))


def as_snapshot(bids, asks):
    bid_levels = sorted(bids.items(), reverse=True)
    ask_levels = sorted(asks.items())
    return BookSnapshot(
        BOOK_INSTRUMENT_ID,
        np.array([price for price, _ in bid_levels], dtype=np.int64),
        np.array([size for _, size in bid_levels], dtype=np.int64),
        np.array([price for price, _ in ask_levels], dtype=np.int64),
        np.array([size for _, size in ask_levels], dtype=np.int64),
    )


def as_batch(changes):
    deltas = []
    for i, (side, price, size, use_delete) in enumerate(changes):
        action = BookAction.DELETE if size == 0 and use_delete else BookAction.UPDATE
        is_last = i == len(changes) - 1
        deltas.append(BookDelta(BOOK_INSTRUMENT_ID, action, side, price, size, is_last=is_last))
    return BookDeltas(BOOK_INSTRUMENT_ID, deltas)


class L2BookAgainstReference(RuleBasedStateMachine):
    """Drive an ``L2Book`` and a ``ReferenceBook`` with the same operations; compare after each."""

    def __init__(self):
        super().__init__()
        self.book = L2Book(BOOK_INSTRUMENT_ID)
        self.reference = ReferenceBook()

    @rule(side=sides, price=prices, size=sizes)
    def update_level(self, side, price, size):
        self.book.update_level(side, price, size)
        self.reference.update_level(side, price, size)

    @rule(changes=st.lists(st.tuples(sides, prices, sizes, st.booleans()), min_size=1, max_size=40))
    def apply_deltas(self, changes):
        self.book.apply_deltas(as_batch(changes))
        for side, price, size, _ in changes:
            self.reference.update_level(side, price, size)

    @rule(bids=levels_of_side, asks=levels_of_side)
    def apply_snapshot(self, bids, asks):
        self.book.apply_snapshot(as_snapshot(bids, asks))
        self.reference.apply_snapshot(list(bids.items()), list(asks.items()))

    @rule()
    def clear(self):
        self.book.clear()
        self.reference.clear()

    @rule(taker_side=sides, qty=quantities)
    def vwap_equals_the_reference(self, taker_side, qty):
        vwap, worst, filled = self.book.vwap_ticks(taker_side, qty)
        expected_vwap, expected_worst, expected_filled = self.reference.vwap(taker_side, qty)
        assert (worst, filled) == (
            NO_PRICE_TICKS if expected_worst is None else expected_worst,
            expected_filled,
        )
        # Notionals stay below 2**53 here, so the C double sum is exact and matches int / int.
        assert vwap == expected_vwap or (math.isnan(vwap) and math.isnan(expected_vwap))

    @invariant()
    def bid_levels_equal_the_reference(self):
        assert book_levels(self.book, Side.BUY) == self.reference.levels(Side.BUY)

    @invariant()
    def ask_levels_equal_the_reference(self):
        assert book_levels(self.book, Side.SELL) == self.reference.levels(Side.SELL)

    @invariant()
    def levels_stay_strictly_sorted_best_first(self):
        bid_prices = self.book.depth(Side.BUY, 1_000_000)[0]
        ask_prices = self.book.depth(Side.SELL, 1_000_000)[0]
        assert np.all(np.diff(bid_prices) < 0) and np.all(np.diff(ask_prices) > 0)

    @invariant()
    def no_level_has_size_zero(self):
        assert np.all(self.book.depth(Side.BUY, 1_000_000)[1] > 0)
        assert np.all(self.book.depth(Side.SELL, 1_000_000)[1] > 0)

    @invariant()
    def best_bid_equals_the_reference(self):
        best = self.reference.best(Side.BUY) or (NO_PRICE_TICKS, 0)
        assert (self.book.best_bid_price_ticks, self.book.best_bid_size_lots) == best
        assert self.book.has_bid == (best[0] != NO_PRICE_TICKS)

    @invariant()
    def best_ask_equals_the_reference(self):
        best = self.reference.best(Side.SELL) or (NO_PRICE_TICKS, 0)
        assert (self.book.best_ask_price_ticks, self.book.best_ask_size_lots) == best
        assert self.book.has_ask == (best[0] != NO_PRICE_TICKS)

    @invariant()
    def level_counts_equal_the_reference(self):
        assert (self.book.bid_level_count, self.book.ask_level_count) == (
            len(self.reference.bids),
            len(self.reference.asks),
        )

    @invariant()
    def spread_mid_and_crossing_follow_the_best_prices(self):
        bid, ask = self.reference.best(Side.BUY), self.reference.best(Side.SELL)
        if bid is None or ask is None:
            assert (self.book.spread_ticks, self.book.mid_price_ticks_x2) == (
                NO_PRICE_TICKS,
                NO_PRICE_TICKS,
            )
            assert not self.book.is_crossed()
        else:
            assert (self.book.spread_ticks, self.book.mid_price_ticks_x2) == (
                ask[0] - bid[0],
                ask[0] + bid[0],
            )
            assert self.book.is_crossed() == (bid[0] >= ask[0])


L2BookAgainstReference.TestCase.settings = settings(max_examples=60, stateful_step_count=60)
test_l2_book_matches_the_reference_book = L2BookAgainstReference.TestCase


@given(
    bids=st.dictionaries(
        st.integers(MAX_PRICE_TICKS - 10_000, MAX_PRICE_TICKS), st.integers(1, 2**40)
    ),
    taker_qty=st.integers(1, 2**45),
)
def test_vwap_near_the_highest_price_matches_the_reference_to_double_precision(bids, taker_qty):
    book = L2Book(BOOK_INSTRUMENT_ID)
    reference = ReferenceBook()
    for price, size in bids.items():
        book.update_level(Side.BUY, price, size)
        reference.update_level(Side.BUY, price, size)
    vwap, worst, filled = book.vwap_ticks(Side.SELL, taker_qty)
    expected_vwap, expected_worst, expected_filled = reference.vwap(Side.SELL, taker_qty)
    assert (worst, filled) == (
        NO_PRICE_TICKS if expected_worst is None else expected_worst,
        expected_filled,
    )
    assert math.isclose(vwap, expected_vwap, rel_tol=1e-12) or (
        math.isnan(vwap) and math.isnan(expected_vwap)
    )


@given(bids=levels_of_side, asks=levels_of_side)
def test_snapshot_then_depth_returns_the_snapshot(bids, asks):
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(as_snapshot(bids, asks))
    assert (book_levels(book, Side.BUY), book_levels(book, Side.SELL)) == (
        sorted(bids.items(), reverse=True),
        sorted(asks.items()),
    )
