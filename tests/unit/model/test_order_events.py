import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import DecodeError, EnumParseError, FixedPointError, InvalidEventError
from hftcore.model.enums import LiquiditySide, Side
from hftcore.model.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    Symbol,
    TradeId,
    Venue,
    VenueOrderId,
)
from hftcore.model.money import Money
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)
from tests.builders.events import (
    TS_EVENT,
    TS_RECV,
    make_order_accepted,
    make_order_canceled,
    make_order_denied,
    make_order_expired,
    make_order_filled,
    make_order_rejected,
    make_order_submitted,
    make_order_updated,
)

STRATEGY = StrategyId("S-1")
BTC = InstrumentId.from_str("BTCUSDT.BINANCE")
ORDER = ClientOrderId("O-1")
IDS = (STRATEGY, BTC, ORDER)

BUILDERS = [
    make_order_submitted,
    make_order_accepted,
    make_order_rejected,
    make_order_denied,
    make_order_updated,
    make_order_filled,
    make_order_canceled,
    make_order_expired,
]
EVENT_TYPES = [
    OrderSubmitted,
    OrderAccepted,
    OrderRejected,
    OrderDenied,
    OrderUpdated,
    OrderFilled,
    OrderCanceled,
    OrderExpired,
]


# -- COMMON ------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS)
def test_every_order_event_is_an_order_event_with_the_common_fields(build):
    event = build(ts_event=5, ts_recv=6)
    assert isinstance(event, OrderEvent)
    assert (event.strategy_id, event.instrument_id, event.client_order_id) == IDS
    assert (event.ts_event, event.ts_recv) == (5, 6)


@pytest.mark.parametrize("build", BUILDERS)
def test_order_event_fields_cannot_be_assigned(build):
    event = build()
    with pytest.raises(AttributeError):
        event.client_order_id = ClientOrderId("O-2")


@pytest.mark.parametrize("build", BUILDERS)
def test_order_events_with_equal_fields_are_equal(build):
    assert build() == build()


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize(
    "change",
    [
        {"strategy_id": "S-2"},
        {"instrument_id": "ETHUSDT.BINANCE"},
        {"client_order_id": "O-2"},
        {"ts_event": 1},
        {"ts_recv": 1},
    ],
)
def test_order_events_differing_in_a_common_field_are_not_equal(build, change):
    assert build(**change) != build()


@pytest.mark.parametrize("build", BUILDERS)
def test_order_events_compare_instrument_ids_by_value(build):
    built = InstrumentId(Symbol("BTCUSDT"), Venue("BINANCE"))
    assert build(instrument_id=built) == build()


def test_order_events_of_different_types_are_not_equal():
    assert make_order_canceled() != make_order_expired()


@pytest.mark.parametrize("build", BUILDERS)
def test_order_event_round_trips_through_its_record(build):
    event = build()
    assert type(event).from_dict(event.to_dict()) == event


@pytest.mark.parametrize("build", BUILDERS)
def test_order_event_record_names_its_type(build):
    event = build()
    assert event.to_dict()["type"] == type(event).__name__


@pytest.mark.parametrize("build", BUILDERS)
def test_order_event_record_holds_only_ints_and_strings(build):
    assert all(type(value) in (int, str) for value in build().to_dict().values())


@pytest.mark.parametrize("build", BUILDERS)
def test_order_event_survives_pickling(build):
    event = build()
    assert pickle.loads(pickle.dumps(event)) == event


@pytest.mark.parametrize("build", BUILDERS)
def test_order_event_repr_starts_with_its_type_and_ids(build):
    event = build()
    assert repr(event).startswith(
        f"{type(event).__name__}(strategy_id=S-1, instrument_id=BTCUSDT.BINANCE, "
        f"client_order_id=O-1, ts_event={event.ts_event}, ts_recv={event.ts_recv}"
    )


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("field", ["ts_event", "ts_recv"])
def test_order_event_with_a_negative_timestamp_is_rejected(build, field):
    with pytest.raises(InvalidEventError, match=f"{field}: expected UNIX ns >= 0, got -1"):
        build(**{field: -1})


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_order_event_record_missing_the_client_order_id_is_rejected(event_type):
    record = dict(BUILDERS[EVENT_TYPES.index(event_type)]().to_dict())
    del record["client_order_id"]
    with pytest.raises(DecodeError, match=f"{event_type.__name__}.from_dict: missing key"):
        event_type.from_dict(record)


def test_order_event_record_of_another_type_is_rejected():
    with pytest.raises(DecodeError, match="type: expected 'OrderCanceled', got 'OrderExpired'"):
        OrderCanceled.from_dict(make_order_expired().to_dict())


def test_order_event_base_cannot_be_created_directly():
    with pytest.raises(TypeError, match="OrderEvent is abstract"):
        OrderEvent(*IDS)


def test_order_event_requires_a_client_order_id():
    with pytest.raises(TypeError):
        OrderSubmitted(STRATEGY, BTC, None)


# -- OWN FIELDS --------------------------------------------------------------------------------


def test_order_accepted_keeps_the_venue_order_id():
    assert make_order_accepted("88").venue_order_id == VenueOrderId("88")


def test_order_accepted_with_another_venue_order_id_is_not_equal():
    assert make_order_accepted("88") != make_order_accepted("89")


def test_order_accepted_requires_a_venue_order_id():
    with pytest.raises(TypeError):
        OrderAccepted(*IDS, None)


def test_order_rejected_keeps_the_reason():
    assert make_order_rejected("post only would take").reason == "post only would take"


@pytest.mark.parametrize("reason", ["", "  "])
def test_order_rejected_without_a_reason_is_rejected(reason):
    with pytest.raises(InvalidEventError, match=r"OrderRejected.reason: expected non-empty text"):
        make_order_rejected(reason)


def test_order_denied_keeps_code_and_message():
    denied = make_order_denied("FAT_FINGER", "price 120000 is 20% above mid 100000")
    assert (denied.reason_code, denied.message) == (
        "FAT_FINGER",
        "price 120000 is 20% above mid 100000",
    )


@pytest.mark.parametrize("code", ["", "MAX NOTIONAL"])
def test_order_denied_reason_code_must_be_a_code(code):
    with pytest.raises(InvalidEventError, match=r"OrderDenied.reason_code: expected a code"):
        make_order_denied(reason_code=code)


def test_order_denied_with_another_message_is_not_equal():
    assert make_order_denied(message="a") != make_order_denied(message="b")


def test_order_updated_keeps_price_and_quantity():
    updated = make_order_updated(price_ticks=123, quantity_lots=7)
    assert (updated.price_ticks, updated.quantity_lots) == (123, 7)


def test_order_updated_with_a_negative_price_is_rejected():
    with pytest.raises(InvalidEventError, match=r"OrderUpdated.price_ticks: expected >= 0, got -1"):
        make_order_updated(price_ticks=-1)


@pytest.mark.parametrize("quantity_lots", [0, -2])
def test_order_updated_with_a_non_positive_quantity_is_rejected(quantity_lots):
    with pytest.raises(
        InvalidEventError, match=f"OrderUpdated.quantity_lots: expected > 0, got {quantity_lots}"
    ):
        make_order_updated(quantity_lots=quantity_lots)


def test_order_filled_keeps_its_fields():
    fee = Money.from_str("-0.00015", "BNB")
    filled = make_order_filled(
        last_price_ticks=101,
        last_qty_lots=3,
        order_side=Side.SELL,
        liquidity_side=LiquiditySide.TAKER,
        fee=fee,
        trade_id="F-9",
        venue_order_id="V-9",
    )
    assert (filled.last_price_ticks, filled.last_qty_lots) == (101, 3)
    assert (filled.order_side, filled.liquidity_side) == (Side.SELL, LiquiditySide.TAKER)
    assert (filled.trade_id, filled.venue_order_id) == (TradeId("F-9"), VenueOrderId("V-9"))
    assert filled.fee == fee


def test_order_filled_fee_asset_is_the_fee_currency():
    assert make_order_filled(fee=Money.from_str("0.001", "BNB")).fee_asset == "BNB"


def test_order_filled_record_keeps_the_fee_exact():
    record = make_order_filled(fee=Money.from_str("-0.00012500", "USDT")).to_dict()
    assert (record["fee"], record["fee_asset"]) == ("-0.00012500", "USDT")
    assert OrderFilled.from_dict(record).fee == Money.from_str("-0.000125", "USDT")


@pytest.mark.parametrize(
    "change",
    [
        {"last_price_ticks": 99},
        {"last_qty_lots": 1},
        {"order_side": Side.SELL},
        {"liquidity_side": LiquiditySide.TAKER},
        {"trade_id": "F-2"},
        {"venue_order_id": "V-2"},
        {"fee": Money.from_str("0.0013", "USDT")},
        {"fee": Money.from_str("0.0012", "BNB")},
    ],
)
def test_order_filled_differing_in_one_own_field_is_not_equal(change):
    assert make_order_filled(**change) != make_order_filled()


@pytest.mark.parametrize("field", ["last_price_ticks", "last_qty_lots"])
@pytest.mark.parametrize("value", [0, -1])
def test_order_filled_with_a_non_positive_price_or_quantity_is_rejected(field, value):
    with pytest.raises(InvalidEventError, match=f"OrderFilled.{field}: expected > 0, got {value}"):
        make_order_filled(**{field: value})


def test_order_filled_without_an_order_side_is_rejected():
    with pytest.raises(InvalidEventError, match=r"OrderFilled.order_side: expected BUY or SELL"):
        make_order_filled(order_side=Side.NO_SIDE)


def test_order_filled_with_an_unknown_liquidity_side_is_rejected():
    with pytest.raises(InvalidEventError, match=r"OrderFilled.liquidity_side: expected MAKER"):
        make_order_filled(liquidity_side=3)


def test_order_filled_accepts_an_unknown_liquidity_side_from_the_venue():
    filled = make_order_filled(liquidity_side=LiquiditySide.NO_LIQUIDITY_SIDE)
    assert filled.liquidity_side == LiquiditySide.NO_LIQUIDITY_SIDE


def test_order_filled_requires_a_fee():
    with pytest.raises(TypeError):
        OrderFilled(
            *IDS, VenueOrderId("V"), TradeId("T"), Side.BUY, 1, 1, LiquiditySide.MAKER, None
        )


def test_order_filled_record_with_an_inexact_fee_is_rejected():
    record = make_order_filled().to_dict() | {"fee": "0.1.2"}
    with pytest.raises(FixedPointError):
        OrderFilled.from_dict(record)


def test_order_filled_record_with_an_unknown_liquidity_side_is_rejected():
    record = make_order_filled().to_dict() | {"liquidity_side": "TAKERISH"}
    with pytest.raises(EnumParseError, match=r"OrderFilled.liquidity_side"):
        OrderFilled.from_dict(record)


@given(
    side=st.sampled_from([Side.BUY, Side.SELL]),
    liquidity=st.sampled_from(list(LiquiditySide)),
    price_ticks=st.integers(1, 2**63 - 1),
    qty_lots=st.integers(1, 2**63 - 1),
    fee_raw=st.integers(-(2**63) + 1, 2**63 - 1),
    fee_precision=st.integers(0, 18),
)
def test_order_filled_record_round_trip_is_exact(
    side, liquidity, price_ticks, qty_lots, fee_raw, fee_precision
):
    filled = make_order_filled(
        last_price_ticks=price_ticks,
        last_qty_lots=qty_lots,
        order_side=side,
        liquidity_side=liquidity,
        fee=Money(fee_raw, fee_precision, "USDT"),
    )
    assert OrderFilled.from_dict(filled.to_dict()) == filled


# -- CYTHON FACTORIES --------------------------------------------------------------------------


def test_order_submitted_create_sets_every_field(cython_api):
    created = cython_api.order_submitted_create(*IDS, TS_EVENT, TS_RECV)
    assert created == make_order_submitted()


def test_order_accepted_create_sets_every_field(cython_api):
    created = cython_api.order_accepted_create(*IDS, VenueOrderId("V-1"), TS_EVENT, TS_RECV)
    assert created == make_order_accepted()


def test_order_rejected_create_sets_every_field(cython_api):
    reason = make_order_rejected().reason
    created = cython_api.order_rejected_create(*IDS, reason, TS_EVENT, TS_RECV)
    assert created == make_order_rejected()


def test_order_denied_create_sets_every_field(cython_api):
    expected = make_order_denied()
    created = cython_api.order_denied_create(
        *IDS, expected.reason_code, expected.message, TS_RECV, TS_RECV
    )
    assert created == expected


def test_order_updated_create_sets_every_field(cython_api):
    created = cython_api.order_updated_create(
        *IDS, VenueOrderId("V-1"), 99_999, 8, TS_EVENT, TS_RECV
    )
    assert created == make_order_updated()


def test_order_filled_create_sets_every_field(cython_api):
    created = cython_api.order_filled_create(
        *IDS,
        VenueOrderId("V-1"),
        TradeId("F-1"),
        Side.BUY,
        100_000,
        4,
        LiquiditySide.MAKER,
        Money.from_str("0.0012", "USDT"),
        TS_EVENT,
        TS_RECV,
    )
    assert created == make_order_filled()


def test_order_canceled_create_sets_every_field(cython_api):
    assert cython_api.order_canceled_create(*IDS, TS_EVENT, TS_RECV) == make_order_canceled()


def test_order_expired_create_sets_every_field(cython_api):
    assert cython_api.order_expired_create(*IDS, TS_EVENT, TS_RECV) == make_order_expired()
