"""Replay a real Binance spot BTCUSDT depth capture through ``L2Book``."""

import pytest

from hftcore.book import L2Book
from hftcore.model.enums import Side
from tests.builders.books import BOOK_INSTRUMENT_ID, load_binance_depth_replay
from tests.unit.book.reference_book import ReferenceBook

CAPTURE = "binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz"

pytestmark = pytest.mark.shared_data


def pairs(prices_ticks, sizes_lots):
    return list(zip(prices_ticks.tolist(), sizes_lots.tolist(), strict=True))


@pytest.fixture(scope="module")
def binance_replay(shared_data):
    return load_binance_depth_replay(shared_data / CAPTURE)


def test_replayed_binance_book_is_never_crossed_after_a_message(binance_replay):
    snapshot, batches = binance_replay
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(snapshot)
    crossed_sequences = []
    for deltas in batches:
        book.apply_deltas(deltas)
        if book.is_crossed():
            crossed_sequences.append(deltas.sequence)
    assert crossed_sequences == []


def test_replayed_binance_book_ends_equal_to_the_reference_book(binance_replay):
    snapshot, batches = binance_replay
    book = L2Book(BOOK_INSTRUMENT_ID)
    reference = ReferenceBook()
    book.apply_snapshot(snapshot)
    reference.apply_snapshot(
        pairs(snapshot.bid_prices_ticks, snapshot.bid_sizes_lots),
        pairs(snapshot.ask_prices_ticks, snapshot.ask_sizes_lots),
    )
    for deltas in batches:
        book.apply_deltas(deltas)
        for delta in deltas.deltas:
            reference.update_level(delta.side, delta.price_ticks, delta.size_lots)
    assert (pairs(*book.depth(Side.BUY, 1_000_000)), pairs(*book.depth(Side.SELL, 1_000_000))) == (
        reference.levels(Side.BUY),
        reference.levels(Side.SELL),
    )


def test_replayed_binance_book_records_the_last_update_id(binance_replay):
    snapshot, batches = binance_replay
    book = L2Book(BOOK_INSTRUMENT_ID)
    book.apply_snapshot(snapshot)
    for deltas in batches:
        book.apply_deltas(deltas)
    assert (book.sequence, book.update_count) == (batches[-1].sequence, len(batches) + 1)
