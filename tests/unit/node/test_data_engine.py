"""Tests of the data engine: books kept in the cache, book/quote/trade topics on the bus."""

import pytest

from hftcore.bus import MessageBus, topic_for
from hftcore.cache import Cache
from hftcore.errors import BookIntegrityError, UnknownInstrumentError
from hftcore.model.data import Quote
from hftcore.model.enums import Side
from hftcore.model.identifiers import InstrumentId
from hftcore.node.data_engine import DataEngine
from tests.builders.events import (
    make_book_delta,
    make_book_deltas,
    make_book_snapshot,
    make_quote,
    make_trade,
)

BTC = InstrumentId.from_str("BTCUSDT.BINANCE")


@pytest.fixture
def bus():
    return MessageBus()


@pytest.fixture
def engine(bus):
    engine = DataEngine(bus, Cache())
    engine.add_feed(BTC)
    return engine


def collect(bus, kind):
    received = []
    bus.subscribe(topic_for(kind, "BINANCE", "BTCUSDT"), received.append)
    return received


def test_add_feed_puts_the_book_in_the_cache():
    cache = Cache()
    engine = DataEngine(MessageBus(), cache)
    feed = engine.add_feed(BTC)
    assert cache.book(BTC) is feed.book
    assert engine.add_feed(BTC) is feed


def test_deltas_update_the_book_and_publish_it(bus, engine):
    books = collect(bus, "book")
    engine.process(make_book_deltas([(Side.BUY, 100, 5), (Side.SELL, 102, 7)]))
    book = engine.feed(BTC).book
    assert (book.best_bid_price_ticks, book.best_ask_price_ticks) == (100, 102)
    assert books == [book]


def test_a_delta_that_is_not_last_in_its_message_publishes_nothing(bus, engine):
    books = collect(bus, "book")
    quotes = collect(bus, "quote")
    engine.process(make_book_delta(side=Side.BUY, price_ticks=100, size_lots=5, is_last=False))
    assert books == []
    assert quotes == []
    engine.process(make_book_delta(side=Side.SELL, price_ticks=101, size_lots=5, is_last=True))
    assert len(books) == 1
    assert len(quotes) == 1


def test_quote_is_published_only_when_the_top_of_book_changes(bus, engine):
    quotes = collect(bus, "quote")
    engine.process(make_book_deltas([(Side.BUY, 100, 5), (Side.SELL, 102, 7)]))
    engine.process(make_book_deltas([(Side.BUY, 90, 5)]))  # below the best bid: top unchanged
    engine.process(make_book_deltas([(Side.SELL, 102, 9)]))  # best ask size changes
    assert [(q.bid_price_ticks, q.ask_price_ticks, q.ask_size_lots) for q in quotes] == [
        (100, 102, 7),
        (100, 102, 9),
    ]
    assert all(type(q) is Quote for q in quotes)


def test_snapshot_replaces_the_book_and_publishes_a_quote(bus, engine):
    quotes = collect(bus, "quote")
    engine.process(make_book_deltas([(Side.BUY, 50, 5), (Side.SELL, 60, 7)]))
    engine.process(make_book_snapshot(bids=[(100, 1), (99, 2)], asks=[(101, 3)]))
    book = engine.feed(BTC).book
    assert book.bid_level_count == 2
    assert quotes[-1].bid_price_ticks == 100
    assert quotes[-1].ask_price_ticks == 101


def test_trades_are_published_and_kept_as_last_trade(bus, engine):
    trades = collect(bus, "trade")
    trade = make_trade(price_ticks=101)
    engine.process(trade)
    assert trades == [trade]


def test_venue_quotes_on_an_l1_feed_update_its_book(bus):
    cache = Cache()
    engine = DataEngine(bus, cache)
    engine.add_feed(BTC, l1_only=True)
    quotes = collect(bus, "quote")
    engine.process(make_quote(bid_price_ticks=100, ask_price_ticks=101))
    assert cache.book(BTC).best_bid_price_ticks == 100
    assert len(quotes) == 1


def test_event_for_an_instrument_without_feed_names_the_instrument(engine):
    with pytest.raises(UnknownInstrumentError, match=r"ETHUSDT\.BINANCE"):
        engine.process(make_trade(instrument_id="ETHUSDT.BINANCE"))


def test_invalid_delta_batch_is_refused_and_leaves_the_book_unchanged(engine):
    engine.process(make_book_deltas([(Side.BUY, 100, 5)]))
    with pytest.raises(BookIntegrityError):
        engine.process(make_book_deltas([(Side.BUY, 101, 5), (Side.SELL, 2**62, 1)]))
    assert engine.feed(BTC).book.best_bid_price_ticks == 100


def test_unknown_event_types_are_counted_not_raised(engine):
    engine.process("not an event")
    assert engine.unknown_event_count == 1
