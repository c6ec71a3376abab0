"""Exact decimal text -> ticks conversion (backtest/importers/ticks.pyx)."""

from decimal import Decimal

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from backtest.importers.ticks import max_decimals, strings_to_units, unit_scale


def convert(text: str, unit: str, **options):
    units, bad, reason = strings_to_units(pa.array([text]), Decimal(unit), **options)
    return (int(units[0]) if bad < 0 else None), reason


def test_price_on_the_tick_converts_to_exact_ticks():
    assert convert("6421.5", "0.5") == (12843, "")


def test_price_between_ticks_is_reported_not_rounded():
    assert convert("6421.55", "0.1") == (None, "finer than the unit")


def test_trailing_zeros_beyond_the_tick_are_accepted():
    assert convert("1.5000000000", "0.1") == (15, "")


def test_exponent_notation_converts_exactly():
    assert convert("1e-07", "0.00000001") == (10, "")


def test_empty_value_is_reported_unless_empty_is_zero():
    assert convert("", "1") == (None, "empty value")
    assert convert("", "1", empty_is_zero=True) == (0, "")


def test_text_that_is_not_a_number_is_reported():
    assert convert("12a", "1") == (None, "not a decimal number")


def test_negative_value_is_reported_unless_allowed():
    assert convert("-2.5", "0.5") == (None, "negative value")
    assert convert("-2.5", "0.5", allow_negative=True) == (-5, "")


def test_value_past_int64_is_reported_as_overflow():
    assert convert("9223372036854775808", "1") == (None, "out of the int64 range")
    assert convert("9223372036854775807", "1") == (9223372036854775807, "")


def test_first_bad_index_is_returned_with_the_converted_prefix():
    units, bad, reason = strings_to_units(pa.array(["1", "2", "x", "4"]), Decimal(1))
    assert (bad, reason, units[:2].tolist()) == (2, "not a decimal number", [1, 2])


def test_sliced_arrays_are_read_from_their_offset():
    values = pa.array(["1.1", "2.2", "3.3"]).slice(1)
    units, bad, _ = strings_to_units(values, Decimal("0.1"))
    assert (bad, units.tolist()) == (-1, [22, 33])


def test_unit_scale_splits_a_unit_into_scale_and_mantissa():
    assert [unit_scale(u) for u in ("0.5", "0.01", "25", "0.250")] == [
        (1, 5),
        (2, 1),
        (0, 25),
        (2, 25),
    ]


def test_max_decimals_counts_significant_decimals_only():
    values = pa.array(["0.50", "3", "1e-07", "", "12.340"])
    assert max_decimals(values)[:2] == (7, -1)


@given(
    ticks=st.integers(min_value=-(10**15), max_value=10**15),
    tick_exponent=st.integers(min_value=-8, max_value=2),
    tick_digit=st.sampled_from([1, 2, 5, 25]),
    trailing_zeros=st.integers(min_value=0, max_value=3),
)
def test_decimal_text_of_a_multiple_of_the_tick_converts_back_to_its_ticks(
    ticks, tick_exponent, tick_digit, trailing_zeros
):
    tick = Decimal(tick_digit).scaleb(tick_exponent)
    text = format(Decimal(ticks) * tick, "f")
    if "." in text:
        text += "0" * trailing_zeros
    assert convert(text, str(tick), allow_negative=True) == (ticks, "")


@given(
    ticks=st.integers(min_value=1, max_value=10**12),
    offset=st.integers(min_value=1, max_value=9),
)
def test_value_off_the_tick_grid_is_never_accepted(ticks, offset):
    tick = Decimal("0.01")
    text = format(Decimal(ticks) * tick + Decimal(offset) / 1000, "f")
    assert convert(text, str(tick)) == (None, "finer than the unit")
