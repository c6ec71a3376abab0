"""Inner loops of the synthetic market-data generator: RNG, fundamental paths, L2 book simulator."""

cimport cython
from libc.stdint cimport int8_t, int64_t, uint8_t, uint64_t


# -- RANDOM NUMBERS --

cdef struct RngState:
    uint64_t s0
    uint64_t s1
    uint64_t s2
    uint64_t s3
    double spare_normal
    bint has_spare

cdef void rng_seed(RngState* rng, uint64_t seed, uint64_t stream) noexcept nogil
cdef uint64_t rng_next(RngState* rng) noexcept nogil
cdef double rng_uniform(RngState* rng) noexcept nogil
cdef double rng_normal(RngState* rng) noexcept nogil
cdef double rng_exponential(RngState* rng) noexcept nogil
cdef int64_t rng_geometric(RngState* rng, double mean) noexcept nogil
cdef int64_t rng_lognormal_lots(RngState* rng, double median, double sigma) noexcept nogil
cdef int64_t round_significant(int64_t lots) noexcept nogil


# -- LEVEL SCANS --

cdef int64_t _scan_down(int64_t[::1] lots, int64_t from_ticks, int64_t mask) noexcept nogil
cdef int64_t _scan_up(int64_t[::1] lots, int64_t from_ticks, int64_t mask) noexcept nogil


# -- FUNDAMENTAL PATHS --

@cython.final
cdef class FundamentalPaths:
    cdef RngState rng
    cdef readonly int asset_count
    """Number of correlated assets."""
    cdef double[::1] log_prices
    cdef double[::1] vol_per_sqrt_s
    cdef double[::1] correlation
    cdef double log_vol_deviation
    cdef double vol_mean_reversion_per_s
    cdef double vol_of_vol
    cdef readonly int64_t step_ns
    """Grid step of the paths, ns."""

    cpdef int advance(self, double[:, ::1] out_log_prices, double[::1] out_activity) except -1


# -- BOOK SIMULATOR --

@cython.final
cdef class BookSimulator:
    # Parameters.
    cdef double tick_size
    cdef int64_t window_ticks
    cdef int64_t window_mask
    cdef int depth_levels
    cdef int min_levels
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
    cdef int64_t delay_base_ns
    cdef double delay_jitter_median_ns
    cdef double delay_jitter_sigma
    cdef double basis_sigma
    cdef double basis_mean_reversion_per_s
    cdef double dislocation_rate_per_s
    cdef double dislocation_size
    cdef double dislocation_decay_per_s
    cdef double shock_rate_per_s
    cdef double shock_size_median
    cdef double shock_size_sigma
    cdef double shock_decay_per_s
    cdef double shock_size_max
    cdef double shock_tolerance
    cdef bint emit_quotes

    # State.
    cdef RngState rng
    cdef RngState shock_rng
    cdef int64_t[::1] bid_lots
    cdef int64_t[::1] ask_lots
    cdef int64_t[::1] bid_published_lots
    cdef int64_t[::1] ask_published_lots
    cdef uint8_t[::1] bid_dirty
    cdef uint8_t[::1] ask_dirty
    cdef int64_t[::1] dirty_keys
    cdef Py_ssize_t dirty_count
    cdef int64_t best_bid_ticks
    cdef int64_t worst_bid_ticks
    cdef int64_t best_ask_ticks
    cdef int64_t worst_ask_ticks
    cdef int bid_levels
    cdef int ask_levels
    cdef readonly int64_t now_ns
    """Simulated time reached, UNIX ns."""
    cdef int64_t next_publish_ns
    cdef int64_t last_recv_ns
    cdef double excitation_per_s
    cdef double delay_state
    cdef int64_t fair_time_ns
    cdef double basis
    cdef double dislocation
    cdef double shock
    cdef double fair_ticks
    cdef readonly int64_t trade_count
    """Trades emitted since the start (the next trade id is ``trade_count + 1``)."""
    cdef readonly int64_t message_count
    """Book messages published since the start (the ``sequence`` of the last one)."""
    cdef int64_t quoted[4]
    cdef bint started

    # Output buffers (grown by doubling; taken and reset by the Python driver).
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

    # -- BUFFERS --
    cdef int reserve_book(self, Py_ssize_t extra) except -1
    cdef int reserve_trades(self, Py_ssize_t extra) except -1
    cdef int reserve_quotes(self, Py_ssize_t extra) except -1

    # -- LEVELS --
    cdef int64_t level_lots(self, int side, int64_t price_ticks) noexcept nogil
    cdef int set_level(self, int side, int64_t price_ticks, int64_t size_lots) except -1
    cdef int64_t next_level(self, int side, int64_t from_ticks) noexcept nogil
    cdef int trim(self, int side) except -1

    # -- TIME AND PRICES --
    cdef int64_t recv_time(self, int64_t ts_event_ns) noexcept nogil
    cdef void update_fair(self, double log_fair, double dt_s) noexcept nogil

    # -- EVENTS --
    cdef int allocate_levels(self) except -1
    cdef int start_book(self, int64_t ts_ns) except -1
    cdef int64_t draw_level_lots(self) noexcept nogil
    cdef int on_event(self, int64_t ts_ns) except -1
    cdef int shock_sweep_side(self) noexcept nogil
    cdef int sweep(self, int side, int64_t ts_ns) except -1
    cdef int requote(self, int side, int64_t touch_ticks) except -1
    cdef int add_order(self, int side, int64_t ts_ns) except -1
    cdef int cancel_order(self, int side) except -1
    cdef int take(
        self, int side, int64_t size_lots, int64_t limit_ticks, int64_t ts_ns
    ) except? -1
    cdef int emit_trades(
        self, int side, int64_t price_ticks, int64_t fill_lots, int64_t ts_ns
    ) except -1
    cdef int emit_quote(self, int64_t ts_ns) except -1
    cdef int publish(self, int64_t ts_ns) except -1
    cdef int64_t _current_lots(self, int64_t key) noexcept nogil
    cdef int64_t _published_lots(self, int64_t key) noexcept nogil
    cdef void _clear_dirty(self) noexcept nogil
    cdef void _publish_key(
        self, int64_t key, int64_t recv_ns, int64_t ts_ns, int action, int flags
    ) noexcept nogil
    cdef void _book_row(
        self, int64_t recv_ns, int64_t ts_ns, int side, int64_t price_ticks, int64_t size_lots,
        int action, int flags,
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
