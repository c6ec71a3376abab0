# cython: boundscheck=False, wraparound=False
"""Exact decimal text to fixed-point integer conversion for the data importers.

Venue files carry prices and sizes as decimal text (``"6421.5"``, ``"0.00012"``, ``"1e-07"``).
The importers turn whole Arrow string columns into int64 ticks or lots of an instrument without
a float round trip: each value is parsed into an integer mantissa and a power-of-ten exponent,
rescaled exactly, and divided by the unit (the tick or lot size expressed in the same scale).
A value that is not a multiple of the unit is reported, never rounded.
"""

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libc.stdint cimport INT64_MAX, int32_t, int64_t, uint8_t

cdef int64_t[19] POW10 = [
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
    1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000,
]

STATUS_REASONS = {
    PARSE_EMPTY: "empty value",
    PARSE_SYNTAX: "not a decimal number",
    PARSE_TOO_FINE: "finer than the unit",
    PARSE_OVERFLOW: "out of the int64 range",
    PARSE_NEGATIVE: "negative value",
}
"""Reason text of each failure status, for error messages."""


# -- PARSING --

cdef ParseStatus parse_decimal(
    const uint8_t* text, Py_ssize_t length, int64_t* mantissa, int* exponent
) noexcept nogil:
    # value = mantissa * 10**exponent (mantissa may end in zeros).
    cdef Py_ssize_t i = 0
    cdef bint negative = False
    cdef bint seen_point = False
    cdef int64_t m = 0
    cdef int digits = 0
    cdef int frac_digits = 0
    cdef uint8_t c
    if length == 0:
        return PARSE_EMPTY
    c = text[0]
    if c == 45 or c == 43:  # '-' or '+'
        negative = c == 45
        i = 1
    # Fast path: at most 18 digits and an optional point, the shape of nearly every value.
    while i < length:
        c = text[i]
        if 48 <= c <= 57:
            m = m * 10 + (c - 48)
            digits += 1
            frac_digits += seen_point
        elif c == 46 and not seen_point:  # '.'
            seen_point = True
        else:
            break
        i += 1
    if i == length and 0 < digits <= 18:
        mantissa[0] = -m if negative else m
        exponent[0] = -frac_digits
        return PARSE_OK
    return parse_decimal_general(text, length, mantissa, exponent)


cdef ParseStatus parse_decimal_general(
    const uint8_t* text, Py_ssize_t length, int64_t* mantissa, int* exponent
) noexcept nogil:
    # Long mantissas (trailing zeros dropped as they come) and exponents ("1e-07").
    cdef Py_ssize_t i = 0
    cdef bint negative = False
    cdef bint seen_point = False
    cdef bint seen_digit = False
    cdef int64_t m = 0
    cdef int zeros = 0
    cdef int digits = 0
    cdef int frac_digits = 0
    cdef int exp_value = 0
    cdef bint exp_negative = False
    cdef uint8_t c
    cdef int digit
    c = text[0]
    if c == 45 or c == 43:  # '-' or '+'
        negative = c == 45
        i = 1
    while i < length:
        c = text[i]
        if 48 <= c <= 57:
            seen_digit = True
            digit = c - 48
            if seen_point:
                frac_digits += 1
            if digit == 0:
                zeros += 1
            else:
                # m < 10**digits; the check only divides once m could pass 18 digits.
                digits = 1 if m == 0 else digits + zeros + 1
                if digits > 18 and (
                    zeros > 17 or m > (INT64_MAX - digit) // POW10[zeros + 1]
                ):
                    return PARSE_OVERFLOW
                m = m * POW10[zeros + 1] + digit
                zeros = 0
        elif c == 46 and not seen_point:  # '.'
            seen_point = True
        elif (c == 101 or c == 69) and seen_digit:  # 'e' or 'E'
            i += 1
            if i < length and (text[i] == 45 or text[i] == 43):
                exp_negative = text[i] == 45
                i += 1
            if i == length:
                return PARSE_SYNTAX
            while i < length:
                c = text[i]
                if not 48 <= c <= 57:
                    return PARSE_SYNTAX
                if exp_value > 10000:
                    return PARSE_OVERFLOW
                exp_value = exp_value * 10 + (c - 48)
                i += 1
            break
        else:
            return PARSE_SYNTAX
        i += 1
    if not seen_digit:
        return PARSE_SYNTAX
    if m == 0:
        mantissa[0] = 0
        exponent[0] = 0
        return PARSE_OK
    mantissa[0] = -m if negative else m
    exponent[0] = zeros - frac_digits + (-exp_value if exp_negative else exp_value)
    return PARSE_OK


cdef ParseStatus scale_to_units(
    int64_t mantissa, int exponent, int scale, int64_t unit, int64_t* out
) noexcept nogil:
    # out = mantissa * 10**(exponent + scale) / unit, exactly.
    cdef int shift = exponent + scale
    cdef int64_t scaled
    cdef int64_t magnitude
    if mantissa == 0:
        out[0] = 0
        return PARSE_OK
    while shift < 0 and mantissa % 10 == 0:
        mantissa //= 10
        shift += 1
    if shift < 0:
        return PARSE_TOO_FINE
    magnitude = -mantissa if mantissa < 0 else mantissa
    if shift > 18 or magnitude > INT64_MAX // POW10[shift]:
        return PARSE_OVERFLOW
    scaled = mantissa * POW10[shift]
    if unit == 1:
        out[0] = scaled
        return PARSE_OK
    if scaled % unit != 0:
        return PARSE_TOO_FINE
    out[0] = scaled // unit
    return PARSE_OK


cdef Py_ssize_t convert_column(
    const int32_t[::1] offsets,
    const uint8_t[::1] data,
    int scale,
    int64_t unit,
    bint allow_negative,
    bint empty_is_zero,
    int64_t[::1] out,
    ParseStatus* status,
) noexcept nogil:
    # Returns the index of the first bad value (its status in status[0]) or -1.
    cdef Py_ssize_t n = out.shape[0]
    cdef Py_ssize_t i
    cdef int32_t start
    cdef int32_t length
    cdef int64_t mantissa = 0
    cdef int exponent = 0
    cdef ParseStatus result
    for i in range(n):
        start = offsets[i]
        length = offsets[i + 1] - start
        if length == 0 and empty_is_zero:
            out[i] = 0
            continue
        result = parse_decimal(&data[start] if length else NULL, length, &mantissa, &exponent)
        if result == PARSE_OK:
            if mantissa < 0 and not allow_negative:
                result = PARSE_NEGATIVE
            else:
                result = scale_to_units(mantissa, exponent, scale, unit, &out[i])
        if result != PARSE_OK:
            status[0] = result
            return i
    status[0] = PARSE_OK
    return -1


cdef Py_ssize_t column_max_decimals(
    const int32_t[::1] offsets, const uint8_t[::1] data, int* max_decimals, ParseStatus* status
) noexcept nogil:
    # Largest count of significant decimals in the column; empty values are skipped.
    cdef Py_ssize_t n = offsets.shape[0] - 1
    cdef Py_ssize_t i
    cdef int32_t start
    cdef int32_t length
    cdef int64_t mantissa = 0
    cdef int exponent = 0
    cdef ParseStatus result
    for i in range(n):
        start = offsets[i]
        length = offsets[i + 1] - start
        if length == 0:
            continue
        result = parse_decimal(&data[start], length, &mantissa, &exponent)
        if result != PARSE_OK:
            status[0] = result
            return i
        while mantissa != 0 and exponent < 0 and mantissa % 10 == 0:
            mantissa //= 10
            exponent += 1
        if mantissa != 0 and -exponent > max_decimals[0]:
            max_decimals[0] = -exponent
    status[0] = PARSE_OK
    return -1


# -- PYTHON API --

def unit_scale(unit):
    """Express a tick or lot size as ``(scale, unit_mantissa)``.

    Parameters
    ----------
    unit : decimal.Decimal or str
        A positive tick or lot size, e.g. ``Decimal("0.5")``.

    Returns
    -------
    tuple of int
        ``scale`` (decimals of the unit) and the integer ``unit * 10**scale``: 0.5 -> (1, 5),
        0.01 -> (2, 1), 25 -> (0, 25).

    Raises
    ------
    ValueError
        If ``unit`` is not a finite positive decimal that fits int64 at its own scale.
    """
    value = Decimal(unit).normalize()
    if not value.is_finite() or value <= 0:
        raise ValueError(f"unit: expected a positive decimal, got {unit!r}")
    exponent = value.as_tuple().exponent
    scale = max(0, -exponent)
    mantissa = int(value.scaleb(scale))
    if scale > 18 or mantissa > INT64_MAX:
        raise ValueError(f"unit: {unit!r} does not fit int64 at its scale")
    return scale, mantissa


def _buffers(values):
    # Offsets and bytes of a string array with no nulls, as contiguous numpy views.
    if values.type == pa.large_string():
        values = values.cast(pa.string())
    if values.null_count:
        values = pc.fill_null(values, "")
    buffers = values.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[
        values.offset : values.offset + len(values) + 1
    ]
    if buffers[2] is None or buffers[2].size == 0:
        data = np.zeros(1, dtype=np.uint8)
    else:
        data = np.frombuffer(buffers[2], dtype=np.uint8)
    return np.ascontiguousarray(offsets), data


def strings_to_units(values, unit, *, bint allow_negative=False, bint empty_is_zero=False):
    """Convert a column of decimal strings to exact multiples of ``unit``.

    Parameters
    ----------
    values : pyarrow.StringArray
        Decimal text such as ``"6421.5"`` or ``"1e-07"``; nulls count as empty.
    unit : decimal.Decimal or str
        The tick or lot size; each value must be an exact multiple of it.
    allow_negative : bool
        Accept values below zero (sizes never are).
    empty_is_zero : bool
        Turn an empty value into 0 instead of reporting it.

    Returns
    -------
    tuple
        ``(units, bad_index, reason)``: an int64 numpy array of ``value / unit``, and the index
        and reason text of the first value that could not be converted (``-1`` and ``""`` when
        all converted; ``units`` is then complete).

    Raises
    ------
    ValueError
        If ``unit`` is not a positive decimal.
    """
    cdef int scale
    cdef int64_t mantissa
    cdef ParseStatus status = PARSE_OK
    cdef Py_ssize_t bad
    scale, mantissa = unit_scale(unit)
    offsets, data = _buffers(values)
    out = np.empty(len(values), dtype=np.int64)
    cdef const int32_t[::1] offsets_view = offsets
    cdef const uint8_t[::1] data_view = data
    cdef int64_t[::1] out_view = out
    with nogil:
        bad = convert_column(
            offsets_view, data_view, scale, mantissa, allow_negative, empty_is_zero, out_view,
            &status,
        )
    return out, bad, STATUS_REASONS.get(status, "")


def max_decimals(values):
    """Count the significant decimals of the finest value in a column.

    Parameters
    ----------
    values : pyarrow.StringArray
        Decimal text; empty values and nulls are ignored.

    Returns
    -------
    tuple
        ``(decimals, bad_index, reason)``: the largest number of significant decimals
        (``"0.50"`` has 1, ``"1e-07"`` has 7, ``"300"`` has 0), and the index and reason of the
        first value that is not a decimal number (``-1`` and ``""`` if none).
    """
    cdef int decimals = 0
    cdef ParseStatus status = PARSE_OK
    cdef Py_ssize_t bad
    offsets, data = _buffers(values)
    cdef const int32_t[::1] offsets_view = offsets
    cdef const uint8_t[::1] data_view = data
    with nogil:
        bad = column_max_decimals(offsets_view, data_view, &decimals, &status)
    return decimals, bad, STATUS_REASONS.get(status, "")
