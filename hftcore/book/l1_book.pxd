"""Top-of-book (L1, best bid and ask only) order book behind the ``OrderBook`` interface."""

cimport cython

from hftcore.book.order_book cimport OrderBook
from hftcore.model.data cimport Quote


@cython.final
cdef class L1Book(OrderBook):
    # Implements the OrderBook cdef methods declared in order_book.pxd (_update_level,
    # _apply_snapshot, _clear, _level_count, _price_at, _size_at, _copy_depth, _vwap); Cython
    # rejects re-declaring them in the .pxd of a final subclass.

    # -- UPDATES -------------------------------------------------------------------------------
    cdef int _check_quote(self, Quote quote) except -1
    cdef int _apply_quote(self, Quote quote) except -1
