import math

import numpy as np
import pytest

from hftcore.book import NO_PRICE_TICKS, L2Book
from hftcore.errors import BookIntegrityError
from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot
from hftcore.model.enums import BookAction, Side
from hftcore.model.identifiers import InstrumentId
from tests.builders.books import BOOK_INSTRUMENT_ID, make_l2_book

OTHER_INSTRUMENT_ID = InstrumentId.from_str("ETHUSDT.BINANCE")
MAX_PRICE_TICKS = 2**62 - 1


def levels(book, side):
    prices, sizes = book.depth(side, 1_000_000)
    return list(zip(prices.tolist(), sizes.tolist(), strict=True))


def delta(action, side, price_ticks, size_lots, sequence=0, is_last=True, ts_event=0, ts_recv=0):
    return BookDelta(
        BOOK_INSTRUMENT_ID,
        action,
        side,
        price_ticks,
        size_lots,
        sequence=sequence,
        is_last=is_last,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def batch(*changes):
    deltas = [
        delta(action, side, price, size, sequence=7 + i, is_last=i == len(changes) - 1)
        for i, (action, side, price, size) in enumerate(changes)
    ]
    return BookDeltas(BOOK_INSTRUMENT_ID, deltas)


def snapshot(bids, asks, sequence=0, ts_event=0, ts_recv=0):
    return BookSnapshot(
        BOOK_INSTRUMENT_ID,
        np.array([price for price, _ in bids], dtype=np.int64),
        np.array([size for _, size in bids], dtype=np.int64),
        np.array([price for price, _ in asks], dtype=np.int64),
        np.array([size for _, size in asks], dtype=np.int64),
        sequence=sequence,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


# -- EMPTY BOOK --


def test_new_book_has_no_bid_and_reads_the_sentinel():
    book = L2Book(BOOK_INSTRUMENT_ID)
    assert (book.has_bid, book.best_bid_price_ticks, book.best_bid_size_lots) == (
        False,
        NO_PRICE_TICKS,
        0,
    )


def test_new_book_has_no_ask_and_reads_the_sentinel():
    book = L2Book(BOOK_INSTRUMENT_ID)
    assert (book.has_ask, book.best_ask_price_ticks, book.best_ask_size_lots) == (
        False,
        NO_PRICE_TICKS,
        0,
    )


def test_no_price_sentinel_is_the_int64_minimum():
    assert np.iinfo(np.int64).min == NO_PRICE_TICKS


def test_book_keeps_its_instrument_id():
    assert L2Book(BOOK_INSTRUMENT_ID).instrument_id is BOOK_INSTRUMENT_ID


# -- UPDATE LEVEL --


def test_update_level_adds_a_bid_that_becomes_best():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.update_level(Side.BUY, 100, 5)
    assert (book.best_bid_price_ticks, book.best_bid_size_lots) == (100, 5)


def test_update_level_adds_an_ask_that_becomes_best():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.update_level(Side.SELL, 101, 4)
    assert (book.best_ask_price_ticks, book.best_ask_size_lots) == (101, 4)


def test_higher_bid_replaces_the_best_bid():
    book = make_l2_book(bids=[(100, 5)], asks=[])
    book.update_level(Side.BUY, 101, 2)
    assert (book.best_bid_price_ticks, book.best_bid_size_lots) == (101, 2)


def test_lower_ask_replaces_the_best_ask():
    book = make_l2_book(bids=[], asks=[(105, 5)])
    book.update_level(Side.SELL, 104, 2)
    assert (book.best_ask_price_ticks, book.best_ask_size_lots) == (104, 2)


def test_deeper_bid_is_inserted_in_price_order_behind_the_best():
    book = make_l2_book(bids=[(100, 5), (98, 1)], asks=[])
    book.update_level(Side.BUY, 99, 3)
    assert levels(book, Side.BUY) == [(100, 5), (99, 3), (98, 1)]


def test_deeper_ask_is_inserted_in_price_order_behind_the_best():
    book = make_l2_book(bids=[], asks=[(100, 5), (102, 1)])
    book.update_level(Side.SELL, 101, 3)
    assert levels(book, Side.SELL) == [(100, 5), (101, 3), (102, 1)]


def test_update_level_on_an_existing_price_replaces_its_size():
    book = make_l2_book(bids=[(100, 5), (99, 3)], asks=[])
    book.update_level(Side.BUY, 99, 8)
    assert levels(book, Side.BUY) == [(100, 5), (99, 8)]


def test_update_level_with_zero_size_removes_the_level():
    book = make_l2_book(bids=[(100, 5), (99, 3), (98, 1)], asks=[])
    book.update_level(Side.BUY, 99, 0)
    assert levels(book, Side.BUY) == [(100, 5), (98, 1)]


def test_removing_the_best_ask_promotes_the_next_level():
    book = make_l2_book(bids=[], asks=[(100, 5), (101, 3)])
    book.update_level(Side.SELL, 100, 0)
    assert (book.best_ask_price_ticks, book.best_ask_size_lots) == (101, 3)


def test_removing_the_last_bid_empties_the_side():
    book = make_l2_book(bids=[(100, 5)], asks=[])
    book.update_level(Side.BUY, 100, 0)
    assert (book.has_bid, book.best_bid_price_ticks) == (False, NO_PRICE_TICKS)


def test_removing_an_absent_level_leaves_the_book_unchanged():
    book = make_l2_book(bids=[(100, 5), (98, 1)], asks=[])
    book.update_level(Side.BUY, 99, 0)
    assert levels(book, Side.BUY) == [(100, 5), (98, 1)]


def test_update_level_counts_each_update():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.update_level(Side.BUY, 100, 5)
    book.update_level(Side.BUY, 100, 0)
    assert book.update_count == 2


def test_negative_size_is_refused_naming_the_value():
    book = L2Book(BOOK_INSTRUMENT_ID)
    with pytest.raises(BookIntegrityError, match=r"size_lots: expected >= 0, got -3"):
        book.update_level(Side.BUY, 100, -3)


def test_refused_update_leaves_the_book_unchanged():
    book = make_l2_book(bids=[(100, 5)], asks=[])
    with pytest.raises(BookIntegrityError):
        book.update_level(Side.BUY, 100, -1)
    assert (levels(book, Side.BUY), book.update_count) == ([(100, 5)], 1)


@pytest.mark.parametrize("price_ticks", [0, -1, MAX_PRICE_TICKS + 1, NO_PRICE_TICKS])
def test_price_outside_the_accepted_range_is_refused(price_ticks):
    book = L2Book(BOOK_INSTRUMENT_ID)
    with pytest.raises(BookIntegrityError, match=rf"price_ticks: .* got {price_ticks}"):
        book.update_level(Side.BUY, price_ticks, 1)


def test_highest_accepted_price_keeps_the_doubled_mid_exact():
    book = make_l2_book(bids=[(MAX_PRICE_TICKS - 1, 1)], asks=[(MAX_PRICE_TICKS, 1)])
    assert book.mid_price_ticks_x2 == 2 * MAX_PRICE_TICKS - 1


def test_update_without_a_side_is_refused():
    book = L2Book(BOOK_INSTRUMENT_ID)
    with pytest.raises(BookIntegrityError, match="side: expected BUY or SELL"):
        book.update_level(Side.NO_SIDE, 100, 1)


def test_book_grows_past_its_initial_capacity():
    book = L2Book(BOOK_INSTRUMENT_ID)
    for price in range(1, 1_001):
        book.update_level(Side.BUY, price, price)
    assert (book.bid_level_count, book.best_bid_price_ticks, levels(book, Side.BUY)[-1]) == (
        1_000,
        1_000,
        (1, 1),
    )


def test_level_counts_follow_inserts_and_deletes():
    book = make_l2_book(bids=[(100, 1), (99, 1)], asks=[(101, 1), (102, 1), (103, 1)])
    book.update_level(Side.SELL, 102, 0)
    assert (book.bid_level_count, book.ask_level_count) == (2, 2)


# -- TOP OF BOOK --


def test_spread_is_best_ask_minus_best_bid():
    assert make_l2_book(bids=[(100, 1)], asks=[(103, 1)]).spread_ticks == 3


def test_spread_of_a_one_sided_book_is_the_sentinel():
    assert make_l2_book(bids=[(100, 1)], asks=[]).spread_ticks == NO_PRICE_TICKS


def test_doubled_mid_is_the_exact_sum_of_best_prices():
    assert make_l2_book(bids=[(100, 1)], asks=[(103, 1)]).mid_price_ticks_x2 == 203


def test_mid_is_half_the_doubled_mid():
    assert make_l2_book(bids=[(100, 1)], asks=[(103, 1)]).mid_price_ticks == 101.5


def test_doubled_mid_of_a_one_sided_book_is_the_sentinel():
    assert make_l2_book(bids=[], asks=[(103, 1)]).mid_price_ticks_x2 == NO_PRICE_TICKS


def test_mid_of_a_one_sided_book_is_nan():
    assert math.isnan(make_l2_book(bids=[], asks=[(103, 1)]).mid_price_ticks)


def test_book_with_bid_below_ask_is_not_crossed():
    assert not make_l2_book(bids=[(100, 1)], asks=[(101, 1)]).is_crossed()


def test_book_with_bid_equal_to_ask_is_crossed():
    assert make_l2_book(bids=[(101, 1)], asks=[(101, 1)]).is_crossed()


def test_book_with_bid_above_ask_is_crossed():
    assert make_l2_book(bids=[(102, 1)], asks=[(101, 1)]).is_crossed()


def test_one_sided_book_is_not_crossed():
    assert not make_l2_book(bids=[(102, 1)], asks=[]).is_crossed()


# -- DEPTH --


def test_depth_lists_bids_highest_first():
    book = make_l2_book(bids=[(98, 1), (100, 2), (99, 3)], asks=[])
    prices, sizes = book.depth(Side.BUY, 3)
    assert (prices.tolist(), sizes.tolist()) == ([100, 99, 98], [2, 3, 1])


def test_depth_lists_asks_lowest_first():
    book = make_l2_book(bids=[], asks=[(103, 1), (101, 2), (102, 3)])
    prices, sizes = book.depth(Side.SELL, 3)
    assert (prices.tolist(), sizes.tolist()) == ([101, 102, 103], [2, 3, 1])


def test_depth_stops_at_n_levels():
    book = make_l2_book(bids=[(100, 2), (99, 3), (98, 1)], asks=[])
    assert book.depth(Side.BUY, 2)[0].tolist() == [100, 99]


def test_depth_returns_every_level_when_n_exceeds_them():
    book = make_l2_book(bids=[], asks=[(101, 2), (102, 3)])
    assert book.depth(Side.SELL, 10)[0].tolist() == [101, 102]


def test_depth_of_zero_levels_is_empty():
    prices, sizes = make_l2_book().depth(Side.BUY, 0)
    assert (prices.size, sizes.size) == (0, 0)


def test_depth_arrays_are_int64():
    prices, sizes = make_l2_book().depth(Side.SELL, 3)
    assert (prices.dtype, sizes.dtype) == (np.int64, np.int64)


def test_depth_arrays_are_copies_the_book_does_not_see_changed():
    book = make_l2_book(bids=[(100, 2)], asks=[])
    prices, sizes = book.depth(Side.BUY, 1)
    prices[0] = 1
    sizes[0] = 1
    assert levels(book, Side.BUY) == [(100, 2)]


def test_depth_with_negative_n_is_refused():
    with pytest.raises(ValueError, match="n: expected >= 0, got -1"):
        make_l2_book().depth(Side.BUY, -1)


def test_depth_without_a_side_is_refused():
    with pytest.raises(ValueError, match="side: expected BUY or SELL"):
        make_l2_book().depth(Side.NO_SIDE, 1)


# -- VWAP --


def test_buy_taker_walks_the_asks_from_the_lowest_price():
    book = make_l2_book(bids=[(99, 100)], asks=[(100, 2), (101, 3), (102, 10)])
    assert book.vwap_ticks(Side.BUY, 4) == ((2 * 100 + 2 * 101) / 4, 101, 4)


def test_sell_taker_walks_the_bids_from_the_highest_price():
    book = make_l2_book(bids=[(100, 2), (99, 3), (98, 10)], asks=[(101, 100)])
    assert book.vwap_ticks(Side.SELL, 6) == ((2 * 100 + 3 * 99 + 1 * 98) / 6, 98, 6)


def test_vwap_within_the_best_level_is_the_best_price():
    book = make_l2_book(bids=[], asks=[(100, 5), (101, 5)])
    assert book.vwap_ticks(Side.BUY, 5) == (100.0, 100, 5)


def test_vwap_beyond_the_whole_side_fills_what_is_there():
    book = make_l2_book(bids=[(100, 2), (99, 3)], asks=[])
    assert book.vwap_ticks(Side.SELL, 50) == ((2 * 100 + 3 * 99) / 5, 99, 5)


def test_vwap_against_an_empty_side_fills_nothing():
    vwap, worst, filled = make_l2_book(bids=[(100, 2)], asks=[]).vwap_ticks(Side.BUY, 1)
    assert (math.isnan(vwap), worst, filled) == (True, NO_PRICE_TICKS, 0)


def test_vwap_does_not_change_the_book():
    book = make_l2_book(bids=[], asks=[(100, 2), (101, 3)])
    book.vwap_ticks(Side.BUY, 4)
    assert levels(book, Side.SELL) == [(100, 2), (101, 3)]


@pytest.mark.parametrize("qty_lots", [0, -5])
def test_vwap_of_a_non_positive_quantity_is_refused(qty_lots):
    with pytest.raises(ValueError, match=rf"qty_lots: expected > 0, got {qty_lots}"):
        make_l2_book().vwap_ticks(Side.BUY, qty_lots)


def test_vwap_without_a_taker_side_is_refused():
    with pytest.raises(ValueError, match="taker_side: expected BUY or SELL"):
        make_l2_book().vwap_ticks(Side.NO_SIDE, 1)


# -- DELTAS --


def test_add_delta_sets_a_level():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_delta(delta(BookAction.ADD, Side.BUY, 100, 5))
    assert levels(book, Side.BUY) == [(100, 5)]


def test_update_delta_with_zero_size_removes_the_level():
    book = make_l2_book(bids=[(100, 5), (99, 1)], asks=[])
    book.apply_delta(delta(BookAction.UPDATE, Side.BUY, 100, 0))
    assert levels(book, Side.BUY) == [(99, 1)]


def test_delete_delta_removes_the_level():
    book = make_l2_book(bids=[], asks=[(100, 5), (101, 1)])
    book.apply_delta(delta(BookAction.DELETE, Side.SELL, 100, 0))
    assert levels(book, Side.SELL) == [(101, 1)]


def test_clear_delta_empties_the_book():
    book = make_l2_book()
    book.apply_delta(delta(BookAction.CLEAR, Side.NO_SIDE, 0, 0))
    assert (book.bid_level_count, book.ask_level_count) == (0, 0)


def test_delta_records_its_sequence_and_timestamps():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_delta(delta(BookAction.ADD, Side.BUY, 100, 5, sequence=42, ts_event=7, ts_recv=9))
    assert (book.sequence, book.ts_event, book.ts_recv, book.update_count) == (42, 7, 9, 1)


def test_delta_of_another_instrument_is_refused_naming_both():
    foreign = BookDelta(OTHER_INSTRUMENT_ID, BookAction.ADD, Side.BUY, 100, 5)
    expected = r"expected BTCUSDT\.BINANCE, got ETHUSDT\.BINANCE"
    with pytest.raises(BookIntegrityError, match=expected):
        L2Book(BOOK_INSTRUMENT_ID).apply_delta(foreign)


def test_delta_without_fields_is_refused():
    # BookDelta.__new__ skips the constructor's checks, as Cython decoders' factories do.
    with pytest.raises(BookIntegrityError, match=r"BookDelta\.instrument_id"):
        L2Book(BOOK_INSTRUMENT_ID).apply_delta(BookDelta.__new__(BookDelta))


def test_batch_applies_its_deltas_in_order():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_deltas(
        batch(
            (BookAction.ADD, Side.BUY, 100, 5),
            (BookAction.ADD, Side.SELL, 102, 1),
            (BookAction.UPDATE, Side.BUY, 100, 0),
            (BookAction.ADD, Side.BUY, 99, 2),
        )
    )
    assert (levels(book, Side.BUY), levels(book, Side.SELL)) == ([(99, 2)], [(102, 1)])


def test_batch_records_the_sequence_of_its_last_delta_and_counts_once():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_deltas(
        batch((BookAction.ADD, Side.BUY, 100, 5), (BookAction.ADD, Side.SELL, 102, 1))
    )
    assert (book.sequence, book.update_count) == (8, 1)


def test_batch_with_a_foreign_delta_is_refused_and_leaves_the_book_unchanged():
    book = make_l2_book(bids=[(100, 5)], asks=[])
    deltas = BookDeltas(BOOK_INSTRUMENT_ID, [delta(BookAction.ADD, Side.BUY, 101, 1)])
    deltas.deltas.append(BookDelta(OTHER_INSTRUMENT_ID, BookAction.ADD, Side.BUY, 102, 1))
    with pytest.raises(BookIntegrityError, match=r"BookDeltas.deltas\[1\]"):
        book.apply_deltas(deltas)
    assert levels(book, Side.BUY) == [(100, 5)]


def test_batch_holding_something_else_than_deltas_is_refused_naming_the_index():
    deltas = BookDeltas(BOOK_INSTRUMENT_ID, [delta(BookAction.ADD, Side.BUY, 101, 1)])
    deltas.deltas.insert(0, (Side.BUY, 101, 1))
    with pytest.raises(BookIntegrityError, match=r"deltas\[0\]: expected BookDelta, got tuple"):
        L2Book(BOOK_INSTRUMENT_ID).apply_deltas(deltas)


def test_batch_of_another_instrument_is_refused():
    foreign = BookDeltas(
        OTHER_INSTRUMENT_ID, [BookDelta(OTHER_INSTRUMENT_ID, BookAction.ADD, Side.BUY, 100, 5)]
    )
    with pytest.raises(BookIntegrityError, match=r"BookDeltas\.instrument_id"):
        L2Book(BOOK_INSTRUMENT_ID).apply_deltas(foreign)


# -- SNAPSHOTS --


def test_snapshot_replaces_every_level():
    book = make_l2_book(bids=[(90, 1), (50, 1)], asks=[(200, 1)])
    book.apply_snapshot(snapshot(bids=[(100, 5), (99, 3)], asks=[(101, 2), (105, 7)]))
    assert (levels(book, Side.BUY), levels(book, Side.SELL)) == (
        [(100, 5), (99, 3)],
        [(101, 2), (105, 7)],
    )


def test_snapshot_sets_the_best_prices():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(snapshot(bids=[(100, 5), (99, 3)], asks=[(101, 2), (105, 7)]))
    assert (book.best_bid_price_ticks, book.best_ask_price_ticks) == (100, 101)


def test_snapshot_records_its_sequence_and_timestamps():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(snapshot([(100, 5)], [(101, 2)], sequence=50, ts_event=3, ts_recv=4))
    assert (book.sequence, book.ts_event, book.ts_recv, book.update_count) == (50, 3, 4, 1)


def test_snapshot_larger_than_the_initial_capacity_is_loaded_whole():
    bids = [(10_000 - i, i + 1) for i in range(1_000)]
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(snapshot(bids=bids, asks=[]))
    assert levels(book, Side.BUY) == bids


def test_empty_snapshot_empties_the_book():
    book = make_l2_book()
    book.apply_snapshot(snapshot(bids=[], asks=[]))
    assert (book.has_bid, book.has_ask) == (False, False)


def test_snapshot_of_another_instrument_is_refused():
    foreign = BookSnapshot(OTHER_INSTRUMENT_ID, [100], [1], [101], [1])
    with pytest.raises(BookIntegrityError, match=r"BookSnapshot\.instrument_id"):
        L2Book(BOOK_INSTRUMENT_ID).apply_snapshot(foreign)


def test_unchecked_snapshot_is_refused_and_leaves_the_book_unchanged():
    # BookSnapshot.__new__ skips the constructor's checks, as Cython decoders' factories do.
    unchecked = BookSnapshot.__new__(BookSnapshot)
    book = make_l2_book(bids=[(100, 5)], asks=[])
    with pytest.raises(BookIntegrityError):
        book.apply_snapshot(unchecked)
    assert levels(book, Side.BUY) == [(100, 5)]


# -- CLEAR AND REPR --


def test_clear_empties_both_sides():
    book = make_l2_book()
    book.clear()
    assert (book.bid_level_count, book.ask_level_count, book.has_bid, book.has_ask) == (
        0,
        0,
        False,
        False,
    )


def test_clear_keeps_the_sequence_of_the_last_update():
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_delta(delta(BookAction.ADD, Side.BUY, 100, 5, sequence=42))
    book.clear()
    assert book.sequence == 42


def test_cleared_book_accepts_new_levels():
    book = make_l2_book()
    book.clear()
    book.update_level(Side.SELL, 7, 1)
    assert levels(book, Side.SELL) == [(7, 1)]


def test_repr_shows_the_top_of_book_and_level_counts():
    book = make_l2_book(bids=[(100, 5)], asks=[(101, 2), (102, 1)])
    assert repr(book) == (
        "L2Book(instrument_id=BTCUSDT.BINANCE, bid=5@100, ask=2@101, levels=1x2, sequence=0)"
    )
