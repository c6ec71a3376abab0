import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import DecodeError, EnumParseError, InvalidEventError
from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.enums import AggressorSide, BookAction, Side
from hftcore.model.identifiers import InstrumentId, Symbol, TradeId, Venue
from tests.builders.events import (
    TS_EVENT,
    TS_RECV,
    make_book_delta,
    make_book_deltas,
    make_book_snapshot,
    make_quote,
    make_trade,
)

BTC = InstrumentId.from_str("BTCUSDT.BINANCE")
ETH = InstrumentId.from_str("ETHUSDT.BINANCE")


# -- BOOK DELTA --------------------------------------------------------------------------------


def test_book_delta_keeps_its_fields():
    delta = BookDelta(
        BTC,
        BookAction.UPDATE,
        Side.SELL,
        101,
        7,
        sequence=42,
        is_last=False,
        ts_event=TS_EVENT,
        ts_recv=TS_RECV,
    )
    assert delta.instrument_id is BTC
    assert (delta.action, delta.side) == (BookAction.UPDATE, Side.SELL)
    assert (delta.price_ticks, delta.size_lots, delta.sequence) == (101, 7, 42)
    assert delta.is_last is False
    assert (delta.ts_event, delta.ts_recv) == (TS_EVENT, TS_RECV)


def test_book_delta_defaults_to_last_with_no_sequence_and_zero_times():
    delta = BookDelta(BTC, BookAction.ADD, Side.BUY, 100, 1)
    assert (delta.sequence, delta.is_last, delta.ts_event, delta.ts_recv) == (0, True, 0, 0)


def test_book_delta_fields_cannot_be_assigned():
    delta = make_book_delta()
    with pytest.raises(AttributeError):
        delta.size_lots = 0


def test_book_deltas_with_equal_fields_are_equal():
    assert make_book_delta() == make_book_delta()


def test_book_deltas_are_equal_when_built_with_an_equal_non_interned_instrument_id():
    built = InstrumentId(Symbol("BTCUSDT"), Venue("BINANCE"))
    assert make_book_delta(instrument_id=built) == make_book_delta(instrument_id=BTC)


@pytest.mark.parametrize(
    "change",
    [
        {"instrument_id": ETH},
        {"side": Side.SELL},
        {"price_ticks": 99_999},
        {"size_lots": 11},
        {"sequence": 2},
        {"is_last": False},
        {"ts_event": TS_EVENT + 1},
        {"ts_recv": TS_RECV + 1},
    ],
)
def test_book_deltas_differing_in_one_field_are_not_equal(change):
    assert make_book_delta(**change) != make_book_delta()


def test_book_delta_repr_names_the_fields():
    text = repr(make_book_delta(price_ticks=123, size_lots=4))
    assert text.startswith("BookDelta(instrument_id=BTCUSDT.BINANCE, action=UPDATE, side=BUY,")
    assert "price_ticks=123, size_lots=4" in text


def test_book_delta_with_negative_size_is_rejected():
    with pytest.raises(InvalidEventError, match=r"BookDelta.size_lots: expected >= 0, got -1"):
        make_book_delta(size_lots=-1)


@pytest.mark.parametrize("price_ticks", [0, -5])
def test_book_delta_with_non_positive_price_is_rejected(price_ticks):
    with pytest.raises(
        InvalidEventError, match=f"BookDelta.price_ticks: expected > 0, got {price_ticks}"
    ):
        make_book_delta(price_ticks=price_ticks)


def test_book_delta_add_with_zero_size_is_rejected():
    with pytest.raises(InvalidEventError, match="expected > 0 with ADD"):
        make_book_delta(action=BookAction.ADD, size_lots=0)


def test_book_delta_update_with_zero_size_is_accepted_as_a_level_removal():
    assert make_book_delta(action=BookAction.UPDATE, size_lots=0).size_lots == 0


def test_book_delta_delete_with_a_size_is_rejected():
    with pytest.raises(InvalidEventError, match="expected 0 with DELETE, got 3"):
        make_book_delta(action=BookAction.DELETE, size_lots=3)


def test_book_delta_without_a_side_is_rejected_unless_clear():
    with pytest.raises(
        InvalidEventError, match=r"BookDelta.side: expected BUY or SELL, got NO_SIDE"
    ):
        make_book_delta(side=Side.NO_SIDE)


def test_book_delta_clear_has_no_side_price_or_size():
    delta = make_book_delta(action=BookAction.CLEAR, side=Side.NO_SIDE, price_ticks=0, size_lots=0)
    assert delta.action == BookAction.CLEAR


def test_book_delta_clear_with_a_side_is_rejected():
    with pytest.raises(InvalidEventError, match="expected NO_SIDE with CLEAR, got BUY"):
        make_book_delta(action=BookAction.CLEAR, side=Side.BUY, price_ticks=0, size_lots=0)


def test_book_delta_clear_with_a_price_is_rejected():
    with pytest.raises(InvalidEventError, match="CLEAR expects price_ticks 0 and size_lots 0"):
        make_book_delta(action=BookAction.CLEAR, side=Side.NO_SIDE, price_ticks=5, size_lots=0)


def test_book_delta_with_an_unknown_action_is_rejected():
    with pytest.raises(InvalidEventError, match=r"BookDelta.action: expected a BookAction, got 99"):
        make_book_delta(action=99)


def test_book_delta_with_an_unknown_side_is_rejected():
    with pytest.raises(InvalidEventError, match=r"BookDelta.side: expected BUY or SELL, got 7"):
        make_book_delta(side=7)


@pytest.mark.parametrize("field", ["ts_event", "ts_recv"])
def test_book_delta_with_a_negative_timestamp_is_rejected(field):
    with pytest.raises(InvalidEventError, match=f"BookDelta.{field}: expected UNIX ns >= 0"):
        make_book_delta(**{field: -1})


def test_book_delta_without_an_instrument_is_rejected():
    with pytest.raises(TypeError):
        BookDelta(None, BookAction.ADD, Side.BUY, 1, 1)


def test_book_delta_round_trips_through_its_record():
    delta = make_book_delta(is_last=False, sequence=2**63)
    assert BookDelta.from_dict(delta.to_dict()) == delta


def test_book_delta_record_holds_only_ints_strings_and_bools():
    record = make_book_delta().to_dict()
    assert record == {
        "type": "BookDelta",
        "instrument_id": "BTCUSDT.BINANCE",
        "action": "UPDATE",
        "side": "BUY",
        "price_ticks": 100_000,
        "size_lots": 10,
        "sequence": 1,
        "is_last": True,
        "ts_event": TS_EVENT,
        "ts_recv": TS_RECV,
    }


def test_book_delta_record_missing_a_key_is_a_decode_error_naming_the_key():
    record = make_book_delta().to_dict()
    del record["price_ticks"]
    with pytest.raises(DecodeError, match=r"BookDelta.from_dict: missing key 'price_ticks'"):
        BookDelta.from_dict(record)


@pytest.mark.parametrize(
    ("key", "value"), [("size_lots", 1.5), ("size_lots", "3"), ("ts_recv", True)]
)
def test_book_delta_record_with_a_non_integer_is_a_decode_error(key, value):
    record = make_book_delta().to_dict() | {key: value}
    with pytest.raises(DecodeError, match=f"{key}: expected int, got {value!r}"):
        BookDelta.from_dict(record)


def test_book_delta_record_with_an_unknown_side_is_rejected():
    record = make_book_delta().to_dict() | {"side": "LONG"}
    with pytest.raises(EnumParseError, match=r"BookDelta.side: unknown Side 'LONG'"):
        BookDelta.from_dict(record)


def test_book_delta_record_of_another_type_is_rejected():
    record = make_book_delta().to_dict() | {"type": "Trade"}
    with pytest.raises(DecodeError, match="type: expected 'BookDelta', got 'Trade'"):
        BookDelta.from_dict(record)


def test_book_delta_record_with_an_out_of_range_value_is_rejected():
    record = make_book_delta().to_dict() | {"size_lots": -3}
    with pytest.raises(InvalidEventError, match="size_lots"):
        BookDelta.from_dict(record)


def test_book_delta_survives_pickling():
    delta = make_book_delta()
    assert pickle.loads(pickle.dumps(delta)) == delta


@given(
    action=st.sampled_from([BookAction.ADD, BookAction.UPDATE]),
    side=st.sampled_from([Side.BUY, Side.SELL]),
    price_ticks=st.integers(1, 2**63 - 1),
    size_lots=st.integers(1, 2**63 - 1),
    sequence=st.integers(0, 2**64 - 1),
    is_last=st.booleans(),
    ts_event=st.integers(0, 2**63 - 1),
    ts_recv=st.integers(0, 2**63 - 1),
)
def test_book_delta_record_round_trip_is_exact(
    action, side, price_ticks, size_lots, sequence, is_last, ts_event, ts_recv
):
    delta = BookDelta(
        BTC, action, side, price_ticks, size_lots, sequence, is_last, ts_event, ts_recv
    )
    assert BookDelta.from_dict(delta.to_dict()) == delta


def test_book_delta_create_sets_every_field(cython_api):
    created = cython_api.book_delta_create(
        BTC, BookAction.DELETE, Side.SELL, 101, 0, 9, False, TS_EVENT, TS_RECV
    )
    assert created == BookDelta(
        BTC, BookAction.DELETE, Side.SELL, 101, 0, 9, False, TS_EVENT, TS_RECV
    )


# -- BOOK DELTAS -------------------------------------------------------------------------------


def test_book_deltas_take_sequence_and_times_from_the_last_delta():
    first = make_book_delta(sequence=1, is_last=False, ts_event=10, ts_recv=20)
    last = make_book_delta(side=Side.SELL, price_ticks=100_001, sequence=2, ts_event=11, ts_recv=21)
    batch = BookDeltas(BTC, [first, last])
    assert (batch.sequence, batch.ts_event, batch.ts_recv) == (2, 11, 21)
    assert batch.deltas == [first, last]


def test_book_deltas_copy_the_list():
    deltas = [make_book_delta()]
    batch = BookDeltas(BTC, deltas)
    deltas.append(make_book_delta())
    assert len(batch.deltas) == 1


def test_book_deltas_fields_cannot_be_assigned():
    batch = make_book_deltas()
    with pytest.raises(AttributeError):
        batch.deltas = []


def test_empty_book_deltas_are_rejected():
    with pytest.raises(InvalidEventError, match=r"BookDeltas.deltas: expected at least one"):
        BookDeltas(BTC, [])


def test_book_deltas_mixing_instruments_are_rejected_naming_the_delta():
    deltas = [make_book_delta(is_last=False), make_book_delta(instrument_id=ETH)]
    with pytest.raises(
        InvalidEventError,
        match=r"deltas\[1\].instrument_id: expected BTCUSDT.BINANCE, got ETHUSDT.BINANCE",
    ):
        BookDeltas(BTC, deltas)


def test_book_deltas_holding_something_else_are_rejected():
    with pytest.raises(InvalidEventError, match=r"deltas\[0\]: expected BookDelta, got Trade"):
        BookDeltas(BTC, [make_trade()])


def test_book_deltas_whose_last_delta_is_not_last_are_rejected():
    deltas = [make_book_delta(is_last=False), make_book_delta(is_last=False)]
    with pytest.raises(InvalidEventError, match=r"deltas\[1\].is_last: expected True"):
        BookDeltas(BTC, deltas)


def test_book_deltas_with_a_last_delta_before_the_end_are_rejected():
    deltas = [make_book_delta(is_last=True), make_book_delta(is_last=True)]
    with pytest.raises(InvalidEventError, match=r"deltas\[0\].is_last: expected False"):
        BookDeltas(BTC, deltas)


def test_book_deltas_equal_by_value():
    assert make_book_deltas() == make_book_deltas()
    assert make_book_deltas() != make_book_deltas(sequence=2)


def test_book_deltas_repr_shows_the_count():
    assert "count=2" in repr(make_book_deltas())


def test_book_deltas_round_trip_through_their_record():
    batch = make_book_deltas(levels=[(Side.BUY, 10, 0), (Side.SELL, 12, 3), (Side.SELL, 13, 4)])
    record = batch.to_dict()
    assert [item["action"] for item in record["deltas"]] == ["DELETE", "UPDATE", "UPDATE"]
    assert BookDeltas.from_dict(record) == batch


def test_book_deltas_record_without_a_list_of_deltas_is_rejected():
    record = make_book_deltas().to_dict() | {"deltas": "none"}
    with pytest.raises(DecodeError, match=r"BookDeltas.from_dict: deltas: expected list"):
        BookDeltas.from_dict(record)


def test_book_deltas_create_takes_the_list_as_is(cython_api):
    deltas = make_book_deltas().deltas
    batch = cython_api.book_deltas_create(BTC, deltas)
    assert batch.deltas is deltas
    assert batch == BookDeltas(BTC, deltas)


# -- BOOK SNAPSHOT -----------------------------------------------------------------------------


def test_book_snapshot_stores_read_only_contiguous_int64_arrays():
    snapshot = make_book_snapshot()
    for array in (
        snapshot.bid_prices_ticks,
        snapshot.bid_sizes_lots,
        snapshot.ask_prices_ticks,
        snapshot.ask_sizes_lots,
    ):
        assert array.dtype == np.int64
        assert array.flags.c_contiguous
        assert not array.flags.writeable
    assert snapshot.bid_prices_ticks.tolist() == [100_000, 99_999, 99_998]


def test_book_snapshot_accepts_numpy_arrays_and_copies_them():
    prices = np.array([10, 9], dtype=np.int32)
    snapshot = BookSnapshot(BTC, prices, np.array([1, 2]), [11], [1])
    prices[0] = 8
    assert snapshot.bid_prices_ticks.tolist() == [10, 9]


def test_book_snapshot_accepts_empty_sides():
    snapshot = BookSnapshot(BTC, [], [], [], [])
    assert snapshot.bid_prices_ticks.dtype == np.int64
    assert len(snapshot.ask_prices_ticks) == 0


def test_book_snapshot_fields_cannot_be_assigned():
    snapshot = make_book_snapshot()
    with pytest.raises(AttributeError):
        snapshot.sequence = 3


def test_book_snapshot_with_misaligned_sizes_is_rejected():
    with pytest.raises(
        InvalidEventError,
        match=r"ask_sizes_lots: expected 2 values aligned with ask_prices_ticks, got 1",
    ):
        BookSnapshot(BTC, [10], [1], [11, 12], [1])


def test_book_snapshot_with_bids_not_descending_is_rejected_naming_the_level():
    with pytest.raises(
        InvalidEventError,
        match=r"bid_prices_ticks\[2\]: expected strictly descending prices, got 9 after 9",
    ):
        BookSnapshot(BTC, [10, 9, 9], [1, 1, 1], [], [])


def test_book_snapshot_with_asks_not_ascending_is_rejected_naming_the_level():
    with pytest.raises(
        InvalidEventError,
        match=r"ask_prices_ticks\[1\]: expected strictly ascending prices, got 11 after 12",
    ):
        BookSnapshot(BTC, [], [], [12, 11], [1, 1])


def test_book_snapshot_with_a_zero_size_is_rejected():
    with pytest.raises(InvalidEventError, match=r"bid_sizes_lots\[1\]: expected > 0, got 0"):
        BookSnapshot(BTC, [10, 9], [1, 0], [], [])


def test_book_snapshot_with_a_negative_size_is_rejected():
    with pytest.raises(InvalidEventError, match=r"ask_sizes_lots\[0\]: expected > 0, got -4"):
        BookSnapshot(BTC, [], [], [11], [-4])


def test_book_snapshot_with_a_non_positive_price_is_rejected():
    with pytest.raises(InvalidEventError, match=r"bid_prices_ticks\[1\]: expected > 0, got 0"):
        BookSnapshot(BTC, [1, 0], [1, 1], [], [])


def test_book_snapshot_with_float_prices_is_rejected_instead_of_truncated():
    with pytest.raises(
        InvalidEventError, match="bid_prices_ticks: expected integers, got dtype float64"
    ):
        BookSnapshot(BTC, [10.5], [1], [], [])


def test_book_snapshot_with_two_dimensional_input_is_rejected():
    with pytest.raises(
        InvalidEventError, match="expected a 1-D sequence of int64, got 2 dimensions"
    ):
        BookSnapshot(BTC, [[10, 9]], [[1, 1]], [], [])


def test_book_snapshot_with_values_beyond_int64_is_rejected():
    with pytest.raises(InvalidEventError, match="ask_prices_ticks: expected values that fit int64"):
        BookSnapshot(BTC, [], [], np.array([2**63], dtype=np.uint64), [1])


def test_book_snapshot_with_ragged_input_is_rejected():
    with pytest.raises(InvalidEventError, match="bid_prices_ticks: expected a 1-D sequence"):
        BookSnapshot(BTC, [1, [2, 3]], [1, 1], [], [])


def test_book_snapshots_equal_by_value():
    assert make_book_snapshot() == make_book_snapshot()
    assert make_book_snapshot() != make_book_snapshot(asks=[(100_001, 6)])


def test_book_snapshot_round_trips_through_its_record():
    snapshot = make_book_snapshot(sequence=77)
    record = snapshot.to_dict()
    assert record["ask_sizes_lots"] == [5, 15, 25]
    assert all(type(value) is int for value in record["bid_prices_ticks"])
    assert BookSnapshot.from_dict(record) == snapshot


def test_book_snapshot_record_with_a_non_integer_level_is_rejected():
    record = make_book_snapshot().to_dict() | {"bid_sizes_lots": [1, "2", 3]}
    with pytest.raises(DecodeError, match="bid_sizes_lots: expected int, got '2'"):
        BookSnapshot.from_dict(record)


def test_book_snapshot_unpickles_read_only():
    snapshot = pickle.loads(pickle.dumps(make_book_snapshot()))
    assert snapshot == make_book_snapshot()
    assert not snapshot.bid_prices_ticks.flags.writeable


@given(
    st.lists(st.integers(1, 10**12), unique=True, max_size=30),
    st.lists(st.integers(1, 10**12), unique=True, max_size=30),
)
def test_book_snapshot_keeps_any_sorted_levels_exactly(bid_prices, ask_prices):
    bids = sorted(bid_prices, reverse=True)
    asks = sorted(ask_prices)
    snapshot = BookSnapshot(BTC, bids, [1] * len(bids), asks, [2] * len(asks))
    assert snapshot.bid_prices_ticks.tolist() == bids
    assert snapshot.ask_prices_ticks.tolist() == asks
    assert BookSnapshot.from_dict(snapshot.to_dict()) == snapshot


def test_book_snapshot_create_sets_every_field(cython_api):
    expected = make_book_snapshot(sequence=5)
    created = cython_api.book_snapshot_create(
        BTC,
        expected.bid_prices_ticks,
        expected.bid_sizes_lots,
        expected.ask_prices_ticks,
        expected.ask_sizes_lots,
        5,
        TS_EVENT,
        TS_RECV,
    )
    assert created == expected


# -- QUOTE -------------------------------------------------------------------------------------


def test_quote_keeps_its_fields():
    quote = Quote(BTC, 100, 3, 101, 4, ts_event=TS_EVENT, ts_recv=TS_RECV)
    assert (quote.bid_price_ticks, quote.bid_size_lots) == (100, 3)
    assert (quote.ask_price_ticks, quote.ask_size_lots) == (101, 4)
    assert (quote.ts_event, quote.ts_recv) == (TS_EVENT, TS_RECV)


def test_quote_fields_cannot_be_assigned():
    quote = make_quote()
    with pytest.raises(AttributeError):
        quote.bid_price_ticks = 1


@pytest.mark.parametrize("field", ["bid_size_lots", "ask_size_lots"])
def test_quote_with_a_negative_size_is_rejected(field):
    with pytest.raises(InvalidEventError, match=f"Quote.{field}: expected >= 0, got -1"):
        make_quote(**{field: -1})


@pytest.mark.parametrize("field", ["bid_price_ticks", "ask_price_ticks"])
def test_quote_with_a_non_positive_price_is_rejected(field):
    with pytest.raises(InvalidEventError, match=f"Quote.{field}: expected > 0, got 0"):
        make_quote(**{field: 0})


def test_quote_with_a_negative_timestamp_is_rejected():
    with pytest.raises(InvalidEventError, match=r"Quote.ts_recv: expected UNIX ns >= 0, got -2"):
        make_quote(ts_recv=-2)


def test_quotes_equal_by_value():
    assert make_quote() == make_quote()
    assert make_quote() != make_quote(ask_size_lots=6)


def test_quote_repr_names_the_fields():
    assert repr(make_quote()).startswith("Quote(instrument_id=BTCUSDT.BINANCE, bid_price_ticks=")


def test_quote_round_trips_through_its_record():
    quote = make_quote()
    assert Quote.from_dict(quote.to_dict()) == quote


def test_quote_create_sets_every_field(cython_api):
    created = cython_api.quote_create(BTC, 100_000, 10, 100_001, 5, TS_EVENT, TS_RECV)
    assert created == make_quote()


# -- TRADE -------------------------------------------------------------------------------------


def test_trade_keeps_its_fields():
    trade = Trade(BTC, 100, 2, AggressorSide.SELLER, TradeId("9"), ts_event=1, ts_recv=2)
    assert (trade.price_ticks, trade.size_lots, trade.aggressor_side) == (
        100,
        2,
        AggressorSide.SELLER,
    )
    assert trade.trade_id == TradeId("9")
    assert (trade.ts_event, trade.ts_recv) == (1, 2)


def test_trade_fields_cannot_be_assigned():
    trade = make_trade()
    with pytest.raises(AttributeError):
        trade.trade_id = TradeId("x")


@pytest.mark.parametrize("size_lots", [0, -1])
def test_trade_with_a_non_positive_size_is_rejected(size_lots):
    with pytest.raises(InvalidEventError, match=f"Trade.size_lots: expected > 0, got {size_lots}"):
        make_trade(size_lots=size_lots)


def test_trade_with_a_non_positive_price_is_rejected():
    with pytest.raises(InvalidEventError, match=r"Trade.price_ticks: expected > 0, got 0"):
        make_trade(price_ticks=0)


def test_trade_with_an_unknown_aggressor_is_rejected():
    with pytest.raises(
        InvalidEventError, match=r"Trade.aggressor_side: expected an AggressorSide, got 5"
    ):
        make_trade(aggressor_side=5)


def test_trade_without_a_trade_id_is_rejected():
    with pytest.raises(TypeError):
        Trade(BTC, 1, 1, AggressorSide.BUYER, None)


def test_trades_equal_by_value():
    assert make_trade() == make_trade()
    assert make_trade() != make_trade(trade_id="T-2")


def test_trade_repr_names_the_aggressor():
    assert "aggressor_side=BUYER, trade_id=T-1" in repr(make_trade())


def test_trade_round_trips_through_its_record():
    trade = make_trade(aggressor_side=AggressorSide.NO_AGGRESSOR)
    record = trade.to_dict()
    assert record["aggressor_side"] == "NO_AGGRESSOR"
    assert record["trade_id"] == "T-1"
    assert Trade.from_dict(record) == trade


def test_trade_survives_pickling():
    trade = make_trade()
    assert pickle.loads(pickle.dumps(trade)) == trade


def test_trade_create_sets_every_field(cython_api):
    created = cython_api.trade_create(
        BTC, 100_000, 3, AggressorSide.BUYER, TradeId("T-1"), TS_EVENT, TS_RECV
    )
    assert created == make_trade()


def test_events_of_different_types_are_not_equal():
    assert make_quote() != make_trade()
