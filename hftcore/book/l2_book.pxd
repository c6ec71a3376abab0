"""Exact price-level (L2, market-by-price) order book on C arrays of int64 ticks and lots."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook


# Levels scanned one by one from the top of a side before falling back to binary search.
cdef enum:
    LINEAR_SEARCH_LEVELS = 8
    INITIAL_LEVEL_CAPACITY = 64


cdef struct LevelArray:
    int64_t* keys         # bid price, or negated ask price: ascending, so the best level is last
    int64_t* sizes_lots   # level sizes, aligned with keys
    Py_ssize_t count      # levels held
    Py_ssize_t capacity   # levels allocated in both arrays


@cython.final
cdef class L2Book(OrderBook):
    # Implements the OrderBook cdef methods declared in order_book.pxd (_update_level,
    # _apply_snapshot, _clear, _level_count, _price_at, _size_at, _copy_depth, _vwap); Cython
    # rejects re-declaring them in the .pxd of a final subclass.
    cdef LevelArray _bids
    cdef LevelArray _asks

    # -- UPDATES -------------------------------------------------------------------------------
    cdef void _refresh_best_bid(self) noexcept
    cdef void _refresh_best_ask(self) noexcept


# -- LEVEL ARRAYS ------------------------------------------------------------------------------

cdef Py_ssize_t find_level(const LevelArray* levels, int64_t key, bint* found) noexcept nogil
cdef int set_level(LevelArray* levels, int64_t key, int64_t size_lots) except -1
cdef int reserve_levels(LevelArray* levels, Py_ssize_t capacity) except -1
cdef void free_levels(LevelArray* levels) noexcept nogil
