"""Tests of the node cache: instruments, books, orders, positions, balances, trades."""

import pytest

from hftcore.book import L2Book
from hftcore.cache import Cache
from hftcore.errors import UnknownInstrumentError
from hftcore.model.identifiers import ClientOrderId, InstrumentId, VenueOrderId
from tests.builders.events import make_order, make_trade
from tests.builders.instruments import make_instrument


def test_instrument_lookup_returns_the_added_instrument():
    cache = Cache()
    instrument = make_instrument()
    cache.add_instrument(instrument)
    assert cache.instrument(instrument.id) is instrument


def test_instrument_lookup_of_unknown_id_names_the_id():
    with pytest.raises(UnknownInstrumentError, match=r"ETHUSDT\.BINANCE"):
        Cache().instrument(InstrumentId.from_str("ETHUSDT.BINANCE"))


def test_instruments_filters_by_venue():
    cache = Cache()
    binance = make_instrument(symbol="BTCUSDT", venue="BINANCE")
    okx = make_instrument(symbol="BTC-USDT", venue="OKX")
    cache.add_instrument(binance)
    cache.add_instrument(okx)
    assert cache.instruments("OKX") == [okx]
    assert cache.instruments() == [binance, okx]


def test_book_is_found_by_its_instrument_id():
    cache = Cache()
    book = L2Book(InstrumentId.from_str("BTCUSDT.BINANCE"))
    cache.add_book(book)
    assert cache.book(InstrumentId.from_str("BTCUSDT.BINANCE")) is book
    assert cache.book(InstrumentId.from_str("XRPUSDT.BINANCE")) is None


def test_order_is_found_by_client_and_venue_id():
    cache = Cache()
    order = make_order(client_order_id="C1")
    cache.add_order(order)
    assert cache.order(ClientOrderId("C1")) is order
    assert cache.order_by_venue_id(VenueOrderId("V1")) is None


def test_adding_an_order_twice_is_refused():
    cache = Cache()
    cache.add_order(make_order(client_order_id="C1"))
    with pytest.raises(ValueError, match="C1"):
        cache.add_order(make_order(client_order_id="C1"))


def test_new_orders_are_open_and_counted_per_instrument():
    cache = Cache()
    btc = make_order(client_order_id="C1", instrument_id="BTCUSDT.BINANCE")
    eth = make_order(client_order_id="C2", instrument_id="ETHUSDT.BINANCE")
    cache.add_order(btc)
    cache.add_order(eth)
    assert cache.open_orders(InstrumentId.from_str("BTCUSDT.BINANCE")) == [btc]
    assert cache.open_order_count() == 2
    assert cache.open_order_count(InstrumentId.from_str("ETHUSDT.BINANCE")) == 1


def test_last_trade_is_kept_per_instrument():
    cache = Cache()
    first = make_trade(price_ticks=100)
    second = make_trade(price_ticks=101)
    cache.set_last_trade(first)
    cache.set_last_trade(second)
    assert cache.last_trade(first.instrument_id) is second
