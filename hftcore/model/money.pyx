"""Exact amounts of a currency (fees, balances, PnL): int64 mantissa, precision and currency.

``Money`` follows the exactness rules of ``fixed_point``: parsed from decimal strings without a
float round trip, checked int64 arithmetic, equal amounts at different precisions compare and hash
alike. Amounts of different currencies never add, subtract or order.
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.enums cimport RoundingMode
from hftcore.model.fixed_point cimport (
    align_raw,
    check_precision,
    checked_add,
    checked_mul,
    checked_sub,
    compare_fixed,
    format_fixed,
    hash_fixed,
    parse_value,
    pow10_c,
    raw_from_int,
    richcmp_result,
)

from decimal import Decimal

from hftcore.errors import FixedPointError, InvalidIdentifierError


@cython.final
@cython.freelist(32)
cdef class Money:
    """An exact amount of one currency: an int64 mantissa and 0..18 decimal places.

    Negative amounts are allowed (fee rebates, losses, debits).

    Parameters
    ----------
    raw : int
        Mantissa, ``|raw| <= 2**63 - 1``: the amount is ``raw * 10**-precision``.
    precision : int
        Decimal places, 0..18.
    currency : str
        Asset code such as ``"USDT"``: non-empty, no whitespace.

    Raises
    ------
    FixedPointError
        If ``raw`` is not an int.
    FixedPointOverflowError
        If ``raw`` is outside the int64 mantissa range.
    PrecisionError
        If ``precision`` is outside 0..18.
    InvalidIdentifierError
        If ``currency`` is empty, not a str or contains whitespace.
    """

    def __init__(self, raw, int precision, currency):
        check_precision(precision, "Money.precision")
        self.raw = raw_from_int(raw, "Money.raw")
        self.precision = precision
        self.currency = _checked_currency(currency)

    @staticmethod
    cdef Money from_raw_c(int64_t raw, int precision, str currency):
        # Trusting factory for Cython callers: all three are already valid.
        cdef Money money = Money.__new__(Money)
        money.raw = raw
        money.precision = precision
        money.currency = currency
        return money

    @staticmethod
    def from_str(str text, currency, precision=None, RoundingMode rounding=RoundingMode.EXACT):
        """Parse a decimal string exactly.

        Parameters
        ----------
        text : str
            E.g. ``"-0.00012500"``; an exponent such as ``"1e-05"`` is accepted.
        currency : str
            Asset code, e.g. ``"USDT"``.
        precision : int, optional
            Decimal places of the result; by default as many as ``text`` spells out, at most 18.
        rounding : RoundingMode
            How digits beyond ``precision`` are handled; ``EXACT`` raises.

        Returns
        -------
        Money

        Raises
        ------
        FixedPointError
            If ``text`` is not a decimal string.
        PrecisionError
            If ``text`` is finer than ``precision`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If the mantissa does not fit in int64.
        InvalidIdentifierError
            If ``currency`` is not a valid asset code.
        """
        return _money_from_value(text, currency, precision, rounding)

    @staticmethod
    def from_decimal(value, currency, precision=None, RoundingMode rounding=RoundingMode.EXACT):
        """Convert a ``Decimal`` (or int) exactly.

        Parameters
        ----------
        value : Decimal or int
            The amount.
        currency : str
            Asset code, e.g. ``"USDT"``.
        precision : int, optional
            Decimal places of the result; by default the exponent of ``value`` (at most 18).
        rounding : RoundingMode
            How digits beyond ``precision`` are handled; ``EXACT`` raises.

        Returns
        -------
        Money

        Raises
        ------
        FixedPointError
            If ``value`` is not finite or not a Decimal, int or str.
        PrecisionError
            If ``value`` is finer than ``precision`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If the mantissa does not fit in int64.
        InvalidIdentifierError
            If ``currency`` is not a valid asset code.
        """
        return _money_from_value(value, currency, precision, rounding)

    cpdef object as_decimal(self):
        """Return the exact ``Decimal`` amount (without the currency).

        Returns
        -------
        Decimal
        """
        return Decimal(format_fixed(self.raw, self.precision))

    cpdef double as_double(self):
        """Return the nearest float (for statistics and display, never for accounting).

        Returns
        -------
        float
        """
        return <double>self.raw / <double>pow10_c(self.precision)

    cdef int _check_same_currency(self, Money other, str operation) except -1:
        if other.currency != self.currency:
            raise FixedPointError(
                f"Money: cannot {operation} {self} and {other}: currencies differ"
            )
        return 0

    def __float__(self):
        return self.as_double()

    def __str__(self):
        return f"{format_fixed(self.raw, self.precision)} {self.currency}"

    def __repr__(self):
        return f"Money('{format_fixed(self.raw, self.precision)}', '{self.currency}')"

    def __hash__(self):
        return hash((hash_fixed(self.raw, self.precision), self.currency))

    def __richcmp__(self, other, int op):
        if not isinstance(other, Money):
            return NotImplemented
        cdef Money right = <Money>other
        if right.currency != self.currency:
            if op == 2:
                return False
            if op == 3:
                return True
            self._check_same_currency(right, "compare")
        return richcmp_result(
            compare_fixed(self.raw, self.precision, right.raw, right.precision), op
        )

    def __add__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        cdef Money right = <Money>other
        self._check_same_currency(right, "add")
        cdef int precision = max(self.precision, right.precision)
        return Money.from_raw_c(
            checked_add(
                align_raw(self.raw, self.precision, precision),
                align_raw(right.raw, right.precision, precision),
            ),
            precision,
            self.currency,
        )

    def __sub__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        cdef Money right = <Money>other
        self._check_same_currency(right, "subtract")
        cdef int precision = max(self.precision, right.precision)
        return Money.from_raw_c(
            checked_sub(
                align_raw(self.raw, self.precision, precision),
                align_raw(right.raw, right.precision, precision),
            ),
            precision,
            self.currency,
        )

    def __mul__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return Money.from_raw_c(
            checked_mul(self.raw, raw_from_int(other, "Money factor")),
            self.precision,
            self.currency,
        )

    def __rmul__(self, other):
        return self.__mul__(other)

    def __neg__(self):
        return Money.from_raw_c(-self.raw, self.precision, self.currency)

    def __abs__(self):
        return Money.from_raw_c(
            -self.raw if self.raw < 0 else self.raw, self.precision, self.currency
        )

    def __reduce__(self):
        return Money, (self.raw, self.precision, self.currency)


cdef str _checked_currency(object currency):
    if not isinstance(currency, str) or not currency or any(ch.isspace() for ch in currency):
        raise InvalidIdentifierError(
            f"Money.currency: expected an asset code such as 'USDT', got {currency!r}"
        )
    return currency


cdef Money _money_from_value(
    object value, object currency, object precision, RoundingMode rounding
):
    cdef int64_t raw
    cdef int places = -1
    cdef str checked_currency = _checked_currency(currency)
    if precision is not None:
        places = precision
        check_precision(places, "Money")
    parse_value(value, places, rounding, "Money", &raw, &places)
    return Money.from_raw_c(raw, places, checked_currency)
