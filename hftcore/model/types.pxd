"""Shared C typedefs and sentinels of the hftcore core."""

from libc.stdint cimport int64_t, uint64_t

# Fixed-point integers on the hot path: prices in ticks, sizes in lots of their instrument.
ctypedef int64_t ticks_t
ctypedef int64_t lots_t
# UNIX nanoseconds.
ctypedef int64_t nanos_t

# Sentinel for "no price" (empty book side, no last trade): the int64 minimum. Taken from C's
# INT64_MIN because Cython rejects ``-9223372036854775807 - 1`` as an enum constant expression.
cdef extern from "<stdint.h>":
    const int64_t NO_PRICE_TICKS "INT64_MIN"
