"""Exact decimal text to fixed-point integer conversion for the data importers."""

from libc.stdint cimport int32_t, int64_t, uint8_t

# -- STATUS CODES --
cdef enum ParseStatus:
    PARSE_OK = 0
    PARSE_EMPTY = 1
    PARSE_SYNTAX = 2
    PARSE_TOO_FINE = 3
    PARSE_OVERFLOW = 4
    PARSE_NEGATIVE = 5

# -- PARSING --
cdef ParseStatus parse_decimal(
    const uint8_t* text, Py_ssize_t length, int64_t* mantissa, int* exponent
) noexcept nogil
cdef ParseStatus parse_decimal_general(
    const uint8_t* text, Py_ssize_t length, int64_t* mantissa, int* exponent
) noexcept nogil
cdef ParseStatus scale_to_units(
    int64_t mantissa, int exponent, int scale, int64_t unit, int64_t* out
) noexcept nogil
cdef Py_ssize_t convert_column(
    const int32_t[::1] offsets,
    const uint8_t[::1] data,
    int scale,
    int64_t unit,
    bint allow_negative,
    bint empty_is_zero,
    int64_t[::1] out,
    ParseStatus* status,
) noexcept nogil
cdef Py_ssize_t column_max_decimals(
    const int32_t[::1] offsets, const uint8_t[::1] data, int* max_decimals, ParseStatus* status
) noexcept nogil
