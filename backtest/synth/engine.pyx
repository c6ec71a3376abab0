# cython: boundscheck=False, wraparound=False
"""Order flow and driver of one simulated venue book: the synthetic generator's inner loop.

``BookSimulator``: one venue's L2 book around the venue's fair price (``venue_price``). Order
flow arrives with a self-exciting (Hawkes-like) intensity: limit orders placed around the fair
price (marketable ones trade through stale levels, which is how the book follows the fair
price), cancels weighted away from the touch, and market orders that consume levels from the
touch. While a shock lasts the book is moved to the fair price whenever its touch lags by more
than a tolerance: an aggressive order sweeps the stale levels while the shock grows, their
makers cancel them while it decays. Book changes are published per event or coalesced per
venue interval (Binance ``depth@100ms``), with the venue's feed delay (``feed_delay``).

The levels live in a ``levels.LevelWindow``, the rows in a ``rows.RowBuffers``, and every draw
comes from the seeded ``rng`` streams; all are called at C level, none per event from Python.
"""

import numpy as np

from libc.math cimport exp, floor
from libc.stdint cimport int64_t, uint64_t

from backtest.synth.codes cimport (
    ADD,
    ASK,
    BID,
    BUYER,
    CLEAR,
    DELETE,
    FLAG_LAST,
    FLAG_SNAPSHOT,
    SELLER,
    UPDATE,
)
from backtest.synth.feed_delay cimport FeedDelay
from backtest.synth.levels cimport LevelWindow
from backtest.synth.rng cimport (
    rng_exponential,
    rng_geometric,
    rng_lognormal_lots,
    rng_seed,
    rng_uniform,
    round_significant,
)
from backtest.synth.rows cimport RowBuffers
from backtest.synth.venue_price cimport VenuePrice

cdef double NS_PER_S = 1e9
# Size of a sweep's aggressive order: more than any book holds (it stops at its limit price).
cdef int64_t SWEEP_LOTS = 1LL << 62


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
        cdef double tick_size = params["tick_size"]
        cdef int depth_levels = params["depth_levels"]
        cdef int min_levels = params["min_levels"]
        rng_seed(&self.rng, seed, stream + 1)
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
        # level_spacing_ticks is still 0 here, so this is depth_levels ticks; the bundled
        # sample (data/SHA256SUMS) pins it.
        self.deep_range_ticks = depth_levels * (self.level_spacing_ticks + 1.0)
        self.improve_probability = params["improve_probability"]
        self.level_spacing_ticks = params["level_spacing_ticks"]
        self.half_spread_ticks = params["half_spread_ticks"]
        self.cancel_full_probability = params["cancel_full_probability"]
        self.cancel_touch_probability = params["cancel_touch_probability"]
        self.pressure_scale_ticks = params["pressure_scale_ticks"]
        self.publish_interval_ns = params["publish_interval_ns"]
        self.emit_quotes = params["emit_quotes"]
        if tick_size <= 0 or depth_levels < 1 or not 1 <= min_levels <= depth_levels:
            raise ValueError(
                f"tick_size {tick_size}, depth_levels {depth_levels}, min_levels"
                f" {min_levels}: expected tick_size > 0 and 1 <= min_levels <= depth_levels"
            )
        if self.event_rate_per_s <= 0 or self.level_spacing_ticks < 0:
            raise ValueError("event_rate_per_s must be > 0 and level_spacing_ticks >= 0")
        self.venue = VenuePrice(seed, stream, params)
        self.feed = FeedDelay(
            params["delay_base_ns"], params["delay_jitter_median_ns"], params["delay_jitter_sigma"]
        )
        self.levels = LevelWindow(depth_levels, min_levels)
        self.rows = RowBuffers()
        self.now_ns = start_ns
        self.fair_time_ns = start_ns
        self.next_publish_ns = start_ns + self.publish_interval_ns
        self.excitation_per_s = 0.0
        self.trade_count = 0
        self.message_count = 0
        self.resync_count = 0
        for i in range(4):
            self.quoted[i] = 0
        self.started = False

    def drain(self):
        """Return the buffered rows and empty the buffers.

        Returns
        -------
        tuple of dict
            ``(book, trades, quotes)`` column dictionaries of numpy arrays named as the
            catalog schemas (``trade_id`` as int64; the caller turns it into text).
        """
        return self.rows.drain()

    @property
    def best_bid_ask_ticks(self):
        """Current best bid and ask of the simulated (true) book, ticks (-1 when empty).

        Returns
        -------
        tuple of int
            ``(best_bid_ticks, best_ask_ticks)``.
        """
        return self.levels.best_bid_ticks, self.levels.best_ask_ticks

    # -- EVENTS --

    cdef int start_book(self, int64_t ts_ns) except -1:
        # Size the level window for this venue's prices, then publish the first snapshot.
        self.levels.allocate(self.level_spacing_ticks, self.venue.max_move_ticks())
        return self.snapshot_book(ts_ns)

    cdef int resync_book(self, int64_t ts_ns) except -1:
        # The venue's book must move farther than the level window can hold (the book lagged a
        # fast-moving fair price and a shock now sweeps it): the venue rebuilds it around the
        # fair price and publishes a fresh snapshot, as a real feed does after a resync.
        self.resync_count += 1
        self.levels.clear()
        return self.snapshot_book(ts_ns)

    cdef int snapshot_book(self, int64_t ts_ns) except -1:
        # Build both sides around the fair price on an empty window and publish them as one
        # snapshot.
        cdef int64_t bid_ticks = <int64_t>floor(self.venue.fair_ticks - self.half_spread_ticks)
        cdef int64_t ask_ticks = <int64_t>floor(self.venue.fair_ticks + self.half_spread_ticks) + 1
        cdef int64_t recv_ns
        cdef int64_t[::1] keys
        cdef Py_ssize_t i
        cdef Py_ssize_t count
        if ask_ticks <= bid_ticks:
            ask_ticks = bid_ticks + 1
        for _ in range(self.levels.depth_levels):
            self.levels.set_level(BID, bid_ticks, self.draw_level_lots())
            self.levels.set_level(ASK, ask_ticks, self.draw_level_lots())
            bid_ticks -= 1 + rng_geometric(&self.rng, self.level_spacing_ticks - 1.0)
            ask_ticks += 1 + rng_geometric(&self.rng, self.level_spacing_ticks - 1.0)
        self.levels.trim(BID)
        self.levels.trim(ASK)
        count = self.levels.dirty_count
        self.rows.reserve_book(count + 1)
        recv_ns = self.feed.recv_time(&self.rng, ts_ns)
        self.message_count += 1
        self.rows.book_row(
            recv_ns, ts_ns, <uint64_t>self.message_count, 0, 0, 0, CLEAR, FLAG_SNAPSHOT
        )
        keys = np.sort(np.asarray(self.levels.dirty_keys[:count]))
        for i in range(count):
            self._publish_key(keys[i], recv_ns, ts_ns, ADD, FLAG_SNAPSHOT)
        self.rows.flag_last_book_row(FLAG_LAST)
        self.levels.clear_dirty()
        if self.emit_quotes:
            self.emit_quote(ts_ns)
        return 0

    cdef inline int64_t draw_level_lots(self) noexcept nogil:
        return rng_lognormal_lots(&self.rng, self.level_size_median_lots, self.level_size_sigma)

    cdef int on_event(self, int64_t ts_ns) except -1:
        cdef double u = rng_uniform(&self.rng)
        cdef double gap_ticks = self.venue.fair_ticks - 0.5 * (
            self.levels.best_bid_ticks + self.levels.best_ask_ticks
        )
        cdef double buy_probability = 1.0 / (1.0 + exp(-gap_ticks / self.pressure_scale_ticks))
        cdef int sweep_side = self.venue.shock_sweep_side(
            self.levels.best_bid_ticks, self.levels.best_ask_ticks
        )
        cdef int64_t size_lots
        cdef int64_t limit_ticks
        if sweep_side:
            self.sweep(sweep_side, ts_ns)
        elif u < self.market_probability:
            size_lots = rng_lognormal_lots(
                &self.rng, self.market_size_median_lots, self.market_size_sigma
            )
            if rng_uniform(&self.rng) < buy_probability:
                limit_ticks = self.levels.best_ask_ticks + <int64_t>self.sweep_ticks
                self.take(BID, size_lots, limit_ticks, ts_ns)
            else:
                limit_ticks = self.levels.best_bid_ticks - <int64_t>self.sweep_ticks
                self.take(ASK, size_lots, limit_ticks, ts_ns)
        elif u < self.market_probability + self.add_probability:
            self.add_order(BID if rng_uniform(&self.rng) < 0.5 else ASK, ts_ns)
        else:
            self.cancel_order(BID if rng_uniform(&self.rng) < 0.5 else ASK)
        if self.emit_quotes:
            self.emit_quote(ts_ns)
        if self.publish_interval_ns == 0:
            self.publish(ts_ns)
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
            limit_ticks = <int64_t>floor(self.venue.fair_ticks - self.half_spread_ticks)
            price_ticks = self.levels.best_ask_ticks
        else:
            limit_ticks = <int64_t>floor(self.venue.fair_ticks + self.half_spread_ticks) + 1
            price_ticks = self.levels.best_bid_ticks
        if abs(limit_ticks - price_ticks) > self.levels.window_ticks // 4:
            return self.resync_book(ts_ns)
        if side == BID:
            self.requote(ASK, limit_ticks + 1)
        else:
            self.requote(BID, limit_ticks - 1)
        if (self.venue.shock > 0.0) == (side == BID):
            self.take(side, SWEEP_LOTS, limit_ticks, ts_ns)
        else:
            price_ticks = self.levels.best_ask_ticks if side == BID else self.levels.best_bid_ticks
            while (price_ticks <= limit_ticks) if side == BID else (price_ticks >= limit_ticks):
                self.levels.set_level(passive, price_ticks, 0)
                price_ticks = (
                    self.levels.best_ask_ticks if side == BID else self.levels.best_bid_ticks
                )
        self.requote(side, limit_ticks)
        self.levels.trim(BID)
        self.levels.trim(ASK)
        return 0

    cdef int requote(self, int side, int64_t touch_ticks) except -1:
        # Market makers quote ``side`` from touch_ticks away from the spread: a touch-sized order
        # at touch_ticks, then ordinary levels until the side holds min_levels levels within a
        # quarter window of touch_ticks (levels through touch_ticks do not count).
        cdef LevelWindow levels = self.levels
        cdef int64_t reach_ticks = levels.window_ticks // 4
        cdef int64_t away = -1 if side == BID else 1
        cdef int64_t price_ticks = levels.best_bid_ticks if side == BID else levels.best_ask_ticks
        cdef int64_t worst_ticks = levels.worst_bid_ticks if side == BID else levels.worst_ask_ticks
        cdef int64_t size_lots
        cdef int near = 0
        while (price_ticks - touch_ticks) * away <= reach_ticks:
            if (price_ticks - touch_ticks) * away >= 0:
                near += 1
            if price_ticks == worst_ticks:
                break
            price_ticks = levels.next_level(side, price_ticks)
        size_lots = <int64_t>(self.draw_level_lots() * self.touch_size_multiplier) + 1
        if levels.level_lots(side, touch_ticks) == 0:
            near += 1
        levels.set_level(side, touch_ticks, levels.level_lots(side, touch_ticks) + size_lots)
        price_ticks = touch_ticks
        while near < levels.min_levels:
            price_ticks += away * (1 + rng_geometric(&self.rng, self.level_spacing_ticks - 1.0))
            if levels.level_lots(side, price_ticks) == 0:
                near += 1
            size_lots = levels.level_lots(side, price_ticks) + self.draw_level_lots()
            levels.set_level(side, price_ticks, size_lots)
        return 0

    cdef int add_order(self, int side, int64_t ts_ns) except -1:
        cdef int64_t size_lots = self.draw_level_lots()
        cdef int64_t spread_ticks = self.levels.best_ask_ticks - self.levels.best_bid_ticks
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
                price_ticks = <int64_t>floor(self.venue.fair_ticks - self.half_spread_ticks)
                price_ticks = max(price_ticks, self.levels.best_bid_ticks + 1)
                price_ticks = min(price_ticks, self.levels.best_ask_ticks - 1)
            else:
                price_ticks = <int64_t>floor(self.venue.fair_ticks + self.half_spread_ticks) + 1
                price_ticks = min(price_ticks, self.levels.best_ask_ticks - 1)
                price_ticks = max(price_ticks, self.levels.best_bid_ticks + 1)
        elif u < self.improve_probability + self.touch_add_probability:
            # Join at or near the touch.
            if side == BID:
                price_ticks = self.levels.best_bid_ticks - rng_geometric(&self.rng, 0.5)
            else:
                price_ticks = self.levels.best_ask_ticks + rng_geometric(&self.rng, 0.5)
        elif u < self.improve_probability + self.touch_add_probability + self.deep_probability:
            # Deep in the book: anywhere within the side's depth.
            if side == BID:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * self.deep_range_ticks)
                price_ticks = self.levels.best_bid_ticks - distance_ticks
            else:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * self.deep_range_ticks)
                price_ticks = self.levels.best_ask_ticks + distance_ticks
        else:
            # Rest around the fair price, away from it by the level spacing.
            if side == BID:
                price_ticks = <int64_t>floor(self.venue.fair_ticks - self.half_spread_ticks) - (
                    rng_geometric(&self.rng, self.level_spacing_ticks)
                )
            else:
                price_ticks = <int64_t>floor(self.venue.fair_ticks + self.half_spread_ticks) + 1 + (
                    rng_geometric(&self.rng, self.level_spacing_ticks)
                )
        if side == BID and price_ticks >= self.levels.best_ask_ticks:
            if rng_uniform(&self.rng) >= self.marketable_probability:
                # A maker that will not cross pegs one tick inside the ask (or to the bid).
                price_ticks = max(self.levels.best_ask_ticks - 1, self.levels.best_bid_ticks)
            else:
                left_lots = self.take(BID, size_lots, price_ticks, ts_ns)
                if left_lots == 0 or price_ticks >= self.levels.best_ask_ticks:
                    return 0
                size_lots = left_lots
        elif side == ASK and price_ticks <= self.levels.best_bid_ticks:
            if rng_uniform(&self.rng) >= self.marketable_probability:
                price_ticks = min(self.levels.best_bid_ticks + 1, self.levels.best_ask_ticks)
            else:
                left_lots = self.take(ASK, size_lots, price_ticks, ts_ns)
                if left_lots == 0 or price_ticks <= self.levels.best_bid_ticks:
                    return 0
                size_lots = left_lots
        self.levels.set_level(
            side, price_ticks, self.levels.level_lots(side, price_ticks) + size_lots
        )
        self.levels.trim(side)
        return 0

    cdef int cancel_order(self, int side) except -1:
        cdef LevelWindow levels = self.levels
        cdef int level_count = levels.bid_levels if side == BID else levels.ask_levels
        cdef int64_t best_ticks = levels.best_bid_ticks if side == BID else levels.best_ask_ticks
        cdef int64_t worst_ticks = levels.worst_bid_ticks if side == BID else levels.worst_ask_ticks
        cdef double stale
        cdef double u
        cdef int64_t price_ticks
        cdef int64_t distance_ticks
        cdef int64_t level_lots
        cdef int64_t cancel_lots
        if level_count <= levels.min_levels:
            return 0
        # Quotes through the fair price are stale: their owners cancel them first.
        if side == BID:
            stale = (best_ticks - self.venue.fair_ticks) / self.pressure_scale_ticks
        else:
            stale = (self.venue.fair_ticks - best_ticks) / self.pressure_scale_ticks
        u = rng_uniform(&self.rng)
        if u < self.cancel_touch_probability + max(0.0, min(1.0, stale)):
            price_ticks = best_ticks
        elif u < self.cancel_touch_probability + max(0.0, min(1.0, stale)) + self.deep_probability:
            # Deep in the book: the level at or beyond a uniform point between touch and worst.
            if side == BID:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * (best_ticks - worst_ticks))
                price_ticks = best_ticks - distance_ticks
                price_ticks = levels.next_level(BID, price_ticks + 1)
            else:
                distance_ticks = <int64_t>(rng_uniform(&self.rng) * (worst_ticks - best_ticks))
                price_ticks = best_ticks + distance_ticks
                price_ticks = levels.next_level(ASK, price_ticks - 1)
        else:
            distance_ticks = rng_geometric(&self.rng, 2.0 * self.level_spacing_ticks + 1.0)
            if side == BID:
                price_ticks = best_ticks - distance_ticks
                price_ticks = (
                    worst_ticks if price_ticks <= worst_ticks
                    else levels.next_level(BID, price_ticks + 1)
                )
            else:
                price_ticks = best_ticks + distance_ticks
                price_ticks = (
                    worst_ticks if price_ticks >= worst_ticks
                    else levels.next_level(ASK, price_ticks - 1)
                )
        level_lots = levels.level_lots(side, price_ticks)
        if level_lots == 1 or rng_uniform(&self.rng) < self.cancel_full_probability:
            levels.set_level(side, price_ticks, 0)
        else:
            cancel_lots = 1 + <int64_t>((level_lots - 1) * rng_uniform(&self.rng))
            levels.set_level(side, price_ticks, level_lots - round_significant(cancel_lots))
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
                price_ticks = self.levels.best_ask_ticks
                levels = self.levels.ask_levels
                if price_ticks > limit_ticks:
                    break
            else:
                price_ticks = self.levels.best_bid_ticks
                levels = self.levels.bid_levels
                if price_ticks < limit_ticks:
                    break
            level_lots = self.levels.level_lots(passive, price_ticks)
            fill_lots = min(size_lots, level_lots)
            if fill_lots == level_lots and levels <= self.levels.min_levels:
                fill_lots = level_lots - 1
                if fill_lots > 0:
                    self.emit_trades(side, price_ticks, fill_lots, ts_ns)
                    self.levels.set_level(passive, price_ticks, 1)
                return size_lots - fill_lots
            self.emit_trades(side, price_ticks, fill_lots, ts_ns)
            self.levels.set_level(passive, price_ticks, level_lots - fill_lots)
            size_lots -= fill_lots
        return size_lots

    # -- OUTPUT --

    cdef int emit_trades(
        self, int side, int64_t price_ticks, int64_t fill_lots, int64_t ts_ns
    ) except -1:
        # One fill against several resting orders: split into maker-sized pieces.
        cdef int64_t pieces = 1 + rng_geometric(&self.rng, self.maker_pieces_mean - 1.0)
        cdef int64_t piece
        cdef int64_t base_lots
        cdef int64_t recv_ns = self.feed.recv_time(&self.rng, ts_ns)
        if pieces > fill_lots:
            pieces = fill_lots
        self.rows.reserve_trades(pieces)
        base_lots = fill_lots // pieces
        for piece in range(pieces):
            self.trade_count += 1
            self.rows.trade_row(
                recv_ns,
                ts_ns,
                price_ticks,
                base_lots + fill_lots - base_lots * pieces if piece == 0 else base_lots,
                BUYER if side == BID else SELLER,
                self.trade_count,
            )
        return 0

    cdef int emit_quote(self, int64_t ts_ns) except -1:
        cdef int64_t bid_lots = self.levels.level_lots(BID, self.levels.best_bid_ticks)
        cdef int64_t ask_lots = self.levels.level_lots(ASK, self.levels.best_ask_ticks)
        if (
            self.quoted[0] == self.levels.best_bid_ticks and self.quoted[1] == bid_lots
            and self.quoted[2] == self.levels.best_ask_ticks and self.quoted[3] == ask_lots
        ):
            return 0
        self.quoted[0] = self.levels.best_bid_ticks
        self.quoted[1] = bid_lots
        self.quoted[2] = self.levels.best_ask_ticks
        self.quoted[3] = ask_lots
        self.rows.reserve_quotes(1)
        self.rows.quote_row(
            self.feed.recv_time(&self.rng, ts_ns),
            ts_ns,
            self.levels.best_bid_ticks,
            bid_lots,
            self.levels.best_ask_ticks,
            ask_lots,
        )
        return 0

    cdef int publish(self, int64_t ts_ns) except -1:
        # One venue message with the levels changed since the last one: shrinking levels first,
        # then growing ones, so a reader applying row by row never sees a crossed book.
        cdef Py_ssize_t i
        cdef Py_ssize_t changed = 0
        cdef int64_t key
        cdef int64_t now_lots
        cdef int64_t was_lots
        cdef int64_t recv_ns
        cdef int phase
        if self.levels.dirty_count == 0:
            return 0
        for i in range(self.levels.dirty_count):
            key = self.levels.dirty_keys[i]
            if self.levels.current_lots(key) != self.levels.published_lots(key):
                changed += 1
        if changed == 0:
            self.levels.clear_dirty()
            return 0
        self.rows.reserve_book(changed)
        recv_ns = self.feed.recv_time(&self.rng, ts_ns)
        self.message_count += 1
        for phase in range(2):
            for i in range(self.levels.dirty_count):
                key = self.levels.dirty_keys[i]
                now_lots = self.levels.current_lots(key)
                was_lots = self.levels.published_lots(key)
                if (now_lots < was_lots) == (phase == 0) and now_lots != was_lots:
                    self._publish_key(key, recv_ns, ts_ns, UPDATE, 0)
        self.rows.flag_last_book_row(FLAG_LAST)
        self.levels.clear_dirty()
        return 0

    cdef void _publish_key(
        self, int64_t key, int64_t recv_ns, int64_t ts_ns, int action, int flags
    ) noexcept nogil:
        # Write one level's current size as a book row and remember it as published.
        cdef int64_t now_lots = self.levels.current_lots(key)
        cdef int64_t was_lots = self.levels.mark_published(key)
        if action == UPDATE:
            action = ADD if was_lots == 0 else (DELETE if now_lots == 0 else UPDATE)
        self.rows.book_row(
            recv_ns,
            ts_ns,
            <uint64_t>self.message_count,
            ASK if key & 1 else BID,
            key >> 1,
            now_lots,
            action,
            flags,
        )

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
            self.venue.update(
                &self.rng, log_fair[(self.now_ns - grid_start_ns) // grid_step_ns], 0.0
            )
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
                self.venue.update(
                    &self.rng,
                    log_fair[(self.fair_time_ns - grid_start_ns) // grid_step_ns],
                    grid_step_ns / NS_PER_S,
                )
            self.on_event(self.now_ns)
            self.excitation_per_s += self.hawkes_jump_per_s
            if self.rows.book_rows + self.rows.trade_rows + self.rows.quote_rows >= max_rows:
                return 1
