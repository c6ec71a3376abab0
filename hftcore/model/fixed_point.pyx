"""Exact fixed-point numbers: decimal parsing and formatting, checked int64 math, Price, Quantity.

A fixed-point value is an int64 mantissa ``raw`` with a ``precision`` (decimal places):
``value = raw * 10**-precision``. ``MAX_PRECISION`` is 18 and ``|raw| <= MAX_RAW`` (2**63 - 1);
``-2**63`` is never a mantissa (it is the ``NO_PRICE_TICKS`` sentinel).

Decimal strings are parsed by walking their ASCII characters in C: no ``Decimal``, no float.
Accepted: an optional sign, digits with an optional point (``"27123.40"``, ``".5"``, ``"5."``),
leading and trailing zeros, and an optional exponent (``"1e-05"``, ``"2.5E+3"``). A value finer
than the target precision (or step) raises ``PrecisionError`` unless a ``RoundingMode`` other
than ``EXACT`` is given.
"""

cimport cython
from cpython.unicode cimport PyUnicode_1BYTE_DATA, PyUnicode_FromStringAndSize, PyUnicode_GET_LENGTH
from libc.stdint cimport INT64_MAX, INT64_MIN, int64_t, uint64_t

from hftcore.model.enums cimport RoundingMode

from decimal import Decimal

from hftcore.errors import FixedPointError, FixedPointOverflowError, PrecisionError

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object text)

cdef extern from *:
    bint __builtin_add_overflow(int64_t a, int64_t b, int64_t* result) noexcept nogil
    bint __builtin_sub_overflow(int64_t a, int64_t b, int64_t* result) noexcept nogil
    bint __builtin_mul_overflow(int64_t a, int64_t b, int64_t* result) noexcept nogil

MAX_PRECISION = FIXED_MAX_PRECISION
"""Largest supported number of decimal places."""
MAX_RAW = INT64_MAX
"""Largest mantissa magnitude; the smallest mantissa is ``-MAX_RAW``."""

# Exponents beyond this are clamped while scanning: any non-zero digit then overflows anyway.
cdef int64_t _EXPONENT_CAP = 1000000000
cdef int64_t[19] _POW10 = [
    1,
    10,
    100,
    1000,
    10000,
    100000,
    1000000,
    10000000,
    100000000,
    1000000000,
    10000000000,
    100000000000,
    1000000000000,
    10000000000000,
    100000000000000,
    1000000000000000,
    10000000000000000,
    100000000000000000,
    1000000000000000000,
]


# -- PARSING -----------------------------------------------------------------------------------

cdef int scan_decimal(const char* data, Py_ssize_t length, DecimalText* text) noexcept nogil:
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t exponent_start
    cdef bint is_exponent_negative = False
    text.is_negative = False
    text.exponent = 0
    if i < length and (data[i] == c'-' or data[i] == c'+'):
        text.is_negative = data[i] == c'-'
        i += 1
    text.int_start = i
    while i < length and c'0' <= data[i] <= c'9':
        i += 1
    text.int_end = i
    text.frac_start = i
    text.frac_end = i
    if i < length and data[i] == c'.':
        i += 1
        text.frac_start = i
        while i < length and c'0' <= data[i] <= c'9':
            i += 1
        text.frac_end = i
    if text.int_end == text.int_start and text.frac_end == text.frac_start:
        return PARSE_MALFORMED
    if i < length and (data[i] == c'e' or data[i] == c'E'):
        i += 1
        if i < length and (data[i] == c'-' or data[i] == c'+'):
            is_exponent_negative = data[i] == c'-'
            i += 1
        exponent_start = i
        while i < length and c'0' <= data[i] <= c'9':
            if text.exponent < _EXPONENT_CAP:
                text.exponent = text.exponent * 10 + (data[i] - c'0')
            i += 1
        if i == exponent_start:
            return PARSE_MALFORMED
        if is_exponent_negative:
            text.exponent = -text.exponent
    if i != length:
        return PARSE_MALFORMED
    return PARSE_OK


cdef int64_t decimal_scale(const DecimalText* text) noexcept nogil:
    # Decimal places the text spells out: "27123.40" -> 2, "1e-05" -> 5, "2.5E+3" -> -2.
    return (text.frac_end - text.frac_start) - text.exponent


@cython.cdivision(True)
cdef int decimal_to_steps(
    const char* data,
    const DecimalText* text,
    int precision,
    int64_t step_raw,
    RoundingMode rounding,
    int64_t* out,
) noexcept nogil:
    # Write value / (step_raw * 10**-precision), rounded as asked, to out[0].
    cdef Py_ssize_t int_length = text.int_end - text.int_start
    cdef Py_ssize_t digit_count = int_length + (text.frac_end - text.frac_start)
    # Digits 0..keep-1 (from the left) weigh at least 10**-precision; digit `keep` is the
    # first dropped one, the rest only matter as "sticky" non-zero digits.
    cdef int64_t keep = int_length + text.exponent + precision
    cdef uint64_t magnitude = 0
    cdef uint64_t quotient
    cdef uint64_t twice_remainder
    cdef int64_t extra_zeros
    cdef Py_ssize_t k
    cdef int digit
    cdef int round_digit = 0
    cdef int half_comparison
    cdef bint is_sticky = False
    if precision < 0 or precision > FIXED_MAX_PRECISION or step_raw <= 0:
        return PARSE_BAD_PRECISION
    if <int>rounding < <int>RoundingMode.EXACT or <int>rounding > <int>RoundingMode.HALF_EVEN:
        return PARSE_BAD_ROUNDING
    for k in range(digit_count):
        if k < int_length:
            digit = data[text.int_start + k] - c'0'
        else:
            digit = data[text.frac_start + k - int_length] - c'0'
        if k < keep:
            if magnitude > (<uint64_t>INT64_MAX - digit) // 10:
                return PARSE_OVERFLOW
            magnitude = magnitude * 10 + digit
        elif k == keep:
            round_digit = digit
        elif digit != 0:
            is_sticky = True
    if magnitude != 0:
        extra_zeros = keep - digit_count
        while extra_zeros > 0:
            if magnitude > <uint64_t>INT64_MAX // 10:
                return PARSE_OVERFLOW
            magnitude *= 10
            extra_zeros -= 1
    quotient = magnitude // <uint64_t>step_raw
    twice_remainder = 2 * (magnitude % <uint64_t>step_raw)
    if twice_remainder != 0 or round_digit != 0 or is_sticky:
        if rounding == RoundingMode.EXACT:
            return PARSE_INEXACT
        if rounding == RoundingMode.UP:
            quotient += 1
        elif rounding == RoundingMode.HALF_EVEN:
            # Compare the dropped part (remainder + dropped digits f, 0 <= f < 1) with half a
            # step: 2 * remainder + 2f against step_raw, all in units of 10**-precision.
            if round_digit == 0 and not is_sticky:
                half_comparison = (twice_remainder > <uint64_t>step_raw) - (
                    twice_remainder < <uint64_t>step_raw
                )
            elif round_digit < 5:
                half_comparison = -1 if twice_remainder < <uint64_t>step_raw else 1
            elif round_digit == 5 and not is_sticky:
                half_comparison = (twice_remainder + 1 > <uint64_t>step_raw) - (
                    twice_remainder + 1 < <uint64_t>step_raw
                )
            else:
                half_comparison = -1 if twice_remainder + 1 < <uint64_t>step_raw else 1
            if half_comparison > 0 or (half_comparison == 0 and quotient & 1):
                quotient += 1
        if quotient > <uint64_t>INT64_MAX:
            return PARSE_OVERFLOW
    out[0] = -<int64_t>quotient if text.is_negative else <int64_t>quotient
    return PARSE_OK


cdef int parse_decimal_c(
    const char* data,
    Py_ssize_t length,
    int precision,
    int64_t step_raw,
    RoundingMode rounding,
    int64_t* out,
) noexcept nogil:
    cdef DecimalText text
    cdef int status = scan_decimal(data, length, &text)
    if status != PARSE_OK:
        return status
    return decimal_to_steps(data, &text, precision, step_raw, rounding, out)


cdef int raise_parse_error(
    int status,
    object text,
    int precision,
    int64_t step_raw,
    int rounding,
    str field,
    str step_name,
) except -1:
    if status == PARSE_MALFORMED:
        raise FixedPointError(
            f"{field}: expected a decimal string such as '27123.40', got {text!r}"
        )
    if status == PARSE_OVERFLOW:
        raise FixedPointOverflowError(
            f"{field}: {text!r} does not fit an int64 mantissa at {precision} decimal places "
            f"(|raw| <= {INT64_MAX})"
        )
    if status == PARSE_INEXACT and step_name is None:
        raise PrecisionError(
            f"{field}: {text!r} has non-zero digits beyond {precision} decimal places; "
            "pass a RoundingMode to round it"
        )
    if status == PARSE_INEXACT:
        raise PrecisionError(
            f"{field}: {text!r} is not a multiple of the {step_name} "
            f"{format_fixed(step_raw, precision)}; pass a RoundingMode to round it"
        )
    if status == PARSE_BAD_PRECISION and step_raw <= 0:
        raise FixedPointError(f"{field}: step mantissa {step_raw} is not positive")
    if status == PARSE_BAD_PRECISION:
        check_precision(precision, field)
    raise FixedPointError(
        f"{field}: rounding {rounding} is not a RoundingMode (EXACT, DOWN, UP, HALF_EVEN)"
    )


cdef int parse_str_status(
    str text, int precision, int64_t step_raw, RoundingMode rounding, int64_t* out
) noexcept:
    if text is None or not PyUnicode_IS_ASCII(text):
        return PARSE_MALFORMED
    return parse_decimal_c(
        <const char*>PyUnicode_1BYTE_DATA(text),
        PyUnicode_GET_LENGTH(text),
        precision,
        step_raw,
        rounding,
        out,
    )


cdef int64_t parse_str_c(
    str text, int precision, int64_t step_raw, RoundingMode rounding, str field, str step_name
) except? -1:
    cdef int64_t out = 0
    cdef int status = parse_str_status(text, precision, step_raw, rounding, &out)
    if status != PARSE_OK:
        raise_parse_error(status, text, precision, step_raw, rounding, field, step_name)
    return out


cdef int parse_value(
    object value,
    int precision,
    RoundingMode rounding,
    str field,
    int64_t* raw_out,
    int* precision_out,
) except -1:
    # Parse a str, Decimal or int; precision -1 means "as many places as the value spells out".
    cdef str text
    cdef DecimalText parts
    cdef int status
    if isinstance(value, str):
        text = value
    elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        text = str(value)
    else:
        raise FixedPointError(
            f"{field}: expected a decimal string, Decimal or int, got {value!r} "
            f"({type(value).__name__})"
        )
    if precision >= 0:
        raw_out[0] = parse_str_c(text, precision, 1, rounding, field, None)
        precision_out[0] = precision
        return 0
    if not PyUnicode_IS_ASCII(text):
        status = PARSE_MALFORMED
    else:
        status = scan_decimal(
            <const char*>PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text), &parts
        )
    if status == PARSE_OK:
        precision = <int>min(max(decimal_scale(&parts), 0), FIXED_MAX_PRECISION)
        status = decimal_to_steps(
            <const char*>PyUnicode_1BYTE_DATA(text), &parts, precision, 1, rounding, raw_out
        )
    if status != PARSE_OK:
        raise_parse_error(status, text, precision, 1, rounding, field, None)
    precision_out[0] = precision
    return 0


cpdef int64_t parse_fixed(
    str text, int precision, RoundingMode rounding=RoundingMode.EXACT, str field="value"
) except? -1:
    """Parse a decimal string into its int64 mantissa at ``precision`` decimal places.

    Parameters
    ----------
    text : str
        A decimal such as ``"27123.40"``, ``"-0.5"``, ``"0.00100000"`` or ``"1e-05"``.
    precision : int
        Decimal places of the mantissa, 0..18.
    rounding : RoundingMode
        What to do with non-zero digits beyond ``precision``: ``EXACT`` raises, ``DOWN``
        rounds toward zero, ``UP`` away from zero, ``HALF_EVEN`` to nearest, ties to even.
    field : str
        What the value is, named in error messages (e.g. ``"order.price"``).

    Returns
    -------
    int
        The mantissa: ``text == mantissa * 10**-precision``.

    Raises
    ------
    FixedPointError
        If ``text`` is not a decimal string or ``rounding`` is not a RoundingMode.
    PrecisionError
        If ``text`` has non-zero digits beyond ``precision`` and ``rounding`` is ``EXACT``, or
        ``precision`` is outside 0..18.
    FixedPointOverflowError
        If the mantissa does not fit in int64.
    """
    return parse_str_c(text, precision, 1, rounding, field, None)


# -- FORMATTING --------------------------------------------------------------------------------

@cython.cdivision(True)
cpdef str format_fixed(int64_t mantissa, int precision):
    """Format a mantissa as an exact decimal string with ``precision`` decimal places.

    Parameters
    ----------
    mantissa : int
        The int64 mantissa.
    precision : int
        Decimal places, 0..18.

    Returns
    -------
    str
        E.g. ``format_fixed(2712340, 2) == "27123.40"``, ``format_fixed(-5, 3) == "-0.005"``.

    Raises
    ------
    PrecisionError
        If ``precision`` is outside 0..18.
    """
    cdef char[48] buffer
    cdef Py_ssize_t position = 48
    cdef uint64_t magnitude
    cdef int _digit
    check_precision(precision, "precision")
    magnitude = <uint64_t>mantissa if mantissa >= 0 else <uint64_t>0 - <uint64_t>mantissa
    for _digit in range(precision):
        position -= 1
        buffer[position] = <char>(c'0' + magnitude % 10)
        magnitude //= 10
    if precision > 0:
        position -= 1
        buffer[position] = c'.'
    position -= 1
    buffer[position] = <char>(c'0' + magnitude % 10)
    magnitude //= 10
    while magnitude != 0:
        position -= 1
        buffer[position] = <char>(c'0' + magnitude % 10)
        magnitude //= 10
    if mantissa < 0:
        position -= 1
        buffer[position] = c'-'
    return PyUnicode_FromStringAndSize(&buffer[position], 48 - position)


# -- CHECKED ARITHMETIC ------------------------------------------------------------------------

cdef int64_t pow10_c(int exponent) noexcept nogil:
    # 10**exponent for 0 <= exponent <= 18 (callers validate the precision first).
    return _POW10[exponent]


cdef int64_t checked_add(int64_t a, int64_t b) except? -1:
    cdef int64_t result
    if __builtin_add_overflow(a, b, &result) or result == INT64_MIN:
        raise FixedPointOverflowError(
            f"{a} + {b} overflows the int64 mantissa (|raw| <= {INT64_MAX})"
        )
    return result


cdef int64_t checked_sub(int64_t a, int64_t b) except? -1:
    cdef int64_t result
    if __builtin_sub_overflow(a, b, &result) or result == INT64_MIN:
        raise FixedPointOverflowError(
            f"{a} - {b} overflows the int64 mantissa (|raw| <= {INT64_MAX})"
        )
    return result


cdef int64_t checked_mul(int64_t a, int64_t b) except? -1:
    cdef int64_t result
    if __builtin_mul_overflow(a, b, &result) or result == INT64_MIN:
        raise FixedPointOverflowError(
            f"{a} * {b} overflows the int64 mantissa (|raw| <= {INT64_MAX})"
        )
    return result


cdef int64_t align_raw(int64_t raw, int from_precision, int to_precision) except? -1:
    # Rescale a mantissa to more decimal places (to_precision >= from_precision).
    if to_precision == from_precision:
        return raw
    return checked_mul(raw, pow10_c(to_precision - from_precision))


cdef int compare_fixed(
    int64_t a_raw, int a_precision, int64_t b_raw, int b_precision
) noexcept nogil:
    # -1, 0 or 1 as a <, == or > b. A mantissa that overflows when aligned is larger in
    # magnitude than any int64, so its sign decides.
    cdef int64_t scaled
    if a_precision < b_precision:
        if __builtin_mul_overflow(a_raw, pow10_c(b_precision - a_precision), &scaled):
            return 1 if a_raw > 0 else -1
        a_raw = scaled
    elif b_precision < a_precision:
        if __builtin_mul_overflow(b_raw, pow10_c(a_precision - b_precision), &scaled):
            return -1 if b_raw > 0 else 1
        b_raw = scaled
    return (a_raw > b_raw) - (a_raw < b_raw)


@cython.cdivision(True)
cdef Py_hash_t hash_fixed(int64_t raw, int precision) noexcept:
    # Equal values at different precisions ("1.0", "1.00") hash alike: strip trailing zeros.
    cdef Py_hash_t result
    while precision > 0 and raw % 10 == 0:
        raw //= 10
        precision -= 1
    result = <Py_hash_t>(<uint64_t>raw * <uint64_t>1000003 ^ <uint64_t>precision)
    return -2 if result == -1 else result


cdef int check_precision(int precision, str field) except -1:
    if precision < 0 or precision > FIXED_MAX_PRECISION:
        raise PrecisionError(
            f"{field}: precision {precision} is outside 0..{FIXED_MAX_PRECISION}"
        )
    return 0


cdef int64_t raw_from_int(object raw, str field) except? -1:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise FixedPointError(f"{field}: expected an int, got {raw!r} ({type(raw).__name__})")
    if not -INT64_MAX <= raw <= INT64_MAX:
        raise FixedPointOverflowError(
            f"{field}: {raw} is outside the int64 mantissa range (|raw| <= {INT64_MAX})"
        )
    return raw


cdef object richcmp_result(int comparison, int op):
    # Map compare_fixed's -1/0/1 to the answer of the rich comparison `op` (Py_LT..Py_GE).
    if op == 0:
        return comparison < 0
    if op == 1:
        return comparison <= 0
    if op == 2:
        return comparison == 0
    if op == 3:
        return comparison != 0
    if op == 4:
        return comparison > 0
    return comparison >= 0


# -- VALUE TYPES -------------------------------------------------------------------------------

@cython.final
@cython.freelist(64)
cdef class Price:
    """An exact price: an int64 mantissa and 0..18 decimal places; may be negative.

    Prices of different precisions add, subtract, compare and hash consistently:
    ``Price.from_str("1.0") == Price.from_str("1.00")``.

    Parameters
    ----------
    raw : int
        Mantissa, ``|raw| <= 2**63 - 1``: the price is ``raw * 10**-precision``.
    precision : int
        Decimal places, 0..18.

    Raises
    ------
    FixedPointError
        If ``raw`` is not an int.
    FixedPointOverflowError
        If ``raw`` is outside the int64 mantissa range.
    PrecisionError
        If ``precision`` is outside 0..18.
    """

    def __init__(self, raw, int precision):
        check_precision(precision, "Price.precision")
        self.raw = raw_from_int(raw, "Price.raw")
        self.precision = precision

    @staticmethod
    cdef Price from_raw_c(int64_t raw, int precision):
        # Trusting factory for Cython callers: raw and precision are already valid.
        cdef Price price = Price.__new__(Price)
        price.raw = raw
        price.precision = precision
        return price

    @staticmethod
    def from_str(str text, precision=None, RoundingMode rounding=RoundingMode.EXACT):
        """Parse a decimal string exactly.

        Parameters
        ----------
        text : str
            E.g. ``"27123.40"``; an exponent such as ``"1e-05"`` is accepted.
        precision : int, optional
            Decimal places of the result; by default as many as ``text`` spells out
            (``"27123.40"`` -> 2, ``"1e-05"`` -> 5), at most 18.
        rounding : RoundingMode
            How digits beyond ``precision`` are handled; ``EXACT`` raises.

        Returns
        -------
        Price

        Raises
        ------
        FixedPointError
            If ``text`` is not a decimal string.
        PrecisionError
            If ``text`` is finer than ``precision`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If the mantissa does not fit in int64.
        """
        return _price_from_value(text, precision, rounding)

    @staticmethod
    def from_decimal(value, precision=None, RoundingMode rounding=RoundingMode.EXACT):
        """Convert a ``Decimal`` (or int) exactly.

        Parameters
        ----------
        value : Decimal or int
            The price.
        precision : int, optional
            Decimal places of the result; by default the exponent of ``value`` (at most 18).
        rounding : RoundingMode
            How digits beyond ``precision`` are handled; ``EXACT`` raises.

        Returns
        -------
        Price

        Raises
        ------
        FixedPointError
            If ``value`` is not finite or not a Decimal, int or str.
        PrecisionError
            If ``value`` is finer than ``precision`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If the mantissa does not fit in int64.
        """
        return _price_from_value(value, precision, rounding)

    cpdef object as_decimal(self):
        """Return the exact ``Decimal`` value.

        Returns
        -------
        Decimal
        """
        return Decimal(format_fixed(self.raw, self.precision))

    cpdef double as_double(self):
        """Return the nearest float (for statistics and display, never for keys).

        Returns
        -------
        float
        """
        return <double>self.raw / <double>pow10_c(self.precision)

    def __float__(self):
        return self.as_double()

    def __str__(self):
        return format_fixed(self.raw, self.precision)

    def __repr__(self):
        return f"Price('{format_fixed(self.raw, self.precision)}')"

    def __hash__(self):
        return hash_fixed(self.raw, self.precision)

    def __richcmp__(self, other, int op):
        if not isinstance(other, Price):
            return NotImplemented
        return richcmp_result(
            compare_fixed(self.raw, self.precision, (<Price>other).raw, (<Price>other).precision),
            op,
        )

    def __add__(self, other):
        if not isinstance(other, Price):
            return NotImplemented
        cdef Price right = <Price>other
        cdef int precision = max(self.precision, right.precision)
        return Price.from_raw_c(
            checked_add(
                align_raw(self.raw, self.precision, precision),
                align_raw(right.raw, right.precision, precision),
            ),
            precision,
        )

    def __sub__(self, other):
        if not isinstance(other, Price):
            return NotImplemented
        cdef Price right = <Price>other
        cdef int precision = max(self.precision, right.precision)
        return Price.from_raw_c(
            checked_sub(
                align_raw(self.raw, self.precision, precision),
                align_raw(right.raw, right.precision, precision),
            ),
            precision,
        )

    def __mul__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return Price.from_raw_c(
            checked_mul(self.raw, raw_from_int(other, "Price factor")), self.precision
        )

    def __rmul__(self, other):
        return self.__mul__(other)

    def __neg__(self):
        return Price.from_raw_c(-self.raw, self.precision)

    def __abs__(self):
        return Price.from_raw_c(-self.raw if self.raw < 0 else self.raw, self.precision)

    def __reduce__(self):
        return Price, (self.raw, self.precision)


cdef Price _price_from_value(object value, object precision, RoundingMode rounding):
    cdef int64_t raw
    cdef int places = -1
    if precision is not None:
        places = precision
        check_precision(places, "Price")
    parse_value(value, places, rounding, "Price", &raw, &places)
    return Price.from_raw_c(raw, places)


@cython.final
@cython.freelist(64)
cdef class Quantity:
    """An exact, non-negative quantity: an int64 mantissa and 0..18 decimal places.

    Quantities of different precisions add, subtract, compare and hash consistently.

    Parameters
    ----------
    raw : int
        Mantissa, ``0 <= raw <= 2**63 - 1``: the quantity is ``raw * 10**-precision``.
    precision : int
        Decimal places, 0..18.

    Raises
    ------
    FixedPointError
        If ``raw`` is not an int or is negative.
    FixedPointOverflowError
        If ``raw`` is outside the int64 mantissa range.
    PrecisionError
        If ``precision`` is outside 0..18.
    """

    def __init__(self, raw, int precision):
        check_precision(precision, "Quantity.precision")
        self.raw = raw_from_int(raw, "Quantity.raw")
        if self.raw < 0:
            raise FixedPointError(f"Quantity.raw: {raw} is negative; a Quantity is never negative")
        self.precision = precision

    @staticmethod
    cdef Quantity from_raw_c(int64_t raw, int precision):
        # Trusting factory for Cython callers: raw >= 0 and precision are already valid.
        cdef Quantity quantity = Quantity.__new__(Quantity)
        quantity.raw = raw
        quantity.precision = precision
        return quantity

    @staticmethod
    def from_str(str text, precision=None, RoundingMode rounding=RoundingMode.EXACT):
        """Parse a non-negative decimal string exactly.

        Parameters
        ----------
        text : str
            E.g. ``"0.00100000"``; an exponent such as ``"1e-05"`` is accepted.
        precision : int, optional
            Decimal places of the result; by default as many as ``text`` spells out, at most 18.
        rounding : RoundingMode
            How digits beyond ``precision`` are handled; ``EXACT`` raises.

        Returns
        -------
        Quantity

        Raises
        ------
        FixedPointError
            If ``text`` is not a decimal string or is negative.
        PrecisionError
            If ``text`` is finer than ``precision`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If the mantissa does not fit in int64.
        """
        return _quantity_from_value(text, precision, rounding)

    @staticmethod
    def from_decimal(value, precision=None, RoundingMode rounding=RoundingMode.EXACT):
        """Convert a non-negative ``Decimal`` (or int) exactly.

        Parameters
        ----------
        value : Decimal or int
            The quantity.
        precision : int, optional
            Decimal places of the result; by default the exponent of ``value`` (at most 18).
        rounding : RoundingMode
            How digits beyond ``precision`` are handled; ``EXACT`` raises.

        Returns
        -------
        Quantity

        Raises
        ------
        FixedPointError
            If ``value`` is negative, not finite, or not a Decimal, int or str.
        PrecisionError
            If ``value`` is finer than ``precision`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If the mantissa does not fit in int64.
        """
        return _quantity_from_value(value, precision, rounding)

    cpdef object as_decimal(self):
        """Return the exact ``Decimal`` value.

        Returns
        -------
        Decimal
        """
        return Decimal(format_fixed(self.raw, self.precision))

    cpdef double as_double(self):
        """Return the nearest float (for statistics and display, never for keys).

        Returns
        -------
        float
        """
        return <double>self.raw / <double>pow10_c(self.precision)

    def __float__(self):
        return self.as_double()

    def __str__(self):
        return format_fixed(self.raw, self.precision)

    def __repr__(self):
        return f"Quantity('{format_fixed(self.raw, self.precision)}')"

    def __hash__(self):
        return hash_fixed(self.raw, self.precision)

    def __richcmp__(self, other, int op):
        if not isinstance(other, Quantity):
            return NotImplemented
        return richcmp_result(
            compare_fixed(
                self.raw, self.precision, (<Quantity>other).raw, (<Quantity>other).precision
            ),
            op,
        )

    def __add__(self, other):
        if not isinstance(other, Quantity):
            return NotImplemented
        cdef Quantity right = <Quantity>other
        cdef int precision = max(self.precision, right.precision)
        return Quantity.from_raw_c(
            checked_add(
                align_raw(self.raw, self.precision, precision),
                align_raw(right.raw, right.precision, precision),
            ),
            precision,
        )

    def __sub__(self, other):
        if not isinstance(other, Quantity):
            return NotImplemented
        cdef Quantity right = <Quantity>other
        cdef int precision = max(self.precision, right.precision)
        cdef int64_t raw = checked_sub(
            align_raw(self.raw, self.precision, precision),
            align_raw(right.raw, right.precision, precision),
        )
        if raw < 0:
            raise FixedPointError(
                f"Quantity: {self} - {right} is negative; a Quantity is never negative"
            )
        return Quantity.from_raw_c(raw, precision)

    def __mul__(self, other):
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        cdef int64_t factor = raw_from_int(other, "Quantity factor")
        if factor < 0:
            raise FixedPointError(
                f"Quantity factor: {factor} is negative; a Quantity is never negative"
            )
        return Quantity.from_raw_c(checked_mul(self.raw, factor), self.precision)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __reduce__(self):
        return Quantity, (self.raw, self.precision)


cdef Quantity _quantity_from_value(object value, object precision, RoundingMode rounding):
    cdef int64_t raw
    cdef int places = -1
    if precision is not None:
        places = precision
        check_precision(places, "Quantity")
    parse_value(value, places, rounding, "Quantity", &raw, &places)
    if raw < 0:
        raise FixedPointError(f"Quantity: {value!r} is negative; a Quantity is never negative")
    return Quantity.from_raw_c(raw, places)
