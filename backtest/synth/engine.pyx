# cython: boundscheck=False, wraparound=False
"""Inner loops of the synthetic market-data generator.

- A xoshiro256** generator (``rng_*``): fast, and the same stream on every platform and numpy
  version, which makes generated catalogs reproducible byte for byte.
- ``FundamentalPaths``: correlated log-price random walks on a fixed time grid, driven by one
  shared stochastic volatility (a log-OU process), so calm and busy periods alternate. The
  volatility multiplier doubles as the order-flow activity of every book.
- ``BookSimulator``: one venue's L2 book around a fair price (fundamental x venue basis noise
  x occasional dislocations x occasional shocks). Order flow arrives with a self-exciting
  (Hawkes-like) intensity: limit orders placed around the fair price (marketable ones trade
  through stale levels, which is how the book follows the fair price), cancels weighted away
  from the touch, and market orders that consume levels from the touch. Book changes are
  published per event or coalesced per venue interval (Binance ``depth@100ms``), with a
  per-venue feed delay. A shock (a large aggressive sweep, or a feed catching up) jumps the
  venue's fair price by tens of basis points and decays within seconds. The order flow alone
  follows the fair price by a few basis points a second, so while a shock lasts the book is
  moved to the fair price whenever its touch lags by more than a tolerance: an aggressive order
  sweeps the stale levels while the shock grows, their makers cancel them while it decays.

Level arrays are indexed by ``price_ticks & window_mask`` (a circular window of
``window_ticks``); the book is trimmed so that no level is farther than a quarter window from
its touch, and the window is wide enough for the largest shock, so two prices live or changed
between two messages never share a slot.
"""

import numpy as np

from libc.math cimport cos, exp, fabs, floor, log, sqrt
from libc.stdint cimport int8_t, int64_t, uint8_t, uint64_t

cdef enum:
    BID = 1
    ASK = 2
    ADD = 1
    UPDATE = 2
    DELETE = 3
    CLEAR = 4
    FLAG_LAST = 1
    FLAG_SNAPSHOT = 2
    BUYER = 1
    SELLER = 2
    NO_LEVEL = -1

cdef double TWO_PI = 6.283185307179586
# Order sizes keep 3 significant digits (below 10**3 lots they are exact).
cdef int64_t SIZE_DIGITS_LIMIT = 1000
cdef double NS_PER_S = 1e9
# AR(1) coefficient of the log feed-delay jitter per draw, and the innovation keeping its
# stationary standard deviation at 1.
cdef double DELAY_PERSISTENCE = 0.95
cdef double DELAY_INNOVATION = 0.31224989991991997
cdef Py_ssize_t INITIAL_ROWS = 1 << 14
# Shocks draw from their own stream (numbered above every book stream, which are crc32 + 1), so
# their times depend on the seed alone and a book without shocks draws exactly as before.
cdef uint64_t SHOCK_STREAM_OFFSET = 1ULL << 32
# Size of a sweep's aggressive order: more than any book holds (it stops at its limit price).
cdef int64_t SWEEP_LOTS = 1LL << 62


# -- RANDOM NUMBERS --

cdef inline uint64_t rotl(uint64_t x, int k) noexcept nogil:
    return (x << k) | (x >> (64 - k))


cdef inline uint64_t splitmix64(uint64_t* state) noexcept nogil:
    state[0] += 0x9E3779B97F4A7C15ULL
    cdef uint64_t z = state[0]
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL
    return z ^ (z >> 31)


cdef void rng_seed(RngState* rng, uint64_t seed, uint64_t stream) noexcept nogil:
    cdef uint64_t state = seed * 0x9E3779B97F4A7C15ULL + stream * 0xD1B54A32D192ED03ULL
    rng.s0 = splitmix64(&state)
    rng.s1 = splitmix64(&state)
    rng.s2 = splitmix64(&state)
    rng.s3 = splitmix64(&state)
    rng.has_spare = False
    rng.spare_normal = 0.0


cdef uint64_t rng_next(RngState* rng) noexcept nogil:
    cdef uint64_t result = rotl(rng.s1 * 5, 7) * 9
    cdef uint64_t t = rng.s1 << 17
    rng.s2 ^= rng.s0
    rng.s3 ^= rng.s1
    rng.s1 ^= rng.s2
    rng.s0 ^= rng.s3
    rng.s2 ^= t
    rng.s3 = rotl(rng.s3, 45)
    return result


cdef double rng_uniform(RngState* rng) noexcept nogil:
    # In (0, 1): never 0, so log() is safe.
    return ((rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0)


cdef double rng_normal(RngState* rng) noexcept nogil:
    cdef double radius
    cdef double angle
    if rng.has_spare:
        rng.has_spare = False
        return rng.spare_normal
    radius = sqrt(-2.0 * log(rng_uniform(rng)))
    angle = TWO_PI * rng_uniform(rng)
    rng.spare_normal = radius * cos(angle + 1.5707963267948966)
    rng.has_spare = True
    return radius * cos(angle)


cdef double rng_exponential(RngState* rng) noexcept nogil:
    return -log(rng_uniform(rng))


cdef int64_t rng_geometric(RngState* rng, double mean) noexcept nogil:
    # Failures before the first success, with the given mean (0 for mean <= 0).
    if mean <= 0.0:
        return 0
    return <int64_t>floor(log(rng_uniform(rng)) / log(mean / (mean + 1.0)))


cdef int64_t rng_lognormal_lots(RngState* rng, double median, double sigma) noexcept nogil:
    # Rounded to SIZE_DIGITS significant digits: people type round order sizes.
    cdef double value = median * exp(sigma * rng_normal(rng))
    if value < 1.0:
        return 1
    if value > 1e15:
        return <int64_t>1e15
    return round_significant(<int64_t>value)


cdef int64_t round_significant(int64_t lots) noexcept nogil:
    cdef int64_t scale = 1
    while lots >= SIZE_DIGITS_LIMIT * scale:
        scale *= 10
    return (lots // scale) * scale


# -- FUNDAMENTAL PATHS --

cdef class FundamentalPaths:
    """Correlated log-price random walks with one shared stochastic volatility.

    Parameters
    ----------
    seed : int
        Seed of the generator.
    prices : sequence of float
        Start price of each asset, in its quote currency.
    vol_per_sqrt_s : sequence of float
        Volatility of each asset's log price per square-root second (1e-4: about 0.01%
        typical move per second).
    correlation : sequence of float
        Correlation of each asset's shocks with asset 0's (asset 0's own entry is ignored).
    step_ns : int
        Grid step, ns.
    vol_mean_reversion_per_s : float
        Rate at which the volatility multiplier reverts to 1 (1/300: regimes of ~5 minutes).
    vol_of_vol : float
        Stationary standard deviation of the log volatility multiplier.

    Raises
    ------
    ValueError
        If the sequences differ in length, a price or volatility is not positive or the step
        is not positive.
    """

    def __init__(
        self,
        uint64_t seed,
        prices,
        vol_per_sqrt_s,
        correlation,
        int64_t step_ns,
        double vol_mean_reversion_per_s=1.0 / 300.0,
        double vol_of_vol=0.5,
    ):
        if not len(prices) == len(vol_per_sqrt_s) == len(correlation) or not len(prices):
            raise ValueError(
                "prices, vol_per_sqrt_s, correlation: expected equal non-empty lengths"
            )
        if min(prices) <= 0 or min(vol_per_sqrt_s) < 0 or step_ns <= 0:
            raise ValueError(
                f"prices {list(prices)}, vol_per_sqrt_s {list(vol_per_sqrt_s)}, step_ns"
                f" {step_ns}: expected positive values"
            )
        rng_seed(&self.rng, seed, 0)
        self.asset_count = len(prices)
        self.log_prices = np.log(np.asarray(prices, dtype=np.float64))
        self.vol_per_sqrt_s = np.asarray(vol_per_sqrt_s, dtype=np.float64).copy()
        self.correlation = np.clip(np.asarray(correlation, dtype=np.float64), -1.0, 1.0)
        self.log_vol_deviation = 0.0
        self.vol_mean_reversion_per_s = vol_mean_reversion_per_s
        self.vol_of_vol = vol_of_vol
        self.step_ns = step_ns

    cpdef int advance(self, double[:, ::1] out_log_prices, double[::1] out_activity) except -1:
        """Advance the paths by one step per output row.

        Parameters
        ----------
        out_log_prices : float64 array, shape (steps, asset_count)
            Receives each asset's log price after each step.
        out_activity : float64 array, shape (steps,)
            Receives the volatility multiplier (mean about 1) after each step.

        Returns
        -------
        int
            0.
        """
        cdef Py_ssize_t steps = out_log_prices.shape[0]
        cdef Py_ssize_t i
        cdef int asset
        cdef double dt_s = self.step_ns / NS_PER_S
        cdef double sqrt_dt = sqrt(dt_s)
        cdef double kappa = self.vol_mean_reversion_per_s
        # Shock size keeping the stationary standard deviation at vol_of_vol.
        cdef double shock = self.vol_of_vol * sqrt(2.0 * kappa * dt_s)
        cdef double multiplier
        cdef double z0
        cdef double z
        cdef double rho
        if out_log_prices.shape[1] != self.asset_count or out_activity.shape[0] != steps:
            raise ValueError("out arrays: expected shapes (steps, asset_count) and (steps,)")
        for i in range(steps):
            self.log_vol_deviation += (
                -kappa * dt_s * self.log_vol_deviation + shock * rng_normal(&self.rng)
            )
            multiplier = exp(self.log_vol_deviation)
            z0 = rng_normal(&self.rng)
            for asset in range(self.asset_count):
                rho = self.correlation[asset]
                z = z0 if asset == 0 else rho * z0 + sqrt(1.0 - rho * rho) * rng_normal(&self.rng)
                self.log_prices[asset] += self.vol_per_sqrt_s[asset] * multiplier * sqrt_dt * z
                out_log_prices[i, asset] = self.log_prices[asset]
            out_activity[i] = multiplier
        return 0


# -- BOOK SIMULATOR --

cdef class BookSimulator:
    """Simulate one instrument's L2 book, trades and quotes on one venue.

    Parameters
    ----------
    seed : int
        Seed of the simulator's own random stream.
    stream : int
        Stream number (one per book, so books are independent and reproducible).
    params : dict
        Model parameters (``backtest.synth.params.BookParams.engine_params()``): tick size,
        depth, rates, sizes, spacing, feed delay, basis, dislocation and shock settings.
    start_ns : int
        Simulation start, UNIX ns.

    Raises
    ------
    KeyError
        If a parameter is missing.
    ValueError
        If a parameter is out of range.
    """

    def __init__(self, uint64_t seed, uint64_t stream, dict params, int64_t start_ns):
        cdef int i
        rng_seed(&self.rng, seed, stream + 1)
        rng_seed(&self.shock_rng, seed, stream + 1 + SHOCK_STREAM_OFFSET)
        self.tick_size = params["tick_size"]
        self.depth_levels = params["depth_levels"]
        self.min_levels = params["min_levels"]
        self.event_rate_per_s = params["event_rate_per_s"]
        self.hawkes_jump_per_s = params["hawkes_jump_per_s"]
        self.hawkes_decay_per_s = params["hawkes_decay_per_s"]
        self.market_probability = params["market_probability"]
        self.add_probability = params["add_probability"]
        self.market_size_median_lots = params["market_size_median_lots"]
        self.market_size_sigma = params["market_size_sigma"]
        self.maker_pieces_mean = params["maker_pieces_mean"]
        self.sweep_ticks = params["sweep_ticks"]
        self.level_size_median_lots = params["level_size_median_lots"]
        self.level_size_sigma = params["level_size_sigma"]
        self.touch_add_probability = params["touch_add_probability"]
        self.marketable_probability = params["marketable_probability"]
        self.touch_size_multiplier = params["touch_size_multiplier"]
        self.deep_probability = params["deep_probability"]
        self.deep_range_ticks = self.depth_levels * (self.level_spacing_ticks + 1.0)
        self.improve_probability = params["improve_probability"]
        self.level_spacing_ticks = params["level_spacing_ticks"]
        self.half_spread_ticks = params["half_spread_ticks"]
        self.cancel_full_probability = params["cancel_full_probability"]
        self.cancel_touch_probability = params["cancel_touch_probability"]
        self.pressure_scale_ticks = params["pressure_scale_ticks"]
        self.publish_interval_ns = params["publish_interval_ns"]
        self.delay_base_ns = params["delay_base_ns"]
        self.delay_jitter_median_ns = params["delay_jitter_median_ns"]
        self.delay_jitter_sigma = params["delay_jitter_sigma"]
        self.basis_sigma = params["basis_sigma"]
        self.basis_mean_reversion_per_s = params["basis_mean_reversion_per_s"]
        self.dislocation_rate_per_s = params["dislocation_rate_per_s"]
        self.dislocation_size = params["dislocation_size"]
        self.dislocation_decay_per_s = params["dislocation_decay_per_s"]
        self.shock_rate_per_s = params["shock_rate_per_s"]
        self.shock_size_median = params["shock_size_median"]
        self.shock_size_sigma = params["shock_size_sigma"]
        self.shock_decay_per_s = params["shock_decay_per_s"]
        self.shock_size_max = params["shock_size_max"]
        self.shock_tolerance = params["shock_tolerance"]
        self.emit_quotes = params["emit_quotes"]
        if (
            self.tick_size <= 0
            or self.depth_levels < 1
            or not 1 <= self.min_levels <= self.depth_levels
        ):
            raise ValueError(
                f"tick_size {self.tick_size}, depth_levels {self.depth_levels}, min_levels"
                f" {self.min_levels}: expected tick_size > 0 and 1 <= min_levels <= depth_levels"
            )
        if self.event_rate_per_s <= 0 or self.level_spacing_ticks < 0:
            raise ValueError("event_rate_per_s must be > 0 and level_spacing_ticks >= 0")
        if (
            self.shock_rate_per_s < 0
            or self.shock_decay_per_s < 0
            or not 0 < self.shock_tolerance < self.shock_size_max
        ):
            raise ValueError(
                f"shock_rate_per_s {self.shock_rate_per_s}, shock_decay_per_s"
                f" {self.shock_decay_per_s}, shock_tolerance {self.shock_tolerance},"
                f" shock_size_max {self.shock_size_max}: expected rates >= 0 and"
                " 0 < shock_tolerance < shock_size_max"
            )
        self.window_ticks = 0
        self.window_mask = 0
        self.dirty_count = 0
        self.best_bid_ticks = NO_LEVEL
        self.worst_bid_ticks = NO_LEVEL
        self.best_ask_ticks = NO_LEVEL
        self.worst_ask_ticks = NO_LEVEL
        self.bid_levels = 0
        self.ask_levels = 0
        self.now_ns = start_ns
        self.fair_time_ns = start_ns
        self.next_publish_ns = start_ns + self.publish_interval_ns
        self.last_recv_ns = 0
        self.excitation_per_s = 0.0
        self.delay_state = 0.0
        self.basis = 0.0
        self.dislocation = 0.0
        self.shock = 0.0
        self.fair_ticks = 0.0
        self.trade_count = 0
        self.message_count = 0
        for i in range(4):
            self.quoted[i] = 0
        self.started = False
        self.book_rows = 0
        self.trade_rows = 0
        self.quote_rows = 0
        self._allocate_book(INITIAL_ROWS)
        self._allocate_trades(INITIAL_ROWS)
        self._allocate_quotes(INITIAL_ROWS)

    # -- BUFFERS --

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

    @property
    def best_bid_ask_ticks(self):
        """Current best bid and ask of the simulated (true) book, ticks (-1 when empty).

        Returns
        -------
        tuple of int
            ``(best_bid_ticks, best_ask_ticks)``.
        """
        return self.best_bid_ticks, self.best_ask_ticks

    # -- LEVELS --

    cdef int64_t level_lots(self, int side, int64_t price_ticks) noexcept nogil:
        if side == BID:
            return self.bid_lots[price_ticks & self.window_mask]
        return self.ask_lots[price_ticks & self.window_mask]

    cdef int set_level(self, int side, int64_t price_ticks, int64_t size_lots) except -1:
        cdef Py_ssize_t slot = price_ticks & self.window_mask
        cdef int64_t old_lots
        cdef int64_t[::1] lots = self.bid_lots if side == BID else self.ask_lots
        cdef uint8_t[::1] dirty = self.bid_dirty if side == BID else self.ask_dirty
        old_lots = lots[slot]
        if old_lots == size_lots:
            return 0
        lots[slot] = size_lots
        if not dirty[slot]:
            dirty[slot] = 1
            self.dirty_keys[self.dirty_count] = price_ticks * 2 + (side - 1)
            self.dirty_count += 1
        if old_lots == 0:
            if side == BID:
                self.bid_levels += 1
                if self.bid_levels == 1:
                    self.best_bid_ticks = price_ticks
                    self.worst_bid_ticks = price_ticks
                elif price_ticks > self.best_bid_ticks:
                    self.best_bid_ticks = price_ticks
                elif price_ticks < self.worst_bid_ticks:
                    self.worst_bid_ticks = price_ticks
            else:
                self.ask_levels += 1
                if self.ask_levels == 1:
                    self.best_ask_ticks = price_ticks
                    self.worst_ask_ticks = price_ticks
                elif price_ticks < self.best_ask_ticks:
                    self.best_ask_ticks = price_ticks
                elif price_ticks > self.worst_ask_ticks:
                    self.worst_ask_ticks = price_ticks
        elif size_lots == 0:
            if side == BID:
                self.bid_levels -= 1
                if self.bid_levels == 0:
                    self.best_bid_ticks = NO_LEVEL
                    self.worst_bid_ticks = NO_LEVEL
                elif price_ticks == self.best_bid_ticks:
                    self.best_bid_ticks = self.next_level(BID, price_ticks)
                elif price_ticks == self.worst_bid_ticks:
                    self.worst_bid_ticks = _scan_up(self.bid_lots, price_ticks, self.window_mask)
            else:
                self.ask_levels -= 1
                if self.ask_levels == 0:
                    self.best_ask_ticks = NO_LEVEL
                    self.worst_ask_ticks = NO_LEVEL
                elif price_ticks == self.best_ask_ticks:
                    self.best_ask_ticks = self.next_level(ASK, price_ticks)
                elif price_ticks == self.worst_ask_ticks:
                    self.worst_ask_ticks = _scan_down(self.ask_lots, price_ticks, self.window_mask)
        return 0

    cdef int64_t next_level(self, int side, int64_t from_ticks) noexcept nogil:
        # The next occupied level away from the touch, strictly beyond from_ticks.
        if side == BID:
            return _scan_down(self.bid_lots, from_ticks, self.window_mask)
        return _scan_up(self.ask_lots, from_ticks, self.window_mask)

    cdef int trim(self, int side) except -1:
        cdef int64_t reach = self.window_ticks // 4
        if side == BID:
            while self.bid_levels > self.depth_levels or (
                self.bid_levels > self.min_levels
                and self.best_bid_ticks - self.worst_bid_ticks > reach
            ):
                self.set_level(BID, self.worst_bid_ticks, 0)
        else:
            while self.ask_levels > self.depth_levels or (
                self.ask_levels > self.min_levels
                and self.worst_ask_ticks - self.best_ask_ticks > reach
            ):
                self.set_level(ASK, self.worst_ask_ticks, 0)
        return 0

    # -- TIME AND PRICES --

    cdef int64_t recv_time(self, int64_t ts_event_ns) noexcept nogil:
        # One connection per book: receive times never go back.
        # The log jitter is an AR(1) process: congestion lasts over consecutive messages.
        cdef double jitter_ns
        cdef int64_t recv_ns
        self.delay_state = DELAY_PERSISTENCE * self.delay_state + DELAY_INNOVATION * rng_normal(
            &self.rng
        )
        jitter_ns = self.delay_jitter_median_ns * exp(self.delay_jitter_sigma * self.delay_state)
        recv_ns = ts_event_ns + self.delay_base_ns + <int64_t>jitter_ns
        if recv_ns < self.last_recv_ns:
            recv_ns = self.last_recv_ns
        self.last_recv_ns = recv_ns
        return recv_ns

    cdef void update_fair(self, double log_fair, double dt_s) noexcept nogil:
        cdef double decay
        cdef double sign
        if dt_s > 0.0:
            self.basis += -self.basis_mean_reversion_per_s * dt_s * self.basis + (
                self.basis_sigma * sqrt(2.0 * self.basis_mean_reversion_per_s * dt_s)
                * rng_normal(&self.rng)
            )
            decay = exp(-self.dislocation_decay_per_s * dt_s)
            self.dislocation *= decay
            if rng_uniform(&self.rng) < self.dislocation_rate_per_s * dt_s:
                self.dislocation += self.dislocation_size * (0.5 + rng_uniform(&self.rng)) * (
                    1.0 if rng_uniform(&self.rng) < 0.5 else -1.0
                )
            self.shock *= exp(-self.shock_decay_per_s * dt_s)
            if rng_uniform(&self.shock_rng) < self.shock_rate_per_s * dt_s:
                sign = 1.0 if rng_uniform(&self.shock_rng) < 0.5 else -1.0
                self.shock += sign * self.shock_size_median * exp(
                    self.shock_size_sigma * rng_normal(&self.shock_rng)
                )
                self.shock = max(-self.shock_size_max, min(self.shock_size_max, self.shock))
        self.fair_ticks = (
            exp(log_fair + self.basis + self.dislocation + self.shock) / self.tick_size
        )

    # -- EVENTS --

    cdef int allocate_levels(self) except -1:
        # Size the level window once the fair price is known. A quarter window must hold one
        # side at its depth and mean spacing, twice over; with shocks, half a window must also
        # hold the farthest the book moves between two messages (from one extreme shock to the
        # other, two largest shocks), twice over.
        cdef int64_t window = 1
        cdef double shock_ticks = 0.0
        if self.shock_rate_per_s > 0.0:
            shock_ticks = self.fair_ticks * (exp(self.shock_size_max) - 1.0)
        while window < 8 * (self.depth_levels * (self.level_spacing_ticks + 1.0) + 64) or (
            window < 8 * shock_ticks
        ):
            window <<= 1
        self.window_ticks = window
        self.window_mask = window - 1
        self.bid_lots = np.zeros(window, dtype=np.int64)
        self.ask_lots = np.zeros(window, dtype=np.int64)
        self.bid_published_lots = np.zeros(window, dtype=np.int64)
        self.ask_published_lots = np.zeros(window, dtype=np.int64)
        self.bid_dirty = np.zeros(window, dtype=np.uint8)
        self.ask_dirty = np.zeros(window, dtype=np.uint8)
        self.dirty_keys = np.zeros(2 * window, dtype=np.int64)
        return 0

    cdef int start_book(self, int64_t ts_ns) except -1:
        # Build both sides around the fair price and publish them as one snapshot.
        cdef int64_t bid_ticks = <int64_t>floor(self.fair_ticks - self.half_spread_ticks)
        cdef int64_t ask_ticks = <int64_t>floor(self.fair_ticks + self.half_spread_ticks) + 1
        cdef int64_t recv_ns
        cdef int64_t[::1] keys
        cdef Py_ssize_t i
        cdef Py_ssize_t count
        if ask_ticks <= bid_ticks:
            ask_ticks = bid_ticks + 1
        self.allocate_levels()
        for _ in range(self.depth_levels):
            self.set_level(BID, bid_ticks, self.draw_level_lots())
            self.set_level(ASK, ask_ticks, self.draw_level_lots())
            bid_ticks -= 1 + rng_geometric(&self.rng, self.level_spacing_ticks - 1.0)
            ask_ticks += 1 + rng_geometric(&self.rng, self.level_spacing_ticks - 1.0)
        self.trim(BID)
        self.trim(ASK)
        count = self.dirty_count
        self.reserve_book(count + 1)
        recv_ns = self.recv_time(ts_ns)
        self.message_count += 1
        self._book_row(recv_ns, ts_ns, 0, 0, 0, CLEAR, FLAG_SNAPSHOT)
        keys = np.sort(np.asarray(self.dirty_keys[:count]))
        for i in range(count):
            self._publish_key(keys[i], recv_ns, ts_ns, ADD, FLAG_SNAPSHOT)
        self.book_flags[self.book_rows - 1] |= FLAG_LAST
        self._clear_dirty()
        if self.emit_quotes:
            self.emit_quote(ts_ns)
        return 0

    cdef inline int64_t draw_level_lots(self) noexcept nogil:
        return rng_lognormal_lots(&self.rng, self.level_size_median_lots, self.level_size_sigma)

    cdef int on_event(self, int64_t ts_ns) except -1:
        cdef double u = rng_uniform(&self.rng)
        cdef double gap_ticks = self.fair_ticks - 0.5 * (self.best_bid_ticks + self.best_ask_ticks)
        cdef double buy_probability = 1.0 / (1.0 + exp(-gap_ticks / self.pressure_scale_ticks))
        cdef int sweep_side = self.shock_sweep_side()
        cdef int64_t size_lots
        if sweep_side:
            self.sweep(sweep_side, ts_ns)
        elif u < self.market_probability:
            size_lots = rng_lognormal_lots(
                &self.rng, self.market_size_median_lots, self.market_size_sigma
            )
            if rng_uniform(&self.rng) < buy_probability:
                self.take(BID, size_lots, self.best_ask_ticks + <int64_t>self.sweep_ticks, ts_ns)
            else:
                self.take(ASK, size_lots, self.best_bid_ticks - <int64_t>self.sweep_ticks, ts_ns)
        elif u < self.market_probability + self.add_probability:
            self.add_order(BID if rng_uniform(&self.rng) < 0.5 else ASK, ts_ns)
        else:
            self.cancel_order(BID if rng_uniform(&self.rng) < 0.5 else ASK)
        if self.emit_quotes:
            self.emit_quote(ts_ns)
        if self.publish_interval_ns == 0:
            self.publish(ts_ns)
        return 0

    cdef int shock_sweep_side(self) noexcept nogil:
        # While a shock lasts, the side that sweeps the book (BID buys, ASK sells) when the touch
        # lags the fair price by more than the tolerance; 0 otherwise.
        cdef double tolerance_ticks = max(self.fair_ticks * self.shock_tolerance, 1.0)
        if fabs(self.shock) <= self.shock_tolerance:
            return 0
        if self.best_ask_ticks + tolerance_ticks < self.fair_ticks:
            return BID
        if self.best_bid_ticks - tolerance_ticks > self.fair_ticks:
            return ASK
        return 0

    cdef int sweep(self, int side, int64_t ts_ns) except -1:
        # Move the touch to the fair price by clearing the opposite levels up to it. While the
        # shock grows, an aggressive order of ``side`` takes them (trades); while it decays,
        # their makers cancel them. Makers requote the opposite side beyond the fair price first
        # (so it keeps min_levels), then ``side`` from the fair price back (so the trim drops
        # the levels left far behind).
        cdef int passive = ASK if side == BID else BID
        cdef int64_t limit_ticks
        cdef int64_t price_ticks
        if side == BID:
            limit_ticks = <int64_t>floor(self.fair_ticks - self.half_spread_ticks)
            self.requote(ASK, limit_ticks + 1)
        else:
            limit_ticks = <int64_t>floor(self.fair_ticks + self.half_spread_ticks) + 1
            self.requote(BID, limit_ticks - 1)
        if (self.shock > 0.0) == (side == BID):
            self.take(side, SWEEP_LOTS, limit_ticks, ts_ns)
        else:
            price_ticks = self.best_ask_ticks if side == BID else self.best_bid_ticks
            while (price_ticks <= limit_ticks) if side == BID else (price_ticks >= limit_ticks):
                self.set_level(passive, price_ticks, 0)
                price_ticks = self.best_ask_ticks if side == BID else self.best_bid_ticks
        self.requote(side, limit_ticks)
        self.trim(BID)
        self.trim(ASK)
        return 0

    cdef int requote(self, int side, int64_t touch_ticks) except -1:
        # Market makers quote ``side`` from touch_ticks away from the spread: a touch-sized order
        # at touch_ticks, then ordinary levels until the side holds min_levels levels within a
        # quarter window of touch_ticks (levels through touch_ticks do not count).
        cdef int64_t reach_ticks = self.window_ticks // 4
        cdef int64_t away = -1 if side == BID else 1
        cdef int64_t price_ticks = self.best_bid_ticks if side == BID else self.best_ask_ticks
        cdef int64_t worst_ticks = self.worst_bid_ticks if side == BID else self.worst_ask_ticks
        cdef int64_t size_lots
        cdef int near = 0
        while (price_ticks - touch_ticks) * away <= reach_ticks:
            if (price_ticks - touch_ticks) * away >= 0:
                near += 1
            if price_ticks == worst_ticks:
                break
            price_ticks = self.next_level(side, price_ticks)
        size_lots = <int64_t>(self.draw_level_lots() * self.touch_size_multiplier) + 1
        if self.level_lots(side, touch_ticks) == 0:
            near += 1
        self.set_level(side, touch_ticks, self.level_lots(side, touch_ticks) + size_lots)
        price_ticks = touch_ticks
        while near < self.min_levels:
            price_ticks += away * (1 + rng_geometric(&self.rng, self.level_spacing_ticks - 1.0))
            if self.level_lots(side, price_ticks) == 0:
                near += 1
            self.set_level(
                side, price_ticks, self.level_lots(side, price_ticks) + self.draw_level_lots()
            )
        return 0

    cdef int add_order(self, int side, int64_t ts_ns) except -1:
        cdef int64_t size_lots = self.draw_level_lots()
        cdef int64_t spread_ticks = self.best_ask_ticks - self.best_bid_ticks
        cdef double u = rng_uniform(&self.rng)
        cdef int64_t price_ticks
        cdef int64_t distance_ticks
        cdef int64_t left_lots
        if u < self.improve_probability + self.touch_add_probability:
            # Market makers quote the touch with bigger orders than the rest of the book.
            size_lots = <int64_t>(size_lots * self.touch_size_multiplier) + 1
        if spread_ticks > 1 and u < self.improve_probability:
            # Improve the touch, toward the fair price, without crossing.
            if side == BID:
                price_ticks = <int64_t>floor(self.fair_ticks - self.half_spread_ticks)
                price_ticks = max(price_ticks, self.best_bid_ticks + 1)
                price_ticks = min(price_ticks, self.best_ask_ticks - 1)
            else:
                price_ticks = <int64_t>floor(self.fair_ticks + self.half_spread_ticks) + 1
                price_ticks = min(price_ticks, self.best_ask_ticks - 1)
                price_ticks = max(price_ticks, self.best_bid_ticks + 1)
        elif u < self.improve_probability + self.touch_add_probability:
            # Join at or near the touch.
            if side == BID:
                price_ticks = self.best_bid_ticks - rng_geometric(&self.rng, 0.5)
            else:
                price_ticks = self.best_ask_ticks + rng_geometric(&self.rng, 0.5)
        elif u < self.improve_probability + self.touch_add_probability + self.deep_probability:
            # Deep in the book: anywhere within the side's depth.
            if side == BID:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * self.deep_range_ticks)
                price_ticks = self.best_bid_ticks - distance_ticks
            else:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * self.deep_range_ticks)
                price_ticks = self.best_ask_ticks + distance_ticks
        else:
            # Rest around the fair price, away from it by the level spacing.
            if side == BID:
                price_ticks = <int64_t>floor(self.fair_ticks - self.half_spread_ticks) - (
                    rng_geometric(&self.rng, self.level_spacing_ticks)
                )
            else:
                price_ticks = <int64_t>floor(self.fair_ticks + self.half_spread_ticks) + 1 + (
                    rng_geometric(&self.rng, self.level_spacing_ticks)
                )
        if side == BID and price_ticks >= self.best_ask_ticks:
            if rng_uniform(&self.rng) >= self.marketable_probability:
                # A maker that will not cross pegs one tick inside the ask (or to the bid).
                price_ticks = max(self.best_ask_ticks - 1, self.best_bid_ticks)
            else:
                left_lots = self.take(BID, size_lots, price_ticks, ts_ns)
                if left_lots == 0 or price_ticks >= self.best_ask_ticks:
                    return 0
                size_lots = left_lots
        elif side == ASK and price_ticks <= self.best_bid_ticks:
            if rng_uniform(&self.rng) >= self.marketable_probability:
                price_ticks = min(self.best_bid_ticks + 1, self.best_ask_ticks)
            else:
                left_lots = self.take(ASK, size_lots, price_ticks, ts_ns)
                if left_lots == 0 or price_ticks <= self.best_bid_ticks:
                    return 0
                size_lots = left_lots
        self.set_level(side, price_ticks, self.level_lots(side, price_ticks) + size_lots)
        self.trim(side)
        return 0

    cdef int cancel_order(self, int side) except -1:
        cdef int levels = self.bid_levels if side == BID else self.ask_levels
        cdef int64_t best_ticks = self.best_bid_ticks if side == BID else self.best_ask_ticks
        cdef int64_t worst_ticks = self.worst_bid_ticks if side == BID else self.worst_ask_ticks
        cdef double stale
        cdef double u
        cdef int64_t price_ticks
        cdef int64_t distance_ticks
        cdef int64_t level_lots
        cdef int64_t cancel_lots
        if levels <= self.min_levels:
            return 0
        # Quotes through the fair price are stale: their owners cancel them first.
        if side == BID:
            stale = (best_ticks - self.fair_ticks) / self.pressure_scale_ticks
        else:
            stale = (self.fair_ticks - best_ticks) / self.pressure_scale_ticks
        u = rng_uniform(&self.rng)
        if u < self.cancel_touch_probability + max(0.0, min(1.0, stale)):
            price_ticks = best_ticks
        elif u < self.cancel_touch_probability + max(0.0, min(1.0, stale)) + self.deep_probability:
            # Deep in the book: the level at or beyond a uniform point between touch and worst.
            if side == BID:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * (best_ticks - worst_ticks))
                price_ticks = best_ticks - distance_ticks
                price_ticks = _scan_down(self.bid_lots, price_ticks + 1, self.window_mask)
            else:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * (worst_ticks - best_ticks))
                price_ticks = best_ticks + distance_ticks
                price_ticks = _scan_up(self.ask_lots, price_ticks - 1, self.window_mask)
        else:
            distance_ticks = rng_geometric(&self.rng, 2.0 * self.level_spacing_ticks + 1.0)
            if side == BID:
                price_ticks = best_ticks - distance_ticks
                price_ticks = (
                    worst_ticks if price_ticks <= worst_ticks
                    else _scan_down(self.bid_lots, price_ticks + 1, self.window_mask)
                )
            else:
                price_ticks = best_ticks + distance_ticks
                price_ticks = (
                    worst_ticks if price_ticks >= worst_ticks
                    else _scan_up(self.ask_lots, price_ticks - 1, self.window_mask)
                )
        level_lots = self.level_lots(side, price_ticks)
        if level_lots == 1 or rng_uniform(&self.rng) < self.cancel_full_probability:
            self.set_level(side, price_ticks, 0)
        else:
            cancel_lots = 1 + <int64_t>((level_lots - 1) * rng_uniform(&self.rng))
            self.set_level(side, price_ticks, level_lots - round_significant(cancel_lots))
        return 0

    cdef int take(
        self, int side, int64_t size_lots, int64_t limit_ticks, int64_t ts_ns
    ) except? -1:
        # An aggressive order of ``side`` (BID buys from the asks) up to ``limit_ticks``;
        # returns the lots left. Leaves at least min_levels levels on the passive side.
        cdef int passive = ASK if side == BID else BID
        cdef int64_t price_ticks
        cdef int64_t level_lots
        cdef int64_t fill_lots
        cdef int levels
        while size_lots > 0:
            if passive == ASK:
                price_ticks = self.best_ask_ticks
                levels = self.ask_levels
                if price_ticks > limit_ticks:
                    break
            else:
                price_ticks = self.best_bid_ticks
                levels = self.bid_levels
                if price_ticks < limit_ticks:
                    break
            level_lots = self.level_lots(passive, price_ticks)
            fill_lots = min(size_lots, level_lots)
            if fill_lots == level_lots and levels <= self.min_levels:
                fill_lots = level_lots - 1
                if fill_lots > 0:
                    self.emit_trades(side, price_ticks, fill_lots, ts_ns)
                    self.set_level(passive, price_ticks, 1)
                return size_lots - fill_lots
            self.emit_trades(side, price_ticks, fill_lots, ts_ns)
            self.set_level(passive, price_ticks, level_lots - fill_lots)
            size_lots -= fill_lots
        return size_lots

    cdef int emit_trades(
        self, int side, int64_t price_ticks, int64_t fill_lots, int64_t ts_ns
    ) except -1:
        # One fill against several resting orders: split into maker-sized pieces.
        cdef int64_t pieces = 1 + rng_geometric(&self.rng, self.maker_pieces_mean - 1.0)
        cdef int64_t piece
        cdef int64_t base_lots
        cdef int64_t recv_ns = self.recv_time(ts_ns)
        if pieces > fill_lots:
            pieces = fill_lots
        self.reserve_trades(pieces)
        base_lots = fill_lots // pieces
        for piece in range(pieces):
            self.trade_count += 1
            self.trade_ts_recv[self.trade_rows] = recv_ns
            self.trade_ts_event[self.trade_rows] = ts_ns
            self.trade_price[self.trade_rows] = price_ticks
            self.trade_size[self.trade_rows] = (
                base_lots + fill_lots - base_lots * pieces if piece == 0 else base_lots
            )
            self.trade_aggressor[self.trade_rows] = BUYER if side == BID else SELLER
            self.trade_id[self.trade_rows] = self.trade_count
            self.trade_rows += 1
        return 0

    cdef int emit_quote(self, int64_t ts_ns) except -1:
        cdef int64_t bid_lots = self.level_lots(BID, self.best_bid_ticks)
        cdef int64_t ask_lots = self.level_lots(ASK, self.best_ask_ticks)
        if (
            self.quoted[0] == self.best_bid_ticks and self.quoted[1] == bid_lots
            and self.quoted[2] == self.best_ask_ticks and self.quoted[3] == ask_lots
        ):
            return 0
        self.quoted[0] = self.best_bid_ticks
        self.quoted[1] = bid_lots
        self.quoted[2] = self.best_ask_ticks
        self.quoted[3] = ask_lots
        self.reserve_quotes(1)
        self.quote_ts_recv[self.quote_rows] = self.recv_time(ts_ns)
        self.quote_ts_event[self.quote_rows] = ts_ns
        self.quote_bid_price[self.quote_rows] = self.best_bid_ticks
        self.quote_bid_size[self.quote_rows] = bid_lots
        self.quote_ask_price[self.quote_rows] = self.best_ask_ticks
        self.quote_ask_size[self.quote_rows] = ask_lots
        self.quote_rows += 1
        return 0

    cdef int publish(self, int64_t ts_ns) except -1:
        # One venue message with the levels changed since the last one: shrinking levels first,
        # then growing ones, so a reader applying row by row never sees a crossed book.
        cdef Py_ssize_t i
        cdef Py_ssize_t changed = 0
        cdef Py_ssize_t start_rows
        cdef int64_t key
        cdef int64_t recv_ns
        cdef int phase
        if self.dirty_count == 0:
            return 0
        for i in range(self.dirty_count):
            key = self.dirty_keys[i]
            if self._current_lots(key) != self._published_lots(key):
                changed += 1
        if changed == 0:
            self._clear_dirty()
            return 0
        self.reserve_book(changed)
        recv_ns = self.recv_time(ts_ns)
        self.message_count += 1
        start_rows = self.book_rows
        for phase in range(2):
            for i in range(self.dirty_count):
                key = self.dirty_keys[i]
                if (self._current_lots(key) < self._published_lots(key)) == (phase == 0) and (
                    self._current_lots(key) != self._published_lots(key)
                ):
                    self._publish_key(key, recv_ns, ts_ns, UPDATE, 0)
        self.book_flags[start_rows + changed - 1] |= FLAG_LAST
        self._clear_dirty()
        return 0

    cdef inline int64_t _current_lots(self, int64_t key) noexcept nogil:
        if key & 1:
            return self.ask_lots[(key >> 1) & self.window_mask]
        return self.bid_lots[(key >> 1) & self.window_mask]

    cdef inline int64_t _published_lots(self, int64_t key) noexcept nogil:
        if key & 1:
            return self.ask_published_lots[(key >> 1) & self.window_mask]
        return self.bid_published_lots[(key >> 1) & self.window_mask]

    cdef inline void _clear_dirty(self) noexcept nogil:
        cdef Py_ssize_t i
        cdef int64_t key
        for i in range(self.dirty_count):
            key = self.dirty_keys[i]
            if key & 1:
                self.ask_dirty[(key >> 1) & self.window_mask] = 0
            else:
                self.bid_dirty[(key >> 1) & self.window_mask] = 0
        self.dirty_count = 0

    cdef inline void _publish_key(
        self, int64_t key, int64_t recv_ns, int64_t ts_ns, int action, int flags
    ) noexcept nogil:
        # Write one level's current size as a book row and remember it as published.
        cdef int64_t price_ticks = key >> 1
        cdef Py_ssize_t slot = price_ticks & self.window_mask
        cdef int64_t now_lots
        cdef int64_t was_lots
        cdef int side = ASK if key & 1 else BID
        if side == ASK:
            now_lots = self.ask_lots[slot]
            was_lots = self.ask_published_lots[slot]
            self.ask_published_lots[slot] = now_lots
        else:
            now_lots = self.bid_lots[slot]
            was_lots = self.bid_published_lots[slot]
            self.bid_published_lots[slot] = now_lots
        if action == UPDATE:
            action = ADD if was_lots == 0 else (DELETE if now_lots == 0 else UPDATE)
        self._book_row(recv_ns, ts_ns, side, price_ticks, now_lots, action, flags)

    cdef inline void _book_row(
        self, int64_t recv_ns, int64_t ts_ns, int side, int64_t price_ticks, int64_t size_lots,
        int action, int flags,
    ) noexcept nogil:
        cdef Py_ssize_t row = self.book_rows
        self.book_ts_recv[row] = recv_ns
        self.book_ts_event[row] = ts_ns
        self.book_sequence[row] = <uint64_t>self.message_count
        self.book_side[row] = <int8_t>side
        self.book_price[row] = price_ticks
        self.book_size[row] = size_lots
        self.book_action[row] = <uint8_t>action
        self.book_flags[row] = <uint8_t>flags
        self.book_rows += 1

    # -- DRIVER --

    cpdef int run_until(
        self,
        int64_t end_ns,
        const double[::1] log_fair,
        const double[::1] activity,
        int64_t grid_start_ns,
        int64_t grid_step_ns,
        Py_ssize_t max_rows,
    ) except -1:
        """Simulate until ``end_ns`` or until ``max_rows`` rows wait in the buffers.

        Parameters
        ----------
        end_ns : int
            End of the time slice, UNIX ns (exclusive).
        log_fair : float64 array
            Log fair price of the instrument (quote currency) at each grid point of the slice.
        activity : float64 array
            Order-flow multiplier at each grid point (mean about 1).
        grid_start_ns : int
            Time of the first grid point, ns.
        grid_step_ns : int
            Grid step, ns.
        max_rows : int
            Return once this many rows wait in the buffers (call again to go on).

        Returns
        -------
        int
            0 when ``end_ns`` was reached, 1 when stopped by ``max_rows``.

        Raises
        ------
        ValueError
            If the grid does not cover the slice.
        """
        cdef Py_ssize_t grid_points = log_fair.shape[0]
        cdef Py_ssize_t grid_index
        cdef double rate_per_s
        cdef double wait_s
        cdef int64_t next_ns
        if activity.shape[0] != grid_points or grid_step_ns <= 0:
            raise ValueError("log_fair, activity: expected one value per grid point")
        if grid_start_ns + grid_points * grid_step_ns < end_ns or grid_start_ns > self.now_ns:
            raise ValueError(
                f"grid [{grid_start_ns}, +{grid_points} x {grid_step_ns} ns) does not cover"
                f" [{self.now_ns}, {end_ns})"
            )
        if not self.started:
            self.fair_time_ns = self.now_ns
            self.update_fair(log_fair[(self.now_ns - grid_start_ns) // grid_step_ns], 0.0)
            self.start_book(self.now_ns)
            self.started = True
        while True:
            grid_index = (self.now_ns - grid_start_ns) // grid_step_ns
            rate_per_s = self.event_rate_per_s * activity[grid_index] + self.excitation_per_s
            wait_s = rng_exponential(&self.rng) / rate_per_s
            next_ns = self.now_ns + <int64_t>(wait_s * NS_PER_S) + 1
            while self.publish_interval_ns > 0 and self.next_publish_ns <= next_ns and (
                self.next_publish_ns < end_ns
            ):
                self.publish(self.next_publish_ns)
                self.next_publish_ns += self.publish_interval_ns
            if next_ns >= end_ns:
                self.excitation_per_s *= exp(
                    -self.hawkes_decay_per_s * (end_ns - self.now_ns) / NS_PER_S
                )
                self.now_ns = end_ns
                return 0
            self.excitation_per_s *= exp(-self.hawkes_decay_per_s * wait_s)
            self.now_ns = next_ns
            while self.fair_time_ns + grid_step_ns <= self.now_ns:
                self.fair_time_ns += grid_step_ns
                self.update_fair(
                    log_fair[(self.fair_time_ns - grid_start_ns) // grid_step_ns],
                    grid_step_ns / NS_PER_S,
                )
            self.on_event(self.now_ns)
            self.excitation_per_s += self.hawkes_jump_per_s
            if self.book_rows + self.trade_rows + self.quote_rows >= max_rows:
                return 1


cdef int64_t _scan_down(int64_t[::1] lots, int64_t from_ticks, int64_t mask) noexcept nogil:
    # Highest occupied price strictly below from_ticks (the caller knows one exists).
    cdef int64_t price_ticks = from_ticks - 1
    while lots[price_ticks & mask] == 0:
        price_ticks -= 1
    return price_ticks


cdef int64_t _scan_up(int64_t[::1] lots, int64_t from_ticks, int64_t mask) noexcept nogil:
    # Lowest occupied price strictly above from_ticks (the caller knows one exists).
    cdef int64_t price_ticks = from_ticks + 1
    while lots[price_ticks & mask] == 0:
        price_ticks += 1
    return price_ticks


def _grown(old, Py_ssize_t capacity, dtype, Py_ssize_t rows):
    # A buffer of ``capacity`` rows holding the first ``rows`` rows of ``old``.
    new = np.zeros(capacity, dtype=dtype)
    if old is not None and rows:
        new[:rows] = np.asarray(old)[:rows]
    return new
