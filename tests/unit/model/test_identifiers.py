import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import InvalidIdentifierError
from hftcore.model.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    Symbol,
    TradeId,
    Venue,
    VenueOrderId,
)

SIMPLE_IDENTIFIERS = [Venue, Symbol, ClientOrderId, VenueOrderId, TradeId, StrategyId]

# Text an identifier accepts: printable, no whitespace, no '.' (so it also works as a venue).
id_text = st.text(
    alphabet=st.characters(
        min_codepoint=33, max_codepoint=0x2FF, blacklist_characters=".", categories=["L", "N", "P"]
    ),
    min_size=1,
    max_size=20,
)


# -- SIMPLE IDENTIFIERS ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SIMPLE_IDENTIFIERS)
def test_identifiers_with_the_same_text_are_equal_and_hash_alike(kind):
    assert kind("ABC-1") == kind("ABC-1")
    assert hash(kind("ABC-1")) == hash(kind("ABC-1"))


@pytest.mark.parametrize("kind", SIMPLE_IDENTIFIERS)
def test_identifiers_with_different_text_are_not_equal(kind):
    assert kind("ABC-1") != kind("ABC-2")


def test_identifiers_of_different_kinds_with_the_same_text_are_not_equal():
    assert ClientOrderId("X1") != VenueOrderId("X1")


def test_identifier_is_not_equal_to_its_text():
    assert TradeId("42") != "42"


def test_identifier_str_is_its_value_and_repr_names_its_type():
    trade_id = TradeId("42")
    assert str(trade_id) == "42"
    assert repr(trade_id) == "TradeId('42')"


@pytest.mark.parametrize("kind", SIMPLE_IDENTIFIERS)
def test_identifier_rejects_empty_text_naming_the_type(kind):
    with pytest.raises(InvalidIdentifierError, match=f"{kind.__name__}: expected non-empty"):
        kind("")


@pytest.mark.parametrize("text", [" ABC", "AB C", "ABC\n", "A\tB", "A\u00a0B"])
def test_identifier_rejects_whitespace_naming_the_value(text):
    with pytest.raises(InvalidIdentifierError, match="without whitespace") as error:
        ClientOrderId(text)
    assert repr(text) in str(error.value)


def test_identifier_rejects_none():
    with pytest.raises(TypeError):
        Symbol(None)


def test_venue_rejects_a_dot_because_it_separates_symbol_and_venue():
    with pytest.raises(InvalidIdentifierError, match=r"Venue: expected text without '.', got"):
        Venue("BIN.ANCE")


def test_identifier_value_cannot_be_assigned():
    venue = Venue("BINANCE")
    with pytest.raises(AttributeError):
        venue.value = "OKX"


@pytest.mark.parametrize("kind", SIMPLE_IDENTIFIERS)
def test_identifier_survives_pickling(kind):
    identifier = kind("ID-7")
    assert pickle.loads(pickle.dumps(identifier)) == identifier


@given(id_text)
def test_identifier_equality_follows_its_text(text):
    assert Symbol(text) == Symbol(text)
    assert Symbol(text).value == text


# -- INSTRUMENT ID -----------------------------------------------------------------------------


def test_instrument_id_from_str_splits_symbol_and_venue():
    instrument_id = InstrumentId.from_str("BTCUSDT.BINANCE")
    assert instrument_id.symbol == Symbol("BTCUSDT")
    assert instrument_id.venue == Venue("BINANCE")
    assert instrument_id.value == "BTCUSDT.BINANCE"


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("BTC-USDT-SWAP.OKX", "BTC-USDT-SWAP"),
        ("BTC/USD.COINBASE", "BTC/USD"),
        ("BTC_USDT.BYBIT", "BTC_USDT"),
        ("XBT.M24.KRAKEN", "XBT.M24"),
    ],
)
def test_instrument_id_venue_is_the_part_after_the_last_dot(text, symbol):
    instrument_id = InstrumentId.from_str(text)
    assert instrument_id.symbol.value == symbol
    assert instrument_id.venue.value == text.rsplit(".", 1)[1]


def test_instrument_id_from_str_returns_the_same_object_for_the_same_text():
    assert InstrumentId.from_str("ETHUSDT.BINANCE") is InstrumentId.from_str("ETHUSDT.BINANCE")


def test_instrument_id_get_returns_the_interned_object():
    assert InstrumentId.get("ETHUSDT", "BINANCE") is InstrumentId.from_str("ETHUSDT.BINANCE")


def test_instrument_ids_get_dense_indexes_in_first_seen_order():
    first = InstrumentId.from_str("DENSE1.TESTVENUE")
    second = InstrumentId.from_str("DENSE2.TESTVENUE")
    assert second.index == first.index + 1
    assert InstrumentId.from_str("DENSE1.TESTVENUE").index == first.index


def test_constructed_instrument_id_equals_the_interned_one_and_shares_its_index():
    interned = InstrumentId.from_str("SOLUSDT.BINANCE")
    built = InstrumentId(Symbol("SOLUSDT"), Venue("BINANCE"))
    assert built == interned
    assert built.index == interned.index
    assert hash(built) == hash(interned)


def test_first_constructed_instrument_id_becomes_the_interned_one():
    built = InstrumentId(Symbol("FRESHCTOR"), Venue("TESTVENUE"))
    assert InstrumentId.from_str("FRESHCTOR.TESTVENUE") is built


def test_instrument_ids_with_different_text_are_not_equal():
    assert InstrumentId.from_str("BTCUSDT.BINANCE") != InstrumentId.from_str("BTCUSDT.OKX")


def test_instrument_id_is_not_equal_to_a_symbol_with_the_same_text():
    assert InstrumentId.from_str("BTCUSDT.BINANCE") != Symbol("BTCUSDT.BINANCE")


def test_instrument_id_repr_shows_the_text():
    assert repr(InstrumentId.from_str("BTCUSDT.BINANCE")) == "InstrumentId('BTCUSDT.BINANCE')"
    assert str(InstrumentId.from_str("BTCUSDT.BINANCE")) == "BTCUSDT.BINANCE"


def test_instrument_id_without_a_venue_is_rejected_naming_the_text():
    with pytest.raises(
        InvalidIdentifierError, match=r"expected 'SYMBOL.VENUE' text, got 'BTCUSDT'"
    ):
        InstrumentId.from_str("BTCUSDT")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (".BINANCE", "Symbol: expected non-empty text"),
        ("BTCUSDT.", "Venue: expected non-empty text"),
        ("BTC USDT.BINANCE", "Symbol: expected text without whitespace"),
        ("", "no venue"),
    ],
)
def test_instrument_id_with_a_bad_part_is_rejected_naming_the_part(text, message):
    with pytest.raises(InvalidIdentifierError, match=message) as error:
        InstrumentId.from_str(text)
    assert repr(text) in str(error.value)


def test_instrument_id_get_rejects_a_venue_with_a_dot():
    with pytest.raises(InvalidIdentifierError, match=r"Venue: expected text without '.'"):
        InstrumentId.get("BTCUSDT", "BIN.ANCE")


def test_instrument_id_get_rejects_an_empty_symbol():
    with pytest.raises(InvalidIdentifierError, match="Symbol: expected non-empty text"):
        InstrumentId.get("", "BINANCE")


def test_instrument_id_pickles_back_to_the_interned_object():
    interned = InstrumentId.from_str("BTCUSDT.BINANCE")
    built = InstrumentId(Symbol("BTCUSDT"), Venue("BINANCE"))
    assert pickle.loads(pickle.dumps(built)) is interned
    assert copy.deepcopy(interned) is interned


def test_instrument_id_fields_cannot_be_assigned():
    instrument_id = InstrumentId.from_str("BTCUSDT.BINANCE")
    with pytest.raises(AttributeError):
        instrument_id.index = 99


@given(id_text, id_text)
def test_instrument_id_from_str_round_trips_symbol_and_venue(symbol, venue):
    instrument_id = InstrumentId.from_str(f"{symbol}.{venue}")
    assert (instrument_id.symbol.value, instrument_id.venue.value) == (symbol, venue)
    assert InstrumentId.get(symbol, venue) is instrument_id


@given(st.lists(id_text, min_size=1, max_size=10))
def test_instrument_ids_share_an_index_exactly_when_their_text_is_equal(symbols):
    ids = [InstrumentId.get(symbol, "PROPVENUE") for symbol in symbols]
    for a, symbol_a in zip(ids, symbols, strict=True):
        for b, symbol_b in zip(ids, symbols, strict=True):
            assert (a.index == b.index) == (symbol_a == symbol_b)


# -- CYTHON API --------------------------------------------------------------------------------


def test_same_as_compares_instrument_ids_by_index(cython_api):
    interned = InstrumentId.from_str("BTCUSDT.BINANCE")
    built = InstrumentId(Symbol("BTCUSDT"), Venue("BINANCE"))
    assert cython_api.instrument_id_same_as(interned, built)
    assert not cython_api.instrument_id_same_as(interned, InstrumentId.from_str("BTCUSDT.OKX"))


def test_same_as_is_false_for_none(cython_api):
    assert not cython_api.instrument_id_same_as(InstrumentId.from_str("BTCUSDT.BINANCE"), None)


def test_intern_returns_the_object_from_str_returns(cython_api):
    assert cython_api.instrument_id_intern("BNBUSDT.BINANCE") is InstrumentId.from_str(
        "BNBUSDT.BINANCE"
    )


def test_intern_rejects_text_without_a_venue(cython_api):
    with pytest.raises(InvalidIdentifierError, match="no venue"):
        cython_api.instrument_id_intern("BNBUSDT")
