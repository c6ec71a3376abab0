"""Order flow and driver of one simulated venue book: the synthetic generator's inner loop."""

cimport cython
from libc.stdint cimport int64_t

from backtest.synth.feed_delay cimport FeedDelay
from backtest.synth.levels cimport LevelWindow
from backtest.synth.rng cimport RngState
from backtest.synth.rows cimport RowBuffers
from backtest.synth.venue_price cimport VenuePrice


@cython.final
cdef class BookSimulator:
    # Parameters.
    cdef double event_rate_per_s
    cdef double hawkes_jump_per_s
    cdef double hawkes_decay_per_s
    cdef double market_probability
    cdef double add_probability
    cdef double market_size_median_lots
    cdef double market_size_sigma
    cdef double maker_pieces_mean
    cdef double sweep_ticks
    cdef double level_size_median_lots
    cdef double level_size_sigma
    cdef double touch_add_probability
    cdef double marketable_probability
    cdef double touch_size_multiplier
    cdef double deep_probability
    cdef double deep_range_ticks
    cdef double improve_probability
    cdef double level_spacing_ticks
    cdef double half_spread_ticks
    cdef double cancel_full_probability
    cdef double cancel_touch_probability
    cdef double pressure_scale_ticks
    cdef int64_t publish_interval_ns
    cdef bint emit_quotes

    # Parts.
    cdef RngState rng
    cdef VenuePrice venue
    cdef FeedDelay feed
    cdef LevelWindow levels
    cdef readonly RowBuffers rows
    """Rows waiting to be drained (``book_rows``, ``trade_rows``, ``quote_rows``)."""

    # State.
    cdef readonly int64_t now_ns
    """Simulated time reached, UNIX ns."""
    cdef int64_t next_publish_ns
    cdef double excitation_per_s
    cdef int64_t fair_time_ns
    cdef readonly int64_t trade_count
    """Trades emitted since the start (the next trade id is ``trade_count + 1``)."""
    cdef readonly int64_t message_count
    """Book messages published since the start (the ``sequence`` of the last one)."""
    cdef readonly int64_t resync_count
    """Snapshots published after the start because the book had to move beyond its window."""
    cdef int64_t quoted[4]
    cdef bint started

    # -- EVENTS --
    cdef int start_book(self, int64_t ts_ns) except -1
    cdef int resync_book(self, int64_t ts_ns) except -1
    cdef int snapshot_book(self, int64_t ts_ns) except -1
    cdef int64_t draw_level_lots(self) noexcept nogil
    cdef int on_event(self, int64_t ts_ns) except -1
    cdef int sweep(self, int side, int64_t ts_ns) except -1
    cdef int requote(self, int side, int64_t touch_ticks) except -1
    cdef int add_order(self, int side, int64_t ts_ns) except -1
    cdef int cancel_order(self, int side) except -1
    cdef int take(
        self, int side, int64_t size_lots, int64_t limit_ticks, int64_t ts_ns
    ) except? -1

    # -- OUTPUT --
    cdef int emit_trades(
        self, int side, int64_t price_ticks, int64_t fill_lots, int64_t ts_ns
    ) except -1
    cdef int emit_quote(self, int64_t ts_ns) except -1
    cdef int publish(self, int64_t ts_ns) except -1
    cdef void _publish_key(
        self, int64_t key, int64_t recv_ns, int64_t ts_ns, int action, int flags
    ) noexcept nogil

    # -- DRIVER --
    cpdef int run_until(
        self,
        int64_t end_ns,
        const double[::1] log_fair,
        const double[::1] activity,
        int64_t grid_start_ns,
        int64_t grid_step_ns,
        Py_ssize_t max_rows,
    ) except -1
