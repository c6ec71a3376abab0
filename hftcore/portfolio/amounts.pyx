"""Exact ledger amounts as int128 mantissas at 10**-18 (``_e18``): C arithmetic, conversions.

The ledger keeps every amount (balances, margins, cost bases, realized PnL, fees) as a signed
``__int128`` count of 10**-18 units of its asset: exact, C-speed addition and multiplication
with overflow checks, up to about 1.7e20 units. The functions here convert between that and
Python ints, ``Decimal`` and doubles, and round a mantissa half-even to the ``Money`` precision
of the cache. An amount finer than 10**-18 or beyond the range does not fit: the caller then
keeps it as a ``Decimal`` instead.
"""

from decimal import MAX_PREC, Context, Decimal

cimport cython
from libc.stdint cimport INT64_MAX, int64_t, uint64_t

cdef extern from "Python.h":
    object _PyLong_FromByteArray(
        const unsigned char* data, size_t size, int little_endian, int is_signed
    )

cdef extern from *:
    """
    /* Set *raw_out to x * 10**precision rounded half-even and return 1 when that is exactly
       what rounding x to 40 significant digits and then to `precision` places gives (the
       Decimal path of AssetBalance.locked) and |result| <= 2**61; return 0 otherwise: not
       finite, too large, or within 1/2048 of a unit of a tie, where the two roundings may
       differ. */
    static int hft_portfolio_scaled_raw(double x, int precision, int64_t *raw_out) {
        const unsigned __int128 limit = (unsigned __int128)1 << 61;
        unsigned __int128 scaled, quotient, remainder, half, distance;
        double magnitude;
        uint64_t mantissa;
        int exponent, shift;
        if (x == 0.0) {
            *raw_out = 0;
            return 1;
        }
        if (!isfinite(x) || precision < 0 || precision > 18) {
            return 0;
        }
        magnitude = fabs(x);
        mantissa = (uint64_t)ldexp(frexp(magnitude, &exponent), 53);  /* exact */
        shift = 53 - exponent;  /* magnitude == mantissa / 2**shift */
        scaled = (unsigned __int128)mantissa * (uint64_t)hft_pow10(precision);  /* < 2**113 */
        if (shift <= 0) {
            if (shift < -10) {
                return 0;
            }
            quotient = scaled << -shift;
        } else {
            if (shift > 120) {
                return 0;
            }
            quotient = scaled >> shift;
            remainder = scaled - (quotient << shift);
            half = (unsigned __int128)1 << (shift - 1);
            distance = remainder > half ? remainder - half : half - remainder;
            if (distance <= (half >> 10)) {
                return 0;
            }
            if (remainder > half) {
                quotient += 1;
            }
        }
        if (quotient > limit) {
            return 0;
        }
        *raw_out = x < 0.0 ? -(int64_t)quotient : (int64_t)quotient;
        return 1;
    }
    """
    bint hft_portfolio_scaled_raw(double x, int precision, int64_t* raw_out) noexcept nogil

_SHIFT_CTX = Context(prec=MAX_PREC)  # scaleb() by it only moves the exponent: never rounds
_E18 = 1_000_000_000_000_000_000  # 10**E18_DIGITS as a Python int (a C power gives a double)
_INT128_MAX = 2**127 - 1
_LOW_MASK = 2**64 - 1
cdef int128_t _RAW_LIMIT = (<int128_t>1) << 61


cdef object e18_to_int(int128_t m):
    # The mantissa as a Python int (one call: its 16 bytes, little-endian, signed).
    if -<int128_t>INT64_MAX <= m <= <int128_t>INT64_MAX:
        return <int64_t>m
    return _PyLong_FromByteArray(<const unsigned char*>&m, sizeof(int128_t), 1, 1)


cdef bint int_to_e18(object value, int128_t* out) except -1:
    # Set out to the Python int value and return True when it fits int128.
    if not -_INT128_MAX <= value <= _INT128_MAX:
        return False
    cdef int64_t high = value >> 64
    cdef uint64_t low = value & _LOW_MASK
    out[0] = ((<int128_t>high) << 64) | <int128_t>low
    return True


@cython.cdivision(True)
cdef object e18_to_decimal(int128_t m):
    # The amount as a Decimal with no trailing zero beyond the units digit.
    cdef int places = E18_DIGITS
    while places > 0 and m % 10 == 0:
        m //= 10
        places -= 1
    if -<int128_t>INT64_MAX <= m <= <int128_t>INT64_MAX:
        return Decimal(<int64_t>m).scaleb(-places, _SHIFT_CTX)
    return Decimal(e18_to_int(m)).scaleb(-places, _SHIFT_CTX)


cdef bint decimal_to_e18(object amount, int128_t* out) except -1:
    # Set out to the mantissa of the Decimal amount and return True when it is a whole number
    # of 10**-18 within int128; False when it does not fit.
    if not amount.is_finite():
        return False
    cdef object scaled = _SHIFT_CTX.scaleb(amount, E18_DIGITS)
    cdef object whole = int(scaled)
    if scaled != whole:
        return False
    return int_to_e18(whole, out)


cdef double e18_to_double(int128_t m) except? -1.0:
    # The amount correctly rounded to a double, as float(Decimal) gives it.
    cdef double value
    if hft_e18_to_double(m, &value):
        return value
    return e18_to_int(m) / _E18  # int / int is correctly rounded


@cython.cdivision(True)
cdef bint e18_to_raw(int128_t m, int precision, int64_t* raw_out) noexcept:
    # Set raw_out to the mantissa at precision (0..18) rounded half-even, as
    # Money.from_decimal(..., HALF_EVEN) gives it, and return True when |it| <= 2**61 (three
    # of them add up inside int64).
    cdef int64_t divisor = hft_pow10(E18_DIGITS - precision)
    cdef int64_t small
    cdef int64_t quotient
    cdef int64_t twice_remainder
    cdef int128_t raw
    if -<int128_t>INT64_MAX <= m <= <int128_t>INT64_MAX:  # int64 division: several times faster
        small = <int64_t>m
        quotient = small // divisor
        twice_remainder = 2 * (small - quotient * divisor)  # C division truncates: same sign
        if twice_remainder > divisor or (twice_remainder == divisor and quotient & 1):
            quotient += 1
        elif twice_remainder < -divisor or (twice_remainder == -divisor and quotient & 1):
            quotient -= 1
        raw = quotient
    else:
        raw = hft_div_half_even(m, divisor)
    if not -_RAW_LIMIT <= raw <= _RAW_LIMIT:
        return False
    raw_out[0] = <int64_t>raw
    return True


cdef bint scaled_float_raw(double x, int precision, int64_t* raw_out) noexcept nogil:
    # hft_portfolio_scaled_raw(): a float reservation at precision, as its Decimal rounding.
    return hft_portfolio_scaled_raw(x, precision, raw_out)
