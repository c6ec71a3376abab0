"""The replay ring: merged catalog rows read ahead of the replay, decoded into C structs."""

cimport cython
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint64_t

from backtest.models.latency cimport FeedLatency
from backtest.replay.merge cimport KWayMerge


cdef enum:
    TRADE_ID_CAPACITY = 48   # bytes kept inline per trade row; longer ids go to a dict
    INITIAL_RING_CAPACITY = 4096


# One market data row, decoded once from the merge and read by both timelines.
cdef struct ReplayRow:
    int64_t ts_event        # venue time as recorded, ns
    int64_t ts_recv         # receive time as recorded, ns
    int64_t venue_ns        # when the simulated venue applies the row (venue timeline), ns
    int64_t local_ns        # when the strategy sees the row (strategy timeline), ns
    int64_t price_ticks     # book level, trade or quote bid price
    int64_t size_lots       # book level, trade or quote bid size
    int64_t ask_price_ticks  # quote ask price
    int64_t ask_size_lots   # quote ask size
    uint64_t sequence       # book rows: venue sequence
    int32_t slot            # instrument slot
    int32_t trade_id_length  # bytes of the trade id (trades); -1 when it lives in the dict
    int16_t venue           # venue index
    uint8_t kind            # StreamKind: BOOK, QUOTES or TRADES
    int8_t side             # book: 1 bid, 2 ask (0 CLEAR); trades: aggressor
    uint8_t action          # book: BookAction
    uint8_t flags           # book: bit 0 last row of a message, bit 1 snapshot


@cython.final
cdef class ReplayRing:
    # -- STREAMS -------------------------------------------------------------------------------
    cdef readonly FeedLatency feed_latency
    """When the strategy sees each row."""
    cdef readonly int64_t max_feed_lag_ns
    """Longest ``ts_recv - ts_event`` honoured on the venue timeline, ns."""
    cdef readonly list instrument_ids
    """Instrument id text of each slot (``SYMBOL.VENUE``), in stream order."""
    cdef readonly frozenset book_instrument_ids
    """Instrument id texts with a book stream (the others' books come from quotes)."""
    cdef readonly int64_t event_count
    """Rows read from the merge."""
    cdef KWayMerge _merge
    cdef bint _is_receive_feed
    cdef int* _stream_slot
    cdef int16_t* slot_venue
    cdef bint* slot_book_from_quotes
    cdef int64_t* _venue_last_ns
    cdef int64_t _last_local_ns

    # -- RING ----------------------------------------------------------------------------------
    cdef ReplayRow* rows
    cdef char* trade_ids
    cdef dict long_trade_ids
    cdef int64_t capacity
    cdef int64_t mask
    cdef int64_t head
    cdef int64_t local
    cdef int64_t tail
    cdef bint is_done

    cdef int read_row(self) except -1
    cdef int release(self, int64_t head) except -1
    cdef int _check_book_row(self, ReplayRow* row, object cursor) except -1
    cdef int64_t peek_unread_ns(self) noexcept
    cdef object trade_id_text(self, ReplayRow* row, const char* data, int64_t position)
