import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import DecodeError, FixedPointError, InvalidEventError
from hftcore.model.account_events import BalanceUpdate, PositionUpdate
from hftcore.model.identifiers import InstrumentId, Venue
from hftcore.model.money import Money
from tests.builders.events import TS_EVENT, TS_RECV, make_balance_update, make_position_update

BINANCE = Venue("BINANCE")
BTC = InstrumentId.from_str("BTCUSDT.BINANCE")


def usdt(text: str) -> Money:
    return Money.from_str(text, "USDT")


# -- BALANCE UPDATE ----------------------------------------------------------------------------


def test_balance_update_keeps_its_fields():
    balance = BalanceUpdate(BINANCE, "USDT", usdt("12.5"), usdt("2.5"), ts_event=1, ts_recv=2)
    assert (balance.venue, balance.asset) == (BINANCE, "USDT")
    assert (balance.free, balance.locked) == (usdt("12.5"), usdt("2.5"))
    assert (balance.ts_event, balance.ts_recv) == (1, 2)


def test_balance_update_total_is_free_plus_locked():
    assert make_balance_update(free="12.5", locked="2.55").total == usdt("15.05")


def test_balance_update_fields_cannot_be_assigned():
    balance = make_balance_update()
    with pytest.raises(AttributeError):
        balance.free = usdt("1")


def test_balance_update_allows_a_negative_free_amount_for_borrowing_accounts():
    assert make_balance_update(free="-3").free == usdt("-3")


def test_balance_update_with_negative_locked_is_rejected():
    with pytest.raises(
        InvalidEventError, match=r"BalanceUpdate.locked: expected >= 0, got -1 USDT"
    ):
        make_balance_update(locked="-1")


def test_balance_update_with_free_in_another_currency_is_rejected():
    with pytest.raises(
        InvalidEventError, match=r"BalanceUpdate.free: expected an amount of USDT, got 1 BTC"
    ):
        BalanceUpdate(BINANCE, "USDT", Money.from_str("1", "BTC"), usdt("0"))


def test_balance_update_with_locked_in_another_currency_is_rejected():
    with pytest.raises(
        InvalidEventError, match=r"BalanceUpdate.locked: expected an amount of USDT"
    ):
        BalanceUpdate(BINANCE, "USDT", usdt("1"), Money.from_str("0", "BTC"))


@pytest.mark.parametrize("asset", ["", "US DT"])
def test_balance_update_with_a_bad_asset_code_is_rejected(asset):
    with pytest.raises(InvalidEventError, match=r"BalanceUpdate.asset: expected an asset code"):
        BalanceUpdate(BINANCE, asset, usdt("1"), usdt("0"))


def test_balance_update_with_a_negative_timestamp_is_rejected():
    with pytest.raises(InvalidEventError, match=r"BalanceUpdate.ts_event: expected UNIX ns >= 0"):
        make_balance_update(ts_event=-1)


def test_balance_updates_equal_by_value():
    assert make_balance_update() == make_balance_update()
    assert make_balance_update(free="1") != make_balance_update(free="2")
    assert make_balance_update(venue="OKX") != make_balance_update()


def test_balance_update_repr_shows_exact_amounts():
    assert repr(make_balance_update(free="0.00012500")) == (
        f"BalanceUpdate(venue=BINANCE, asset=USDT, free=0.00012500, locked=0, "
        f"ts_event={TS_EVENT}, ts_recv={TS_RECV})"
    )


def test_balance_update_round_trips_through_its_record():
    balance = make_balance_update(free="123.45678901", locked="0.5")
    record = balance.to_dict()
    assert record == {
        "type": "BalanceUpdate",
        "venue": "BINANCE",
        "asset": "USDT",
        "free": "123.45678901",
        "locked": "0.5",
        "ts_event": TS_EVENT,
        "ts_recv": TS_RECV,
    }
    assert BalanceUpdate.from_dict(record) == balance


def test_balance_update_record_missing_the_asset_is_rejected():
    record = make_balance_update().to_dict()
    del record["asset"]
    with pytest.raises(DecodeError, match=r"BalanceUpdate.from_dict: missing key 'asset'"):
        BalanceUpdate.from_dict(record)


def test_balance_update_record_with_a_float_amount_is_rejected():
    record = make_balance_update().to_dict() | {"free": 1.5}
    with pytest.raises(DecodeError, match=r"free: expected str, got 1.5"):
        BalanceUpdate.from_dict(record)


def test_balance_update_survives_pickling():
    balance = make_balance_update()
    assert pickle.loads(pickle.dumps(balance)) == balance


def test_balance_update_create_sets_every_field(cython_api):
    created = cython_api.balance_update_create(
        BINANCE, "USDT", usdt("10000"), usdt("0"), TS_EVENT, TS_RECV
    )
    assert created == make_balance_update()


# -- POSITION UPDATE ---------------------------------------------------------------------------


def test_position_update_keeps_its_fields():
    position = PositionUpdate(BTC, -4, Decimal("61737.635"), usdt("-1.5"), ts_event=1, ts_recv=2)
    assert (position.instrument_id, position.quantity_lots) == (BTC, -4)
    assert position.avg_price == Decimal("61737.635")
    assert position.realized_pnl == usdt("-1.5")
    assert (position.ts_event, position.ts_recv) == (1, 2)


@pytest.mark.parametrize("avg_price", ["61737.64", 61737, Decimal("61737")])
def test_position_update_takes_the_average_price_as_decimal_int_or_text(avg_price):
    position = PositionUpdate(BTC, 1, avg_price, usdt("0"))
    assert position.avg_price == Decimal(str(avg_price))
    assert isinstance(position.avg_price, Decimal)


def test_position_update_with_a_float_average_price_is_rejected():
    with pytest.raises(InvalidEventError, match=r"PositionUpdate.avg_price: expected a Decimal"):
        PositionUpdate(BTC, 1, 61737.64, usdt("0"))


@pytest.mark.parametrize("avg_price", ["abc", "NaN", "Infinity", "-1"])
def test_position_update_with_a_bad_average_price_is_rejected(avg_price):
    with pytest.raises(InvalidEventError, match=r"PositionUpdate.avg_price: expected"):
        PositionUpdate(BTC, 1, avg_price, usdt("0"))


def test_position_update_fields_cannot_be_assigned():
    position = make_position_update()
    with pytest.raises(AttributeError):
        position.quantity_lots = 0


def test_position_update_with_a_negative_timestamp_is_rejected():
    with pytest.raises(InvalidEventError, match=r"PositionUpdate.ts_recv: expected UNIX ns >= 0"):
        make_position_update(ts_recv=-1)


def test_position_updates_equal_by_value():
    assert make_position_update() == make_position_update()
    assert make_position_update(quantity_lots=-10) != make_position_update()
    assert make_position_update(realized_pnl="1") != make_position_update()


def test_position_update_repr_shows_the_exact_average_price():
    assert "avg_price=61737.64, realized_pnl=0 USDT" in repr(make_position_update())


def test_position_update_round_trips_through_its_record():
    position = make_position_update(quantity_lots=-7, avg_price="0.000012345", realized_pnl="-3.2")
    record = position.to_dict()
    assert (record["avg_price"], record["realized_pnl"], record["realized_pnl_currency"]) == (
        "0.000012345",
        "-3.2",
        "USDT",
    )
    assert PositionUpdate.from_dict(record) == position


def test_position_update_record_with_a_bad_pnl_is_rejected():
    record = make_position_update().to_dict() | {"realized_pnl": "1e"}
    with pytest.raises(FixedPointError):
        PositionUpdate.from_dict(record)


@given(
    quantity_lots=st.integers(-(2**63), 2**63 - 1),
    avg_price=st.decimals(min_value=0, max_value=10**12, allow_nan=False, places=8),
)
def test_position_update_record_round_trip_is_exact(quantity_lots, avg_price):
    position = PositionUpdate(BTC, quantity_lots, avg_price, usdt("0"))
    assert PositionUpdate.from_dict(position.to_dict()) == position


def test_position_update_create_sets_every_field(cython_api):
    created = cython_api.position_update_create(
        BTC, 10, Decimal("61737.64"), usdt("0"), TS_EVENT, TS_RECV
    )
    assert created == make_position_update()
