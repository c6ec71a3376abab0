"""Exact fixed-point numbers: decimal parsing and formatting, checked int64 math, Price, Quantity.

A fixed-point value is an int64 mantissa ``raw`` with a ``precision`` (decimal places):
``value = raw * 10**-precision``. Precision is 0..18 and ``|raw| <= 2**63 - 1``; ``-2**63`` is
never a mantissa (it is the ``NO_PRICE_TICKS`` sentinel of ``types.pxd``).
"""

from libc.stdint cimport int64_t, uint8_t

from hftcore.model.enums cimport RoundingMode


cdef enum:
    FIXED_MAX_PRECISION = 18


# Outcome of the C-level parser; ``raise_parse_error`` turns a failure into the matching exception.
cdef enum ParseStatus:
    PARSE_OK = 0
    PARSE_MALFORMED = 1
    PARSE_OVERFLOW = 2
    PARSE_INEXACT = 3
    PARSE_BAD_PRECISION = 4
    PARSE_BAD_ROUNDING = 5


# Where the digits of a validated decimal string are (offsets into the text).
cdef struct DecimalText:
    Py_ssize_t int_start
    Py_ssize_t int_end
    Py_ssize_t frac_start
    Py_ssize_t frac_end
    int64_t exponent
    bint is_negative


# -- PARSING -----------------------------------------------------------------------------------

cdef int scan_decimal(const char* data, Py_ssize_t length, DecimalText* text) noexcept nogil
cdef int64_t decimal_scale(const DecimalText* text) noexcept nogil
cdef int decimal_to_steps(
    const char* data,
    const DecimalText* text,
    int precision,
    int64_t step_raw,
    RoundingMode rounding,
    int64_t* out,
) noexcept nogil
cdef int parse_decimal_c(
    const char* data,
    Py_ssize_t length,
    int precision,
    int64_t step_raw,
    RoundingMode rounding,
    int64_t* out,
) noexcept nogil
# step_name None: the message speaks of decimal places; else of a multiple of the named step.
cdef int raise_parse_error(
    int status,
    object text,
    int precision,
    int64_t step_raw,
    int rounding,
    str field,
    str step_name,
) except -1
cdef int parse_str_status(
    str text, int precision, int64_t step_raw, RoundingMode rounding, int64_t* out
) noexcept
cdef int64_t parse_str_c(
    str text, int precision, int64_t step_raw, RoundingMode rounding, str field, str step_name
) except? -1
# precision -1: as many places as the value spells out (at most 18).
cdef int parse_value(
    object value,
    int precision,
    RoundingMode rounding,
    str field,
    int64_t* raw_out,
    int* precision_out,
) except -1
cpdef int64_t parse_fixed(
    str text, int precision, RoundingMode rounding=*, str field=*
) except? -1

# -- FORMATTING --------------------------------------------------------------------------------

cpdef str format_fixed(int64_t mantissa, int precision)

# -- CHECKED ARITHMETIC ------------------------------------------------------------------------

cdef int64_t pow10_c(int exponent) noexcept nogil
cdef int64_t checked_add(int64_t a, int64_t b) except? -1
cdef int64_t checked_sub(int64_t a, int64_t b) except? -1
cdef int64_t checked_mul(int64_t a, int64_t b) except? -1
cdef int64_t align_raw(int64_t raw, int from_precision, int to_precision) except? -1
cdef int compare_fixed(
    int64_t a_raw, int a_precision, int64_t b_raw, int b_precision
) noexcept nogil
cdef Py_hash_t hash_fixed(int64_t raw, int precision) noexcept
cdef int check_precision(int precision, str field) except -1
cdef int64_t raw_from_int(object raw, str field) except? -1
cdef object richcmp_result(int comparison, int op)

# -- VALUE TYPES -------------------------------------------------------------------------------

cdef class Price:
    cdef readonly int64_t raw
    """Mantissa: the price is ``raw * 10**-precision``."""
    cdef readonly uint8_t precision
    """Decimal places of the price, 0..18."""

    @staticmethod
    cdef Price from_raw_c(int64_t raw, int precision)
    cpdef object as_decimal(self)
    cpdef double as_double(self)


cdef Price _price_from_value(object value, object precision, RoundingMode rounding)


cdef class Quantity:
    cdef readonly int64_t raw
    """Mantissa, never negative: the quantity is ``raw * 10**-precision``."""
    cdef readonly uint8_t precision
    """Decimal places of the quantity, 0..18."""

    @staticmethod
    cdef Quantity from_raw_c(int64_t raw, int precision)
    cpdef object as_decimal(self)
    cpdef double as_double(self)


cdef Quantity _quantity_from_value(object value, object precision, RoundingMode rounding)
