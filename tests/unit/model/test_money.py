"""Unit tests of ``Money``: exact amounts of one currency."""

import pickle
from decimal import Decimal

import pytest

from hftcore.errors import (
    FixedPointError,
    FixedPointOverflowError,
    InvalidIdentifierError,
    PrecisionError,
)
from hftcore.model.enums import RoundingMode
from hftcore.model.fixed_point import MAX_RAW
from hftcore.model.money import Money


def test_money_from_str_keeps_amount_precision_and_currency():
    fee = Money.from_str("-0.00012500", "BNB")
    assert (fee.raw, fee.precision, fee.currency) == (-12_500, 8, "BNB")


def test_money_str_and_repr_show_the_exact_amount_and_currency():
    fee = Money.from_str("0.0271234", "USDT")
    assert (str(fee), repr(fee)) == ("0.0271234 USDT", "Money('0.0271234', 'USDT')")


def test_money_from_decimal_is_exact():
    assert Money.from_decimal(Decimal("0.0271234000"), "USDT").as_decimal() == Decimal("0.0271234")


def test_money_from_str_at_a_given_precision_rounds_as_asked():
    fee = Money.from_str("0.0271234", "USDT", 4, RoundingMode.UP)
    assert str(fee) == "0.0272 USDT"


def test_money_from_str_rejects_digits_beyond_the_precision():
    with pytest.raises(PrecisionError, match=r"Money: '0.0271234' has non-zero digits beyond 4"):
        Money.from_str("0.0271234", "USDT", 4)


def test_money_from_str_rejects_a_malformed_amount():
    with pytest.raises(FixedPointError, match=r"got '1,5'"):
        Money.from_str("1,5", "USDT")


@pytest.mark.parametrize("currency", ["", "US DT", None, 5])
def test_money_rejects_an_invalid_currency(currency):
    with pytest.raises(InvalidIdentifierError, match=r"Money.currency"):
        Money(1, 2, currency)


def test_money_constructor_rejects_a_mantissa_beyond_int64():
    with pytest.raises(FixedPointOverflowError, match=r"Money.raw"):
        Money(MAX_RAW + 1, 0, "USDT")


def test_money_adds_and_subtracts_within_a_currency_aligning_precision():
    balance = Money.from_str("100.5", "USDT")
    fee = Money.from_str("0.0271234", "USDT")
    assert (str(balance + fee), str(balance - fee)) == ("100.5271234 USDT", "100.4728766 USDT")


def test_money_refuses_to_add_different_currencies_naming_both():
    with pytest.raises(FixedPointError, match=r"cannot add 1.00 USDT and 1.00 BTC"):
        Money(100, 2, "USDT") + Money(100, 2, "BTC")


def test_money_refuses_to_subtract_different_currencies():
    with pytest.raises(FixedPointError, match=r"cannot subtract"):
        Money(100, 2, "USDT") - Money(100, 2, "BTC")


def test_money_of_different_currencies_is_never_equal():
    assert Money(100, 2, "USDT") != Money(100, 2, "USDC")


def test_money_refuses_to_order_different_currencies():
    with pytest.raises(FixedPointError, match=r"cannot compare"):
        _ = Money(100, 2, "USDT") < Money(100, 2, "USDC")


def test_equal_money_at_different_precisions_compares_and_hashes_alike():
    a, b = Money.from_str("1.5", "USDT"), Money.from_str("1.50000000", "USDT")
    assert a == b
    assert hash(a) == hash(b)


def test_money_orders_within_a_currency():
    assert Money.from_str("-0.1", "USDT") < Money.from_str("0.01", "USDT")


def test_money_multiplies_by_an_int_and_negates():
    fee = Money.from_str("0.25", "USDT")
    assert (str(fee * 4), str(3 * fee), str(-fee), str(abs(-fee))) == (
        "1.00 USDT",
        "0.75 USDT",
        "-0.25 USDT",
        "0.25 USDT",
    )


def test_money_addition_overflow_raises():
    with pytest.raises(FixedPointOverflowError):
        Money(MAX_RAW, 0, "USDT") + Money(1, 0, "USDT")


def test_money_survives_pickling():
    fee = Money.from_str("-0.00012500", "BNB")
    restored = pickle.loads(pickle.dumps(fee))
    assert (restored.raw, restored.precision, restored.currency) == (-12_500, 8, "BNB")


def test_money_converts_to_the_nearest_float():
    assert float(Money.from_str("-0.25", "USDT")) == -0.25
