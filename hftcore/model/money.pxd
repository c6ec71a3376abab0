"""Exact amounts of a currency (fees, balances, PnL): int64 mantissa, precision and currency."""

from libc.stdint cimport int64_t, uint8_t

from hftcore.model.enums cimport RoundingMode


cdef class Money:
    cdef readonly int64_t raw
    """Mantissa: the amount is ``raw * 10**-precision`` units of ``currency``."""
    cdef readonly uint8_t precision
    """Decimal places of the amount, 0..18."""
    cdef readonly str currency
    """Asset code, e.g. ``USDT`` or ``BNB``."""

    @staticmethod
    cdef Money from_raw_c(int64_t raw, int precision, str currency)
    cpdef object as_decimal(self)
    cpdef double as_double(self)
    cdef int _check_same_currency(self, Money other, str operation) except -1


cdef str _checked_currency(object currency)
cdef Money _money_from_value(
    object value, object currency, object precision, RoundingMode rounding
)
