"""Property tests: instrument conversions agree with exact ``Decimal`` arithmetic."""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Context, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from hftcore.errors import PrecisionError
from hftcore.model.enums import RoundingMode
from hftcore.model.fixed_point import MAX_RAW
from tests.builders.instruments import make_instrument

EXACT = Context(prec=200)
DECIMAL_ROUNDING = {
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.UP: ROUND_UP,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
}

# Increments as venues publish them: powers of ten and odd steps such as 0.5, 0.05 or 0.03.
steps = st.builds(
    lambda mantissa, places: Decimal(mantissa).scaleb(-places),
    st.sampled_from([1, 2, 3, 5, 7, 25, 100]),
    st.integers(min_value=0, max_value=12),
)
values = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, allow_infinity=False
).filter(lambda d: d.as_tuple().exponent >= -20)
ticks = st.integers(min_value=-(10**12), max_value=10**12)
lots = st.integers(min_value=0, max_value=10**9)


def mantissa_fits(value: Decimal, precision: int) -> bool:
    """Tell whether ``value`` (rounded up) at ``precision`` places fits the int64 mantissa."""
    return abs(EXACT.scaleb(value, precision)) + 1 <= MAX_RAW


def in_steps(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    """Return ``value / step`` rounded to an integer with the Decimal rounding ``rounding``."""
    return EXACT.divide(value, step).quantize(Decimal(1), rounding=rounding, context=EXACT)


@given(steps, ticks)
def test_ticks_to_price_to_ticks_round_trips(tick_size, price_ticks):
    instrument = make_instrument(tick_size=tick_size)
    assume(abs(price_ticks * instrument.tick_size_raw) <= MAX_RAW)
    price = instrument.ticks_to_price(price_ticks)
    assert price == EXACT.multiply(price_ticks, tick_size)
    assert instrument.price_to_ticks(str(price)) == price_ticks


@given(steps, values)
def test_exact_price_to_ticks_raises_exactly_when_between_ticks(tick_size, value):
    instrument = make_instrument(tick_size=tick_size)
    assume(mantissa_fits(value, instrument.price_precision))
    expected = in_steps(value, instrument.tick_size, ROUND_DOWN)
    try:
        price_ticks = instrument.price_to_ticks(str(value))
    except PrecisionError:
        assert EXACT.multiply(expected, instrument.tick_size) != value
    else:
        assert EXACT.multiply(price_ticks, instrument.tick_size) == value


@given(steps, values, st.sampled_from(sorted(DECIMAL_ROUNDING)))
def test_rounded_price_to_ticks_agrees_with_decimal_division(tick_size, value, rounding):
    instrument = make_instrument(tick_size=tick_size)
    assume(mantissa_fits(value, instrument.price_precision))
    expected = in_steps(value, instrument.tick_size, DECIMAL_ROUNDING[rounding])
    assert instrument.price_to_ticks(str(value), rounding) == expected


@given(steps, values, st.sampled_from(sorted(DECIMAL_ROUNDING)))
def test_rounded_size_to_lots_agrees_with_decimal_division(lot_size, value, rounding):
    instrument = make_instrument(lot_size=lot_size, min_quantity="0")
    assume(mantissa_fits(value, instrument.size_precision))
    expected = in_steps(value, instrument.lot_size, DECIMAL_ROUNDING[rounding])
    assert instrument.size_to_lots(f"{value:e}", rounding) == expected


@given(steps, steps, steps, ticks, lots)
def test_notional_and_fee_are_exact_products(
    tick_size, lot_size, multiplier, price_ticks, size_lots
):
    instrument = make_instrument(
        tick_size=tick_size, lot_size=lot_size, multiplier=multiplier, taker_fee="0.00075"
    )
    assume(abs(price_ticks * instrument.tick_size_raw) <= MAX_RAW)
    assume(size_lots * instrument.lot_size_raw <= MAX_RAW)
    price = EXACT.multiply(price_ticks, tick_size)
    size = EXACT.multiply(size_lots, lot_size)
    notional = EXACT.multiply(EXACT.multiply(price, size), multiplier)
    assert instrument.notional(price_ticks, size_lots) == notional
    assert instrument.fee(price_ticks, size_lots, False) == EXACT.multiply(
        notional, Decimal("0.00075")
    )


@given(steps, steps, st.integers(min_value=1, max_value=10**7), lots, st.integers(-2, 2))
def test_min_notional_ok_agrees_with_the_exact_notional(
    tick_size, lot_size, price_ticks, size_lots, nudge_units
):
    # A minimum at, or a few units of its last place around, the order's own notional.
    notional = EXACT.multiply(
        EXACT.multiply(price_ticks, tick_size), EXACT.multiply(size_lots, lot_size)
    )
    exponent = notional.as_tuple().exponent - 2
    min_notional = EXACT.add(notional, Decimal(nudge_units).scaleb(exponent))
    assume(min_notional >= 0)
    instrument = make_instrument(
        tick_size=tick_size, lot_size=lot_size, min_notional=format(min_notional, "f")
    )
    assert instrument.min_notional_ok(price_ticks, size_lots) == (notional >= min_notional)
