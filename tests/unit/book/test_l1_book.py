import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.book import NO_PRICE_TICKS, L1Book, L2Book
from hftcore.errors import BookIntegrityError
from hftcore.model.data import BookDelta, BookSnapshot, Quote
from hftcore.model.enums import BookAction, Side
from hftcore.model.identifiers import InstrumentId
from tests.builders.books import BOOK_INSTRUMENT_ID, make_l1_book

OTHER_INSTRUMENT_ID = InstrumentId.from_str("ETHUSDT.BINANCE")


def quote(bid_price, bid_size, ask_price, ask_size, ts_event=0, ts_recv=0):
    return Quote(
        BOOK_INSTRUMENT_ID,
        bid_price,
        bid_size,
        ask_price,
        ask_size,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def top(book):
    return (
        book.best_bid_price_ticks,
        book.best_bid_size_lots,
        book.best_ask_price_ticks,
        book.best_ask_size_lots,
    )


# -- QUOTES --


def test_new_l1_book_is_empty():
    assert top(L1Book(BOOK_INSTRUMENT_ID)) == (NO_PRICE_TICKS, 0, NO_PRICE_TICKS, 0)


def test_quote_sets_the_best_bid_and_ask():
    book = L1Book(BOOK_INSTRUMENT_ID)
    book.apply_quote(quote(100, 5, 101, 3))
    assert top(book) == (100, 5, 101, 3)


def test_quote_replaces_the_previous_top_even_when_worse():
    book = make_l1_book(bid=(100, 5), ask=(101, 3))
    book.apply_quote(quote(98, 1, 103, 2))
    assert top(book) == (98, 1, 103, 2)


def test_quote_records_its_timestamps_and_has_no_sequence():
    book = L1Book(BOOK_INSTRUMENT_ID)
    book.apply_quote(quote(100, 5, 101, 3, ts_event=11, ts_recv=12))
    assert (book.sequence, book.ts_event, book.ts_recv, book.update_count) == (0, 11, 12, 1)


def test_quote_of_another_instrument_is_refused():
    foreign = Quote(OTHER_INSTRUMENT_ID, 100, 5, 101, 3)
    with pytest.raises(BookIntegrityError, match=r"Quote\.instrument_id"):
        L1Book(BOOK_INSTRUMENT_ID).apply_quote(foreign)


def test_unchecked_quote_is_refused_and_leaves_the_book_unchanged():
    # Quote.__new__ skips the constructor's checks, as Cython decoders' factories do.
    book = make_l1_book(bid=(100, 5), ask=(101, 3))
    with pytest.raises(BookIntegrityError):
        book.apply_quote(Quote.__new__(Quote))
    assert top(book) == (100, 5, 101, 3)


# -- LEVEL UPDATES --


def test_update_at_a_better_price_replaces_the_top():
    book = make_l1_book(bid=(100, 5), ask=None)
    book.update_level(Side.BUY, 101, 2)
    assert (book.best_bid_price_ticks, book.best_bid_size_lots) == (101, 2)


def test_update_at_the_best_price_replaces_its_size():
    book = make_l1_book(bid=None, ask=(101, 3))
    book.update_level(Side.SELL, 101, 9)
    assert (book.best_ask_price_ticks, book.best_ask_size_lots) == (101, 9)


def test_update_behind_the_best_price_is_ignored():
    book = make_l1_book(bid=None, ask=(101, 3))
    book.update_level(Side.SELL, 102, 9)
    assert (book.best_ask_price_ticks, book.best_ask_size_lots) == (101, 3)


def test_update_on_an_empty_side_sets_the_top():
    book = L1Book(BOOK_INSTRUMENT_ID)
    book.update_level(Side.SELL, 150, 4)
    assert (book.best_ask_price_ticks, book.best_ask_size_lots) == (150, 4)


def test_zero_size_at_the_best_price_empties_the_side():
    book = make_l1_book(bid=(100, 5), ask=(101, 3))
    book.update_level(Side.BUY, 100, 0)
    assert (book.has_bid, book.best_bid_price_ticks, book.best_bid_size_lots) == (
        False,
        NO_PRICE_TICKS,
        0,
    )


def test_zero_size_behind_the_best_price_is_ignored():
    book = make_l1_book(bid=(100, 5), ask=(101, 3))
    book.update_level(Side.BUY, 99, 0)
    assert (book.best_bid_price_ticks, book.best_bid_size_lots) == (100, 5)


def test_l1_update_with_negative_size_is_refused_naming_the_value():
    with pytest.raises(BookIntegrityError, match="size_lots: expected >= 0, got -2"):
        L1Book(BOOK_INSTRUMENT_ID).update_level(Side.BUY, 100, -2)


def test_delete_delta_at_the_best_price_empties_the_side():
    book = make_l1_book(bid=(100, 5), ask=(101, 3))
    book.apply_delta(BookDelta(BOOK_INSTRUMENT_ID, BookAction.DELETE, Side.SELL, 101, 0))
    assert book.has_ask is False


def test_clear_delta_empties_the_l1_book():
    book = make_l1_book()
    book.apply_delta(BookDelta(BOOK_INSTRUMENT_ID, BookAction.CLEAR, Side.NO_SIDE, 0, 0))
    assert (book.has_bid, book.has_ask) == (False, False)


def test_snapshot_keeps_the_best_level_of_each_side():
    book = L1Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(BookSnapshot(BOOK_INSTRUMENT_ID, [100, 99], [5, 1], [101, 102], [3, 2]))
    assert top(book) == (100, 5, 101, 3)


def test_empty_snapshot_empties_the_l1_book():
    book = make_l1_book()
    book.apply_snapshot(BookSnapshot(BOOK_INSTRUMENT_ID, [], [], [], []))
    assert (book.has_bid, book.has_ask) == (False, False)


# -- QUERIES --


def test_l1_depth_returns_the_single_best_level():
    prices, sizes = make_l1_book(bid=(100, 5), ask=(101, 3)).depth(Side.BUY, 10)
    assert (prices.tolist(), sizes.tolist(), prices.dtype) == ([100], [5], np.int64)


def test_l1_depth_of_an_empty_side_is_empty():
    prices, _ = make_l1_book(bid=(100, 5), ask=None).depth(Side.SELL, 10)
    assert prices.size == 0


def test_l1_depth_of_zero_levels_is_empty():
    prices, _ = make_l1_book().depth(Side.BUY, 0)
    assert prices.size == 0


def test_l1_level_counts_are_at_most_one():
    book = make_l1_book(bid=(100, 5), ask=None)
    assert (book.bid_level_count, book.ask_level_count) == (1, 0)


def test_l1_vwap_fills_at_most_the_best_size_at_the_best_price():
    book = make_l1_book(bid=(100, 5), ask=(101, 3))
    assert book.vwap_ticks(Side.BUY, 10) == (101.0, 101, 3)


def test_l1_vwap_against_an_empty_side_fills_nothing():
    vwap, worst, filled = make_l1_book(bid=None, ask=(101, 3)).vwap_ticks(Side.SELL, 1)
    assert (math.isnan(vwap), worst, filled) == (True, NO_PRICE_TICKS, 0)


def test_l1_spread_mid_and_crossing_come_from_the_top():
    book = make_l1_book(bid=(100, 5), ask=(104, 3))
    assert (book.spread_ticks, book.mid_price_ticks_x2, book.is_crossed()) == (4, 204, False)


def test_l1_repr_names_the_book_type():
    assert repr(make_l1_book(bid=(100, 5), ask=None)).startswith(
        "L1Book(instrument_id=BTCUSDT.BINANCE, bid=5@100, ask=0@none, levels=1x0"
    )


# -- AGAINST AN L2 BOOK --

updates = st.lists(
    st.tuples(
        st.sampled_from([Side.BUY, Side.SELL]),
        st.integers(min_value=1, max_value=50),
        st.one_of(st.just(0), st.integers(min_value=1, max_value=1_000)),
    ),
    max_size=200,
)


@given(updates=updates)
def test_l1_top_is_always_a_level_of_the_l2_book_fed_the_same_updates(updates):
    l1_book = L1Book(BOOK_INSTRUMENT_ID)
    l2_book = L2Book(BOOK_INSTRUMENT_ID)
    for side, price, size in updates:
        l1_book.update_level(side, price, size)
        l2_book.update_level(side, price, size)
        for book_side in (Side.BUY, Side.SELL):
            l1_levels = list(zip(*(a.tolist() for a in l1_book.depth(book_side, 1)), strict=True))
            l2_levels = dict(
                zip(*(a.tolist() for a in l2_book.depth(book_side, 1_000)), strict=True)
            )
            assert all(l2_levels.get(p) == s for p, s in l1_levels)


@given(updates=updates.map(lambda changes: [c for c in changes if c[2] > 0]))
def test_l1_top_equals_the_l2_top_when_no_level_is_deleted(updates):
    l1_book = L1Book(BOOK_INSTRUMENT_ID)
    l2_book = L2Book(BOOK_INSTRUMENT_ID)
    for side, price, size in updates:
        l1_book.update_level(side, price, size)
        l2_book.update_level(side, price, size)
    assert top(l1_book) == top(l2_book)
