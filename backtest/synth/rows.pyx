# cython: boundscheck=False, wraparound=False
"""Column buffers of the synthetic generator's output rows: book deltas, trades and quotes.

The simulator reserves room, then writes whole rows through the C-level ``*_row`` methods; the
Python driver takes the columns with ``drain`` (numpy arrays named as the catalog schemas).
"""

import numpy as np

cdef Py_ssize_t INITIAL_ROWS = 1 << 14


cdef class RowBuffers:
    """Growable column buffers of one book's book, trade and quote rows."""

    def __init__(self):
        self.book_rows = 0
        self.trade_rows = 0
        self.quote_rows = 0
        self._allocate_book(INITIAL_ROWS)
        self._allocate_trades(INITIAL_ROWS)
        self._allocate_quotes(INITIAL_ROWS)

    # -- CAPACITY --

    def _allocate_book(self, Py_ssize_t capacity):
        cdef Py_ssize_t n = self.book_rows
        self.book_ts_recv = _grown(self.book_ts_recv if n else None, capacity, np.int64, n)
        self.book_ts_event = _grown(self.book_ts_event if n else None, capacity, np.int64, n)
        self.book_sequence = _grown(self.book_sequence if n else None, capacity, np.uint64, n)
        self.book_side = _grown(self.book_side if n else None, capacity, np.int8, n)
        self.book_price = _grown(self.book_price if n else None, capacity, np.int64, n)
        self.book_size = _grown(self.book_size if n else None, capacity, np.int64, n)
        self.book_action = _grown(self.book_action if n else None, capacity, np.uint8, n)
        self.book_flags = _grown(self.book_flags if n else None, capacity, np.uint8, n)

    def _allocate_trades(self, Py_ssize_t capacity):
        cdef Py_ssize_t n = self.trade_rows
        self.trade_ts_recv = _grown(self.trade_ts_recv if n else None, capacity, np.int64, n)
        self.trade_ts_event = _grown(self.trade_ts_event if n else None, capacity, np.int64, n)
        self.trade_price = _grown(self.trade_price if n else None, capacity, np.int64, n)
        self.trade_size = _grown(self.trade_size if n else None, capacity, np.int64, n)
        self.trade_aggressor = _grown(self.trade_aggressor if n else None, capacity, np.int8, n)
        self.trade_id = _grown(self.trade_id if n else None, capacity, np.int64, n)

    def _allocate_quotes(self, Py_ssize_t capacity):
        cdef Py_ssize_t n = self.quote_rows
        self.quote_ts_recv = _grown(self.quote_ts_recv if n else None, capacity, np.int64, n)
        self.quote_ts_event = _grown(self.quote_ts_event if n else None, capacity, np.int64, n)
        self.quote_bid_price = _grown(self.quote_bid_price if n else None, capacity, np.int64, n)
        self.quote_bid_size = _grown(self.quote_bid_size if n else None, capacity, np.int64, n)
        self.quote_ask_price = _grown(self.quote_ask_price if n else None, capacity, np.int64, n)
        self.quote_ask_size = _grown(self.quote_ask_size if n else None, capacity, np.int64, n)

    cdef int reserve_book(self, Py_ssize_t extra) except -1:
        if self.book_rows + extra > self.book_ts_recv.shape[0]:
            self._allocate_book(max(2 * self.book_ts_recv.shape[0], self.book_rows + extra))

        return 0

    cdef int reserve_trades(self, Py_ssize_t extra) except -1:
        if self.trade_rows + extra > self.trade_ts_recv.shape[0]:
            self._allocate_trades(max(2 * self.trade_ts_recv.shape[0], self.trade_rows + extra))
        return 0

    cdef int reserve_quotes(self, Py_ssize_t extra) except -1:
        if self.quote_rows + extra > self.quote_ts_recv.shape[0]:
            self._allocate_quotes(max(2 * self.quote_ts_recv.shape[0], self.quote_rows + extra))
        return 0

    # -- DRAIN --

    def drain(self):
        """Return the buffered rows and empty the buffers.

        Returns
        -------
        tuple of dict
            ``(book, trades, quotes)`` column dictionaries of numpy arrays named as the
            catalog schemas (``trade_id`` as int64; the caller turns it into text).
        """
        cdef Py_ssize_t b = self.book_rows
        cdef Py_ssize_t t = self.trade_rows
        cdef Py_ssize_t q = self.quote_rows
        book = {
            "ts_recv": np.array(self.book_ts_recv[:b]),
            "ts_event": np.array(self.book_ts_event[:b]),
            "sequence": np.array(self.book_sequence[:b]),
            "side": np.array(self.book_side[:b]),
            "price_ticks": np.array(self.book_price[:b]),
            "size_lots": np.array(self.book_size[:b]),
            "action": np.array(self.book_action[:b]),
            "flags": np.array(self.book_flags[:b]),
        }
        trades = {
            "ts_recv": np.array(self.trade_ts_recv[:t]),
            "ts_event": np.array(self.trade_ts_event[:t]),
            "price_ticks": np.array(self.trade_price[:t]),
            "size_lots": np.array(self.trade_size[:t]),
            "aggressor": np.array(self.trade_aggressor[:t]),
            "trade_id": np.array(self.trade_id[:t]),
        }
        quotes = {
            "ts_recv": np.array(self.quote_ts_recv[:q]),
            "ts_event": np.array(self.quote_ts_event[:q]),
            "bid_price_ticks": np.array(self.quote_bid_price[:q]),
            "bid_size_lots": np.array(self.quote_bid_size[:q]),
            "ask_price_ticks": np.array(self.quote_ask_price[:q]),
            "ask_size_lots": np.array(self.quote_ask_size[:q]),
        }
        self.book_rows = 0
        self.trade_rows = 0
        self.quote_rows = 0
        return book, trades, quotes


def _grown(old, Py_ssize_t capacity, dtype, Py_ssize_t rows):
    # A buffer of ``capacity`` rows holding the first ``rows`` rows of ``old``.
    new = np.zeros(capacity, dtype=dtype)
    if old is not None and rows:
        new[:rows] = np.asarray(old)[:rows]
    return new
