"""Column buffers of the synthetic generator's output rows: book deltas, trades and quotes."""

cimport cython
from libc.stdint cimport int8_t, int64_t, uint8_t, uint64_t


@cython.final
cdef class RowBuffers:
    # Columns (grown by doubling; taken and reset by ``drain``).
    cdef int64_t[::1] book_ts_recv
    cdef int64_t[::1] book_ts_event
    cdef uint64_t[::1] book_sequence
    cdef int8_t[::1] book_side
    cdef int64_t[::1] book_price
    cdef int64_t[::1] book_size
    cdef uint8_t[::1] book_action
    cdef uint8_t[::1] book_flags
    cdef readonly Py_ssize_t book_rows
    """Book rows waiting in the buffers."""
    cdef int64_t[::1] trade_ts_recv
    cdef int64_t[::1] trade_ts_event
    cdef int64_t[::1] trade_price
    cdef int64_t[::1] trade_size
    cdef int8_t[::1] trade_aggressor
    cdef int64_t[::1] trade_id
    cdef readonly Py_ssize_t trade_rows
    """Trade rows waiting in the buffers."""
    cdef int64_t[::1] quote_ts_recv
    cdef int64_t[::1] quote_ts_event
    cdef int64_t[::1] quote_bid_price
    cdef int64_t[::1] quote_bid_size
    cdef int64_t[::1] quote_ask_price
    cdef int64_t[::1] quote_ask_size
    cdef readonly Py_ssize_t quote_rows
    """Quote rows waiting in the buffers."""

    # -- CAPACITY --
    cdef int reserve_book(self, Py_ssize_t extra) except -1
    cdef int reserve_trades(self, Py_ssize_t extra) except -1
    cdef int reserve_quotes(self, Py_ssize_t extra) except -1

    # -- ROWS --
    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline void book_row(
        self, int64_t recv_ns, int64_t ts_ns, uint64_t sequence, int side, int64_t price_ticks,
        int64_t size_lots, int action, int flags,
    ) noexcept nogil:
        # The caller reserved the row.
        cdef Py_ssize_t row = self.book_rows
        self.book_ts_recv[row] = recv_ns
        self.book_ts_event[row] = ts_ns
        self.book_sequence[row] = sequence
        self.book_side[row] = <int8_t>side
        self.book_price[row] = price_ticks
        self.book_size[row] = size_lots
        self.book_action[row] = <uint8_t>action
        self.book_flags[row] = <uint8_t>flags
        self.book_rows += 1

    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline void flag_last_book_row(self, int flags) noexcept nogil:
        # Add flags to the last book row written (the caller wrote one).
        self.book_flags[self.book_rows - 1] |= <uint8_t>flags

    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline void trade_row(
        self, int64_t recv_ns, int64_t ts_ns, int64_t price_ticks, int64_t size_lots,
        int aggressor, int64_t trade_id,
    ) noexcept nogil:
        # The caller reserved the row.
        cdef Py_ssize_t row = self.trade_rows
        self.trade_ts_recv[row] = recv_ns
        self.trade_ts_event[row] = ts_ns
        self.trade_price[row] = price_ticks
        self.trade_size[row] = size_lots
        self.trade_aggressor[row] = <int8_t>aggressor
        self.trade_id[row] = trade_id
        self.trade_rows += 1

    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline void quote_row(
        self, int64_t recv_ns, int64_t ts_ns, int64_t bid_price_ticks, int64_t bid_size_lots,
        int64_t ask_price_ticks, int64_t ask_size_lots,
    ) noexcept nogil:
        # The caller reserved the row.
        cdef Py_ssize_t row = self.quote_rows
        self.quote_ts_recv[row] = recv_ns
        self.quote_ts_event[row] = ts_ns
        self.quote_bid_price[row] = bid_price_ticks
        self.quote_bid_size[row] = bid_size_lots
        self.quote_ask_price[row] = ask_price_ticks
        self.quote_ask_size[row] = ask_size_lots
        self.quote_rows += 1
