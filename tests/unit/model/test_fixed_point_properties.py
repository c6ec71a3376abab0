"""Property tests: fixed-point parsing, formatting and arithmetic agree with ``Decimal``."""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Context, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

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

# Wide enough that no Decimal operation below is ever rounded.
EXACT = Context(prec=100)
DECIMAL_ROUNDING = {
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.UP: ROUND_UP,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
}

precisions = st.integers(min_value=0, max_value=MAX_PRECISION)
mantissas = st.integers(min_value=-MAX_RAW, max_value=MAX_RAW)
# Decimals with up to 25 places, so some are finer than the target precision.
decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False
).filter(lambda d: d.as_tuple().exponent >= -25)


def scaled(value: Decimal, precision: int) -> Decimal:
    """Return ``value * 10**precision`` exactly."""
    return EXACT.multiply(value, Decimal(10) ** precision)


def fits(value: Decimal) -> bool:
    """Tell whether an integral ``Decimal`` fits the mantissa range."""
    return -MAX_RAW <= value <= MAX_RAW


@given(mantissas, precisions)
def test_format_then_parse_returns_the_mantissa(mantissa, precision):
    assert parse_fixed(format_fixed(mantissa, precision), precision) == mantissa


@given(mantissas, precisions)
def test_format_fixed_matches_decimal_formatting(mantissa, precision):
    expected = format(EXACT.scaleb(Decimal(mantissa), -precision), "f")
    assert format_fixed(mantissa, precision) == expected


@given(decimals, precisions)
def test_decimal_to_mantissa_to_decimal_is_exact_when_representable(value, precision):
    assume(value == value.quantize(Decimal(1).scaleb(-precision), context=EXACT))
    assume(fits(scaled(value, precision)))
    mantissa = parse_fixed(str(value), precision)
    assert mantissa == int(scaled(value, precision))
    assert Decimal(format_fixed(mantissa, precision)) == value


@given(decimals, precisions)
def test_exact_parsing_raises_exactly_when_the_value_is_finer_than_the_precision(value, precision):
    quantized = value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_DOWN, context=EXACT)
    assume(fits(scaled(quantized, precision)))
    try:
        parse_fixed(str(value), precision)
    except PrecisionError:
        assert quantized != value
    else:
        assert quantized == value


@given(decimals, precisions, st.sampled_from(sorted(DECIMAL_ROUNDING)))
def test_rounded_parsing_agrees_with_decimal_quantize(value, precision, rounding):
    quantum = Decimal(1).scaleb(-precision)
    expected = scaled(
        value.quantize(quantum, rounding=DECIMAL_ROUNDING[rounding], context=EXACT), precision
    )
    assume(fits(expected))
    assert parse_fixed(str(value), precision, rounding) == int(expected)


@given(decimals, precisions)
def test_scientific_and_plain_notation_parse_alike(value, precision):
    rounding = RoundingMode.HALF_EVEN
    assume(fits(scaled(value, precision) + 1))
    assert parse_fixed(f"{value:e}", precision, rounding) == parse_fixed(
        f"{value:f}", precision, rounding
    )


# Small mantissas keep most sums in range; full-range ones exercise the overflow checks.
small_mantissas = st.integers(min_value=-(10**6), max_value=10**6)
prices = st.builds(Price, st.one_of(small_mantissas, mantissas), precisions)


def aligned_raws(a, b) -> tuple[int, int]:
    """Return both mantissas at the larger of the two precisions, as Python ints."""
    precision = max(a.precision, b.precision)
    return a.raw * 10 ** (precision - a.precision), b.raw * 10 ** (precision - b.precision)


@given(prices)
def test_price_str_round_trips_with_its_precision(price):
    parsed = Price.from_str(str(price))
    assert (parsed.raw, parsed.precision) == (price.raw, price.precision)


@given(prices, prices)
def test_price_addition_is_exact_or_overflows(a, b):
    left, right = aligned_raws(a, b)
    is_representable = fits(left) and fits(right) and fits(left + right)
    try:
        total = a + b
    except FixedPointOverflowError:
        assert not is_representable
    else:
        assert is_representable
        assert total.as_decimal() == EXACT.add(a.as_decimal(), b.as_decimal())


@given(prices, prices)
def test_price_subtraction_is_exact_or_overflows(a, b):
    left, right = aligned_raws(a, b)
    is_representable = fits(left) and fits(right) and fits(left - right)
    try:
        difference = a - b
    except FixedPointOverflowError:
        assert not is_representable
    else:
        assert is_representable
        assert difference.as_decimal() == EXACT.subtract(a.as_decimal(), b.as_decimal())


@given(prices, st.integers(min_value=-(2**63), max_value=2**63))
def test_price_times_int_is_exact_or_overflows(price, factor):
    try:
        product = price * factor
    except FixedPointOverflowError:
        assert not (fits(factor) and fits(price.raw * factor))
    else:
        assert product.as_decimal() == EXACT.multiply(price.as_decimal(), factor)


@given(prices, prices)
def test_price_comparisons_agree_with_decimal(a, b):
    x, y = a.as_decimal(), b.as_decimal()
    assert (a < b, a <= b, a == b, a != b, a > b, a >= b) == (
        x < y,
        x <= y,
        x == y,
        x != y,
        x > y,
        x >= y,
    )


@given(st.builds(Price, small_mantissas, precisions), precisions)
def test_equal_prices_hash_alike_at_any_precision(price, extra_places):
    precision = min(price.precision + extra_places, MAX_PRECISION)
    assume(fits(price.raw * 10 ** (precision - price.precision)))
    same = Price(price.raw * 10 ** (precision - price.precision), precision)
    assert same == price
    assert hash(same) == hash(price)


quantities = st.builds(
    Quantity,
    st.one_of(
        st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=MAX_RAW)
    ),
    precisions,
)


@given(quantities, quantities)
def test_quantity_subtraction_is_exact_or_raises(a, b):
    left, right = aligned_raws(a, b)
    try:
        difference = a - b
    except FixedPointOverflowError:
        assert not (fits(left) and fits(right))
    except FixedPointError:
        assert left < right
    else:
        assert difference.as_decimal() == EXACT.subtract(a.as_decimal(), b.as_decimal())
