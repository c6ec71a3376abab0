"""Unit tests of ``Instrument``: validation, exact tick/lot conversions, notional and fees."""

import pickle
from decimal import Decimal

import pytest

from hftcore.errors import ConfigError, FixedPointError, FixedPointOverflowError, PrecisionError
from hftcore.model.enums import InstrumentKind, RoundingMode
from hftcore.model.fixed_point import MAX_RAW, Price, Quantity
from hftcore.model.identifiers import InstrumentId
from hftcore.model.instrument import Instrument
from tests.builders.instruments import make_future, make_instrument, make_perpetual

# -- construction ------------------------------------------------------------------------------


def test_instrument_drops_trailing_zeros_of_the_tick_size():
    instrument = make_instrument(tick_size="0.01000000")
    assert (instrument.tick_size, instrument.price_precision, instrument.tick_size_raw) == (
        Decimal("0.01"),
        2,
        1,
    )
    assert str(instrument.tick_size) == "0.01"


def test_instrument_with_a_half_tick_keeps_the_tick_mantissa():
    instrument = make_instrument(tick_size="0.5")
    assert (instrument.price_precision, instrument.tick_size_raw) == (1, 5)


def test_instrument_with_a_tick_above_one_has_precision_zero():
    instrument = make_instrument(tick_size="1E+1")
    assert (instrument.price_precision, instrument.tick_size_raw) == (0, 10)


def test_instrument_lot_size_sets_size_precision_and_lot_mantissa():
    instrument = make_instrument(lot_size="0.00100000")
    assert (instrument.size_precision, instrument.lot_size_raw, instrument.lot_size) == (
        3,
        1,
        Decimal("0.001"),
    )


def test_instrument_precomputes_float_tick_and_lot():
    instrument = make_instrument(tick_size="0.05", lot_size="0.001", multiplier="10")
    assert (instrument.tick_size_f, instrument.lot_size_f, instrument.multiplier_f) == (
        0.05,
        0.001,
        10.0,
    )


def test_instrument_rounds_min_quantity_up_to_whole_lots():
    assert make_instrument(lot_size="0.001", min_quantity="0.0025").min_quantity_lots == 3


def test_instrument_settles_in_the_quote_asset_by_default():
    assert make_instrument().settle == "USDT"


def test_instrument_keeps_an_explicit_settlement_asset():
    instrument = make_perpetual("BTCUSD-PERP", base="BTC", quote="USD", settle="BTC")
    assert (instrument.quote, instrument.settle) == ("USD", "BTC")


def test_instrument_exposes_kind_as_the_enum():
    assert make_perpetual().kind is InstrumentKind.PERPETUAL


def test_future_keeps_its_expiry():
    assert make_future(expiry_ns=1_711_699_200_000_000_000).expiry_ns == 1_711_699_200_000_000_000


def test_instrument_accepts_decimal_arguments():
    instrument = make_instrument(tick_size=Decimal("0.10"), maker_fee=Decimal("-0.0001"))
    assert (instrument.tick_size, instrument.maker_fee) == (Decimal("0.1"), Decimal("-0.0001"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tick_size", "0"),
        ("tick_size", "-0.01"),
        ("tick_size", "abc"),
        ("tick_size", 0.01),
        ("tick_size", "NaN"),
        ("tick_size", "1E-19"),
        ("lot_size", "0"),
        ("lot_size", "99999999999999999999"),
        ("min_quantity", "-1"),
        ("min_notional", "-5"),
        ("maker_fee", "1"),
        ("taker_fee", "-1"),
        ("taker_fee", None),
        ("multiplier", "0"),
        ("base", ""),
        ("quote", "US DT"),
        ("settle", 7),
    ],
)
def test_instrument_rejects_an_invalid_field_naming_it_and_the_value(field, value):
    with pytest.raises(ConfigError, match=f"instrument BTCUSDT.BINANCE: {field}: ") as info:
        make_instrument(**{field: value})
    assert str(value) in str(info.value) or repr(value) in str(info.value)


def test_instrument_rejects_an_unknown_kind():
    with pytest.raises(ConfigError, match=r"kind: expected SPOT, PERPETUAL or FUTURE, got 9"):
        make_instrument(kind=9)


def test_future_without_expiry_is_rejected():
    with pytest.raises(ConfigError, match=r"expiry_ns: a FUTURE needs an expiry > 0"):
        make_instrument(kind=InstrumentKind.FUTURE, expiry_ns=0)


def test_spot_with_an_expiry_is_rejected():
    with pytest.raises(ConfigError, match=r"expiry_ns: .* got 5 for SPOT"):
        make_instrument(expiry_ns=5)


def test_instrument_rejects_a_negative_expiry():
    with pytest.raises(ConfigError, match=r"expiry_ns: expected an int >= 0, got -1"):
        make_instrument(kind=InstrumentKind.FUTURE, expiry_ns=-1)


# -- price and size conversions ----------------------------------------------------------------


def test_price_to_ticks_converts_a_venue_string_exactly():
    assert make_instrument().price_to_ticks("27123.40") == 2_712_340


def test_price_to_ticks_accepts_trailing_zeros_beyond_the_tick():
    assert make_instrument().price_to_ticks("27123.40000000") == 2_712_340


def test_price_to_ticks_counts_whole_half_ticks():
    assert make_instrument(tick_size="0.5").price_to_ticks("27123.5") == 54_247


def test_price_to_ticks_accepts_decimal_int_and_price():
    instrument = make_instrument(tick_size="0.05")
    assert (
        instrument.price_to_ticks(Decimal("27123.45")),
        instrument.price_to_ticks(27_123),
        instrument.price_to_ticks(Price.from_str("27123.4500")),
    ) == (542_469, 542_460, 542_469)


def test_price_to_ticks_rejects_a_price_between_ticks_naming_value_and_tick_size():
    instrument = make_instrument(tick_size="0.05")
    with pytest.raises(PrecisionError) as info:
        instrument.price_to_ticks("27123.43")
    assert str(info.value).startswith(
        "BTCUSDT.BINANCE price: '27123.43' is not a multiple of the tick size 0.05"
    )


def test_price_to_ticks_rejects_digits_finer_than_a_power_of_ten_tick():
    with pytest.raises(
        PrecisionError, match=r"'27123.405' is not a multiple of the tick size 0.01"
    ):
        make_instrument().price_to_ticks("27123.405")


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        (RoundingMode.DOWN, 542_468),
        (RoundingMode.UP, 542_469),
        (RoundingMode.HALF_EVEN, 542_469),
    ],
)
def test_price_to_ticks_rounds_to_a_non_power_of_ten_tick_as_asked(rounding, expected):
    assert make_instrument(tick_size="0.05").price_to_ticks("27123.43", rounding) == expected


def test_price_to_ticks_rounds_a_tie_between_ticks_to_the_even_tick():
    instrument = make_instrument(tick_size="0.03")
    assert (
        instrument.price_to_ticks("0.015", RoundingMode.HALF_EVEN),
        instrument.price_to_ticks("0.045", RoundingMode.HALF_EVEN),
    ) == (0, 2)


def test_price_to_ticks_refuses_a_float():
    with pytest.raises(FixedPointError, match=r"BTCUSDT.BINANCE price: .* got 27123.4 \(float\)"):
        make_instrument().price_to_ticks(27123.4)


def test_price_to_ticks_rejects_a_malformed_string_naming_it():
    with pytest.raises(FixedPointError, match=r"BTCUSDT.BINANCE price: .* got '27123,40'"):
        make_instrument().price_to_ticks("27123,40")


def test_price_to_ticks_rejects_a_price_beyond_int64_ticks():
    with pytest.raises(FixedPointOverflowError, match=r"BTCUSDT.BINANCE price: '1e20'"):
        make_instrument().price_to_ticks("1e20")


def test_ticks_to_price_is_an_exact_decimal():
    price = make_instrument().ticks_to_price(2_712_340)
    assert (price, str(price)) == (Decimal("27123.40"), "27123.40")


def test_ticks_to_price_overflow_raises():
    with pytest.raises(FixedPointOverflowError):
        make_instrument(tick_size="0.5").ticks_to_price(MAX_RAW)


def test_size_to_lots_converts_a_venue_string_exactly():
    assert make_instrument().size_to_lots("0.00100000") == 100


def test_size_to_lots_keeps_the_sign_of_a_position():
    assert make_instrument().size_to_lots("-0.5") == -50_000


def test_size_to_lots_accepts_a_quantity():
    assert make_instrument().size_to_lots(Quantity.from_str("0.001")) == 100


def test_size_to_lots_rejects_a_size_between_lots_naming_value_and_lot_size():
    with pytest.raises(PrecisionError, match=r"size: '0.000015' is not a multiple of the lot size"):
        make_instrument().size_to_lots("0.000015")


def test_size_to_lots_rounds_down_when_asked():
    assert make_instrument().size_to_lots("0.000015", RoundingMode.DOWN) == 1


def test_lots_to_size_is_an_exact_decimal():
    assert str(make_instrument().lots_to_size(100)) == "0.00100"


def test_make_price_and_make_quantity_carry_instrument_precision():
    instrument = make_instrument(tick_size="0.05", lot_size="0.001")
    price, quantity = instrument.make_price(542_469), instrument.make_quantity(1_500)
    assert (repr(price), repr(quantity)) == ("Price('27123.45')", "Quantity('1.500')")


def test_make_quantity_rejects_negative_lots():
    with pytest.raises(FixedPointError, match=r"size_lots: -1 is negative"):
        make_instrument().make_quantity(-1)


# -- notional, fees ----------------------------------------------------------------------------


def test_notional_is_price_times_size():
    assert make_instrument().notional(2_712_340, 100) == Decimal("27.1234")


def test_notional_includes_the_contract_multiplier():
    instrument = make_perpetual(multiplier="0.001")
    assert instrument.notional(271_234, 5_000) == Decimal("135.617")


def test_notional_stays_exact_beyond_the_default_decimal_context():
    instrument = make_instrument(tick_size="0.000000001", lot_size="0.000000001")
    notional = instrument.notional(123_456_789_123_456_789, 987_654_321_987_654_321)
    assert notional == Decimal(f"{123_456_789_123_456_789 * 987_654_321_987_654_321}E-18")


def test_maker_fee_is_notional_times_maker_rate():
    instrument = make_instrument(maker_fee="0.001", taker_fee="0.002")
    assert instrument.fee(2_712_340, 100, True) == Decimal("0.0271234")


def test_taker_fee_is_notional_times_taker_rate():
    instrument = make_instrument(maker_fee="0.001", taker_fee="0.002")
    assert instrument.fee(2_712_340, 100, False) == Decimal("0.0542468")


def test_a_negative_maker_fee_is_a_rebate():
    assert make_perpetual(maker_fee="-0.0001").fee(271_234, 1_000, True) == Decimal("-2.71234")


@pytest.mark.parametrize(("size_lots", "expected"), [(18, False), (19, True)])
def test_min_notional_ok_compares_notional_with_min_notional(size_lots, expected):
    assert make_instrument(min_notional="5").min_notional_ok(2_712_340, size_lots) is expected


def test_min_notional_ok_accepts_a_notional_exactly_at_the_minimum():
    # In floats 1 * 11 * (0.1 * 0.3) is 0.32999999999999996 < 0.33; the exact check decides.
    instrument = make_instrument(tick_size="0.1", lot_size="0.3", min_notional="0.33")
    assert instrument.min_notional_ok(1, 11) is True


def test_min_notional_ok_rejects_a_notional_just_below_the_minimum():
    instrument = make_instrument(tick_size="0.01", lot_size="1", min_notional="100.00000001")
    assert instrument.min_notional_ok(10_000, 1) is False


def test_min_notional_ok_ignores_the_sign_of_the_size():
    assert make_instrument(min_notional="5").min_notional_ok(2_712_340, -19) is True


def test_min_notional_ok_is_always_true_without_a_minimum():
    assert make_instrument(min_notional="0").min_notional_ok(1, 0) is True


# -- serialization, identity -------------------------------------------------------------------


def test_to_dict_writes_plain_decimal_strings():
    data = make_instrument(lot_size="1E-8", min_quantity="1E-8").to_dict()
    assert (data["lot_size"], data["min_quantity"], data["kind"]) == (
        "0.00000001",
        "0.00000001",
        "SPOT",
    )


def test_from_dict_reads_back_to_dict():
    instrument = make_future(maker_fee="-0.0001", multiplier="0.01")
    assert Instrument.from_dict(instrument.to_dict()) == instrument


def test_from_dict_reads_a_minimal_catalog_entry():
    instrument = Instrument.from_dict(
        {
            "id": "ETHBTC.BINANCE",
            "kind": "spot",
            "base": "ETH",
            "quote": "BTC",
            "tick_size": "0.00001",
            "lot_size": "0.0001",
        }
    )
    assert (instrument.id, instrument.kind, instrument.multiplier) == (
        InstrumentId.from_str("ETHBTC.BINANCE"),
        InstrumentKind.SPOT,
        Decimal("1"),
    )


def test_from_dict_rejects_a_missing_field_naming_it():
    data = make_instrument().to_dict()
    del data["lot_size"]
    with pytest.raises(ConfigError, match=r"instrument BTCUSDT.BINANCE: lot_size: missing"):
        Instrument.from_dict(data)


def test_from_dict_rejects_an_unknown_field_naming_it():
    data = make_instrument().to_dict() | {"tick": "0.01"}
    with pytest.raises(ConfigError, match=r"unknown field 'tick'"):
        Instrument.from_dict(data)


def test_from_dict_rejects_an_unknown_kind_naming_it():
    data = make_instrument().to_dict() | {"kind": "OPTION"}
    with pytest.raises(ConfigError, match=r"kind: unknown InstrumentKind 'OPTION'"):
        Instrument.from_dict(data)


def test_from_dict_rejects_a_malformed_id():
    data = make_instrument().to_dict() | {"id": "BTCUSDT"}
    with pytest.raises(ConfigError, match=r"'BTCUSDT'"):
        Instrument.from_dict(data)


def test_instruments_differing_in_a_field_are_not_equal():
    assert make_instrument(taker_fee="0.001") != make_instrument(taker_fee="0.002")


def test_instrument_hashes_by_its_id():
    assert hash(make_instrument()) == hash(InstrumentId.from_str("BTCUSDT.BINANCE"))


def test_instrument_survives_pickling():
    instrument = make_future()
    assert pickle.loads(pickle.dumps(instrument)) == instrument


def test_instrument_repr_names_id_kind_tick_and_lot():
    assert repr(make_instrument()) == (
        "Instrument('BTCUSDT.BINANCE', kind=SPOT, tick_size=0.01, lot_size=0.00001)"
    )
