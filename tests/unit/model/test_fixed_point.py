"""Unit tests of exact decimal parsing, formatting, ``Price`` and ``Quantity``."""

import pickle
from decimal import Decimal

import pytest

from hftcore.errors import FixedPointError, FixedPointOverflowError, PrecisionError
from hftcore.model.enums import RoundingMode
from hftcore.model.fixed_point import (
    MAX_PRECISION,
    MAX_RAW,
    Price,
    Quantity,
    format_fixed,
    parse_fixed,
)

# -- parse_fixed -------------------------------------------------------------------------------


def test_parse_fixed_reads_a_price_string_as_its_mantissa():
    assert parse_fixed("27123.40", 2) == 2_712_340


def test_parse_fixed_accepts_trailing_zeros_beyond_the_precision():
    assert parse_fixed("0.00100000", 5) == 100


def test_parse_fixed_pads_a_value_with_fewer_places_than_the_precision():
    assert parse_fixed("27123.4", 8) == 2_712_340_000_000


@pytest.mark.parametrize(
    ("text", "precision", "expected"),
    [
        ("+007.50", 2, 750),
        ("-0.5", 1, -5),
        (".5", 1, 5),
        ("5.", 0, 5),
        ("-0", 2, 0),
        ("000", 0, 0),
    ],
)
def test_parse_fixed_accepts_signs_leading_zeros_and_bare_points(text, precision, expected):
    assert parse_fixed(text, precision) == expected


@pytest.mark.parametrize(
    ("text", "precision", "expected"),
    [
        ("1e-05", 5, 1),
        ("1E-8", 8, 1),
        ("2.5E+3", 0, 2_500),
        ("-1.5e1", 0, -15),
        ("123.45e-1", 3, 12_345),
        ("0e999999999999", 2, 0),
        ("0.000e-999999999999", 2, 0),
    ],
)
def test_parse_fixed_applies_an_exponent_exactly(text, precision, expected):
    assert parse_fixed(text, precision) == expected


@pytest.mark.parametrize(
    "text",
    ["", "-", "+", ".", "-.", "1.2.3", "1e", "1e+", "e5", "nan", "inf", "Infinity", " 1", "1 ",
     "1_000", "1,5", "0x10", "--1", "1-", "\uff11", "1\x00"],
)  # fmt: skip
def test_parse_fixed_rejects_a_malformed_string_naming_value_and_field(text):
    with pytest.raises(FixedPointError, match=r"order.price: expected a decimal string") as info:
        parse_fixed(text, 2, field="order.price")
    assert type(info.value) is FixedPointError
    assert repr(text) in str(info.value)


def test_parse_fixed_rejects_none_as_malformed():
    with pytest.raises(FixedPointError, match="got None"):
        parse_fixed(None, 2)


def test_parse_fixed_rejects_digits_beyond_the_precision_naming_value_and_field():
    with pytest.raises(
        PrecisionError, match=r"order.price: '27123.405' .* beyond 2 decimal places"
    ):
        parse_fixed("27123.405", 2, field="order.price")


def test_parse_fixed_rejects_a_mantissa_beyond_int64_naming_value_and_field():
    with pytest.raises(FixedPointOverflowError, match="qty: '9223372036854775808' does not fit"):
        parse_fixed("9223372036854775808", 0, field="qty")


def test_parse_fixed_overflow_is_also_an_overflow_error():
    with pytest.raises(OverflowError):
        parse_fixed("92233720368.54775808", 8)


def test_parse_fixed_accepts_the_largest_mantissa_of_either_sign():
    assert parse_fixed("-9.223372036854775807", 18) == -MAX_RAW


def test_parse_fixed_refuses_int64_min_as_a_mantissa():
    with pytest.raises(FixedPointOverflowError):
        parse_fixed("-9223372036854775808", 0)


def test_parse_fixed_rejects_an_exponent_that_overflows():
    with pytest.raises(FixedPointOverflowError, match="'1e30'"):
        parse_fixed("1e30", 0)


@pytest.mark.parametrize("precision", [-1, MAX_PRECISION + 1])
def test_parse_fixed_rejects_a_precision_outside_0_to_18(precision):
    with pytest.raises(PrecisionError, match=f"precision {precision} is outside 0..18"):
        parse_fixed("1", precision)


def test_parse_fixed_rejects_an_unknown_rounding_mode():
    with pytest.raises(FixedPointError, match="rounding 9 is not a RoundingMode"):
        parse_fixed("1.005", 2, 9)


@pytest.mark.parametrize(
    ("text", "rounding", "expected"),
    [
        ("1.005", RoundingMode.HALF_EVEN, 100),
        ("1.015", RoundingMode.HALF_EVEN, 102),
        ("1.00500001", RoundingMode.HALF_EVEN, 101),
        ("-1.006", RoundingMode.HALF_EVEN, -101),
        ("1.001", RoundingMode.UP, 101),
        ("-1.001", RoundingMode.UP, -101),
        ("1.009", RoundingMode.DOWN, 100),
        ("-1.009", RoundingMode.DOWN, -100),
        ("0.000001", RoundingMode.DOWN, 0),
        ("0.000001", RoundingMode.UP, 1),
        ("0.004", RoundingMode.HALF_EVEN, 0),
    ],
)
def test_parse_fixed_rounds_finer_values_as_asked(text, rounding, expected):
    assert parse_fixed(text, 2, rounding) == expected


def test_parse_fixed_rounding_up_past_the_largest_mantissa_overflows():
    with pytest.raises(FixedPointOverflowError):
        parse_fixed("9223372036854775807.1", 0, RoundingMode.UP)


# -- format_fixed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mantissa", "precision", "expected"),
    [
        (2_712_340, 2, "27123.40"),
        (-5, 3, "-0.005"),
        (0, 0, "0"),
        (0, 2, "0.00"),
        (7, 0, "7"),
        (MAX_RAW, 0, "9223372036854775807"),
        (-MAX_RAW, 18, "-9.223372036854775807"),
        (1, 18, "0.000000000000000001"),
    ],
)
def test_format_fixed_writes_exactly_precision_places(mantissa, precision, expected):
    assert format_fixed(mantissa, precision) == expected


def test_format_fixed_rejects_a_precision_outside_0_to_18():
    with pytest.raises(PrecisionError, match="precision 19"):
        format_fixed(1, 19)


# -- Price -------------------------------------------------------------------------------------


def test_price_from_str_infers_precision_from_the_text():
    price = Price.from_str("27123.40")
    assert (price.raw, price.precision) == (2_712_340, 2)


def test_price_from_str_infers_precision_through_an_exponent():
    price = Price.from_str("1e-05")
    assert (price.raw, price.precision) == (1, 5)


def test_price_from_str_with_a_positive_exponent_has_precision_zero():
    price = Price.from_str("2.5E+3")
    assert (price.raw, price.precision) == (2_500, 0)


def test_price_from_str_caps_inferred_precision_at_18_when_the_rest_is_zeros():
    price = Price.from_str("0.1000000000000000000000")
    assert (price.raw, price.precision) == (10**17, 18)


def test_price_from_str_rejects_non_zero_digits_beyond_18_places():
    with pytest.raises(PrecisionError, match="beyond 18 decimal places"):
        Price.from_str("0.0000000000000000001")


def test_price_from_str_at_a_given_precision_rounds_as_asked():
    price = Price.from_str("27123.456", 2, RoundingMode.HALF_EVEN)
    assert (price.raw, price.precision) == (2_712_346, 2)


def test_price_from_str_rejects_a_malformed_string_naming_the_value():
    with pytest.raises(FixedPointError, match=r"Price: expected a decimal string .* got '12a'"):
        Price.from_str("12a")


def test_price_constructor_takes_mantissa_and_precision():
    assert str(Price(-2_712_340, 2)) == "-27123.40"


def test_price_constructor_rejects_a_precision_above_18():
    with pytest.raises(PrecisionError, match=r"Price.precision: precision 19"):
        Price(1, 19)


def test_price_constructor_rejects_a_mantissa_beyond_int64():
    with pytest.raises(FixedPointOverflowError, match=f"Price.raw: {MAX_RAW + 1}"):
        Price(MAX_RAW + 1, 0)


def test_price_constructor_rejects_a_float_mantissa():
    with pytest.raises(FixedPointError, match=r"Price.raw: expected an int, got 1.5 \(float\)"):
        Price(1.5, 0)


def test_price_str_and_repr_are_exact():
    price = Price.from_str("0.00100000")
    assert (str(price), repr(price)) == ("0.00100000", "Price('0.00100000')")


def test_price_as_decimal_is_exact():
    assert Price.from_str("27123.40").as_decimal() == Decimal("27123.40")


def test_price_converts_to_the_nearest_float():
    assert float(Price.from_str("27123.40")) == 27123.4


def test_price_from_decimal_uses_the_decimal_exponent():
    price = Price.from_decimal(Decimal("27123.400"))
    assert (price.raw, price.precision) == (27_123_400, 3)


def test_price_from_decimal_rejects_nan():
    with pytest.raises(FixedPointError, match="got 'NaN'"):
        Price.from_decimal(Decimal("NaN"))


def test_price_from_decimal_rejects_a_float():
    with pytest.raises(FixedPointError, match=r"got 0.1 \(float\)"):
        Price.from_decimal(0.1)


def test_prices_of_different_precision_compare_equal_and_hash_alike():
    a, b = Price.from_str("27123.4"), Price.from_str("27123.4000")
    assert a == b
    assert hash(a) == hash(b)


@pytest.mark.parametrize(
    ("left", "right"),
    [("27123.39", "27123.4"), ("-1", "-0.999"), ("0.000000000000000001", "1"), ("-5", "0")],
)
def test_prices_order_across_precisions(left, right):
    low, high = Price.from_str(left), Price.from_str(right)
    assert low < high
    assert high > low
    assert low <= high
    assert low != high


def test_prices_compare_when_aligning_precision_would_overflow():
    assert Price(MAX_RAW, 0) > Price(1, 18)
    assert Price(-MAX_RAW, 0) < Price(-1, 18)


def test_price_is_not_equal_to_a_quantity_of_the_same_value():
    assert Price.from_str("1.5") != Quantity.from_str("1.5")


def test_price_refuses_ordering_against_a_decimal():
    with pytest.raises(TypeError):
        _ = Price.from_str("1.5") < Decimal("2")


def test_price_addition_aligns_precision():
    total = Price.from_str("0.1") + Price.from_str("0.05")
    assert (total.raw, total.precision) == (15, 2)


def test_price_subtraction_may_go_negative():
    assert str(Price.from_str("1.00") - Price.from_str("1.5")) == "-0.50"


def test_price_addition_overflow_names_the_operands():
    with pytest.raises(FixedPointOverflowError, match=f"{MAX_RAW} \\+ 1 overflows"):
        Price(MAX_RAW, 0) + Price(1, 0)


def test_price_alignment_overflow_raises():
    with pytest.raises(FixedPointOverflowError):
        Price(MAX_RAW, 0) + Price(1, 1)


def test_price_multiplies_by_an_int_on_either_side():
    price = Price.from_str("27123.40")
    assert str(price * 3) == str(3 * price) == "81370.20"


def test_price_multiplication_overflow_raises():
    with pytest.raises(FixedPointOverflowError, match="overflows"):
        Price(MAX_RAW // 2 + 1, 0) * 2


def test_price_refuses_multiplication_by_a_float():
    with pytest.raises(TypeError):
        Price.from_str("1.5") * 2.0


def test_price_negation_and_absolute_value():
    price = Price.from_str("1.50")
    assert (str(-price), str(abs(-price))) == ("-1.50", "1.50")


def test_price_survives_pickling():
    price = Price.from_str("27123.40")
    restored = pickle.loads(pickle.dumps(price))
    assert (restored.raw, restored.precision) == (price.raw, price.precision)


# -- Quantity ----------------------------------------------------------------------------------


def test_quantity_from_str_infers_precision():
    quantity = Quantity.from_str("0.00100000")
    assert (quantity.raw, quantity.precision) == (100_000, 8)


def test_quantity_from_str_rejects_a_negative_value_naming_it():
    with pytest.raises(FixedPointError, match=r"Quantity: '-1.5' is negative"):
        Quantity.from_str("-1.5")


def test_quantity_accepts_negative_zero_as_zero():
    assert Quantity.from_str("-0.0").raw == 0


def test_quantity_constructor_rejects_a_negative_mantissa():
    with pytest.raises(FixedPointError, match=r"Quantity.raw: -1 is negative"):
        Quantity(-1, 0)


def test_quantity_subtraction_below_zero_raises():
    with pytest.raises(FixedPointError, match=r"Quantity: 1.0 - 1.5 is negative"):
        Quantity.from_str("1.0") - Quantity.from_str("1.5")


def test_quantity_subtraction_aligns_precision():
    assert str(Quantity.from_str("1.5") - Quantity.from_str("0.25")) == "1.25"


def test_quantity_addition_aligns_precision():
    assert str(Quantity.from_str("0.001") + Quantity.from_str("2")) == "2.001"


def test_quantity_multiplication_by_a_negative_int_raises():
    with pytest.raises(FixedPointError, match="Quantity factor: -2 is negative"):
        Quantity.from_str("1.5") * -2


def test_quantity_multiplies_by_an_int_on_either_side():
    assert str(2 * Quantity.from_str("0.005")) == "0.010"


def test_quantities_of_different_precision_compare_equal_and_hash_alike():
    a, b = Quantity.from_str("0.001"), Quantity.from_str("0.00100000")
    assert a == b
    assert hash(a) == hash(b)


def test_quantity_orders_across_precisions():
    assert Quantity.from_str("0.0009") < Quantity.from_str("0.001")


def test_quantity_repr_and_decimal_are_exact():
    quantity = Quantity.from_decimal(Decimal("0.00100000"))
    assert (repr(quantity), quantity.as_decimal()) == ("Quantity('0.00100000')", Decimal("0.001"))


def test_quantity_survives_pickling():
    quantity = Quantity.from_str("0.00100000")
    assert str(pickle.loads(pickle.dumps(quantity))) == "0.00100000"
