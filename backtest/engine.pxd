"""The backtest replay engine: market data, strategy and simulated venues on two timelines."""

cimport cython
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint64_t

from backtest.models.latency cimport FeedLatency
from backtest.replay.merge cimport KWayMerge
from hftcore.book.order_book cimport OrderBook
from hftcore.clock.clock cimport TestClock
from hftcore.execution.engine cimport ExecutionEngine
from hftcore.node.data_engine cimport DataEngine, InstrumentFeed


cdef enum:
    TRADE_ID_CAPACITY = 48   # bytes kept inline per trade row; longer ids go to a dict
    INITIAL_RING_CAPACITY = 4096

# How far ahead of the strategy the venues may run when no row can run strategy code, ns.
cdef extern from *:
    """
    #define HFT_QUIET_WINDOW_NS 100000000LL
    """
    const long long QUIET_WINDOW_NS "HFT_QUIET_WINDOW_NS"


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
cdef class BacktestEngine:
    # -- WIRING --------------------------------------------------------------------------------
    cdef readonly object node
    """The ``TradingNode`` whose clock, data engine, cache and OMS the replay drives."""
    cdef readonly FeedLatency feed_latency
    """When the strategy sees each row."""
    cdef readonly int64_t max_feed_lag_ns
    """Longest ``ts_recv - ts_event`` honoured; older venue times are raised to
    ``ts_recv - max_feed_lag_ns`` (bounds the read-ahead of the venue timeline), ns."""
    cdef TestClock _clock
    cdef DataEngine _data_engine
    cdef ExecutionEngine _exec_engine
    cdef KWayMerge _merge
    cdef bint _is_receive_feed
    cdef object _on_fill
    cdef object _on_sample
    cdef object _on_start
    cdef object _on_stop

    # -- SLOTS AND VENUES ----------------------------------------------------------------------
    cdef list _feeds
    cdef list _matchers
    cdef list _venues
    cdef int _slot_count
    cdef int _venue_count
    cdef int* _stream_slot
    cdef int16_t* _slot_venue
    cdef bint* _slot_book_from_quotes
    cdef int64_t* _venue_last_ns
    cdef int64_t* _venue_cursor
    cdef int64_t* _venue_resting
    cdef bint _has_venues

    # -- RING ----------------------------------------------------------------------------------
    cdef ReplayRow* _ring
    cdef char* _trade_ids
    cdef dict _long_trade_ids
    cdef int64_t _capacity
    cdef int64_t _mask
    cdef int64_t _head
    cdef int64_t _local
    cdef int64_t _tail
    cdef int64_t _last_local_ns
    cdef bint _merge_done

    # -- PENDING LAST TRADES -------------------------------------------------------------------
    cdef ReplayRow* _pending_trades
    cdef char* _pending_trade_ids
    cdef bint* _has_pending_trade
    cdef int _pending_trade_count

    # -- SAMPLING ------------------------------------------------------------------------------
    cdef readonly int64_t sample_interval_ns
    """Data time between equity samples, ns."""
    cdef int64_t _next_sample_ns

    # -- COUNTERS ------------------------------------------------------------------------------
    cdef readonly int64_t event_count
    """Market data rows read from the data."""
    cdef readonly int64_t report_count
    """Order reports delivered to the OMS."""
    cdef readonly int64_t venue_row_count
    """Rows applied on the venue timeline."""
    cdef readonly int64_t first_ns
    """Local time of the first row, UNIX ns (0 before the run)."""

    # -- RUN -----------------------------------------------------------------------------------
    cdef int _run_replay(self) except -1
    cdef bint _has_data_handlers(self) noexcept
    cdef int _drain(self) except -1
    cdef int64_t _next_report_ns(self) noexcept
    cdef int _deliver_reports(self, int64_t local_ns) except -1
    cdef int _fire_timers(self, int64_t local_ns) except -1
    cdef int _sample(self, int64_t horizon_ns) except -1
    cdef int _set_clock(self, int64_t local_ns) except -1

    # -- READING -------------------------------------------------------------------------------
    cdef int _read_row(self) except -1
    cdef int _reserve_row(self) except -1
    cdef int _check_book_row(self, ReplayRow* row, object cursor) except -1
    cdef int64_t _peek_unread_ns(self) noexcept

    # -- STRATEGY TIMELINE ---------------------------------------------------------------------
    cdef int _deliver_row(self, ReplayRow* row, int64_t position) except -1
    cdef int _hold_trade(self, ReplayRow* row, int64_t position) except -1
    cdef int _flush_trades(self) except -1
    cdef object _trade_id_text(self, ReplayRow* row, const char* data, int64_t position)

    # -- VENUE TIMELINE ------------------------------------------------------------------------
    cdef int64_t _advance_venues(self, int64_t horizon_ns) except -2
    cdef int64_t _venue_row_ns(self, int venue, int64_t limit_ns) except -2
    cdef int _apply_venue_row(self, ReplayRow* row) except -1
    cdef int _catch_up_venue(self, int venue, int64_t position) except -1
    cdef int _refresh_resting(self, int venue) except -1
    cdef bint _is_active(self, int venue) noexcept
    cdef bint _any_active(self) noexcept


cdef int _set_top(OrderBook book, ReplayRow* row) except -1
