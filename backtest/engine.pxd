"""The backtest replay engine: market data, strategy and simulated venues on two timelines."""

cimport cython
from libc.stdint cimport int64_t

from backtest.fill_log cimport FillLog
from backtest.models.latency cimport FeedLatency
from backtest.replay.ring cimport ReplayRing, ReplayRow
from backtest.venue_timeline cimport VenueTimeline
from hftcore.book.order_book cimport OrderBook
from hftcore.clock.clock cimport TestClock
from hftcore.execution.engine cimport ExecutionEngine
from hftcore.node.data_engine cimport DataEngine, InstrumentFeed


# How far ahead of the strategy the venues may run when no row can run strategy code, ns.
cdef extern from *:
    """
    #define HFT_QUIET_WINDOW_NS 100000000LL
    """
    const long long QUIET_WINDOW_NS "HFT_QUIET_WINDOW_NS"


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
    cdef ReplayRing _rows
    cdef object _on_fill
    cdef FillLog _fill_log
    cdef object _on_sample
    cdef object _on_start
    cdef object _on_stop

    # -- SLOTS AND VENUES ----------------------------------------------------------------------
    cdef list _feeds
    cdef list _venues
    cdef int _slot_count
    cdef int _venue_count
    cdef bint _has_venues
    cdef VenueTimeline _venue_timeline

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
    cdef readonly int64_t report_count
    """Order reports delivered to the OMS."""
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

    # -- STRATEGY TIMELINE ---------------------------------------------------------------------
    cdef int _deliver_row(self, ReplayRow* row, int64_t position) except -1
    cdef int _hold_trade(self, ReplayRow* row, int64_t position) except -1
    cdef int _flush_trades(self) except -1


cdef int _set_top(OrderBook book, ReplayRow* row) except -1
