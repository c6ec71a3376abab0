# cython: boundscheck=False, wraparound=False
"""Simulated L2 levels of one book in a circular price window, with change tracking.

Level arrays are indexed by ``price_ticks & window_mask`` (a circular window of
``window_ticks``); the book is trimmed so that no level is farther than a quarter window from
its touch, and the window is wide enough for the largest shock, so two prices live or changed
between two messages never share a slot. Every level changed since the last published message
is remembered once (its key is ``price_ticks * 2 + (side - 1)``), with the size last published.
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t

from backtest.synth.codes cimport ASK, BID, NO_LEVEL


# -- LEVEL WINDOW --

cdef class LevelWindow:
    """Both sides of one simulated L2 book, keyed on integer ticks.

    Parameters
    ----------
    depth_levels : int
        Most levels kept per side.
    min_levels : int
        Fewest levels a side keeps.

    Raises
    ------
    ValueError
        If ``depth_levels < 1`` or ``min_levels`` is not in ``[1, depth_levels]``.
    """

    def __init__(self, int depth_levels, int min_levels):
        if depth_levels < 1 or not 1 <= min_levels <= depth_levels:
            raise ValueError(
                f"depth_levels {depth_levels}, min_levels {min_levels}: expected"
                " 1 <= min_levels <= depth_levels"
            )
        self.depth_levels = depth_levels
        self.min_levels = min_levels
        self.window_ticks = 0
        self.window_mask = 0
        self.dirty_count = 0
        self.best_bid_ticks = NO_LEVEL
        self.worst_bid_ticks = NO_LEVEL
        self.best_ask_ticks = NO_LEVEL
        self.worst_ask_ticks = NO_LEVEL
        self.bid_levels = 0
        self.ask_levels = 0

    # -- WINDOW --

    cdef int allocate(self, double level_spacing_ticks, double shock_ticks) except -1:
        # Size the window once the fair price is known. A quarter window must hold one side at
        # its depth and mean spacing, twice over; with shocks, half a window must also hold the
        # farthest the book moves between two messages (``shock_ticks``: from one extreme shock
        # to the other, two largest shocks), twice over.
        cdef int64_t window = 1
        while window < 8 * (self.depth_levels * (level_spacing_ticks + 1.0) + 64) or (
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

    cdef int clear(self) except -1:
        # Empty both sides, published sizes and pending changes included (a venue resync: the
        # next message is a snapshot). The window keeps its size.
        self.bid_lots[:] = 0
        self.ask_lots[:] = 0
        self.bid_published_lots[:] = 0
        self.ask_published_lots[:] = 0
        self.bid_dirty[:] = 0
        self.ask_dirty[:] = 0
        self.dirty_count = 0
        self.best_bid_ticks = NO_LEVEL
        self.worst_bid_ticks = NO_LEVEL
        self.best_ask_ticks = NO_LEVEL
        self.worst_ask_ticks = NO_LEVEL
        self.bid_levels = 0
        self.ask_levels = 0
        return 0

    # -- LEVELS --

    cdef int set_level(self, int side, int64_t price_ticks, int64_t size_lots) except -1:
        cdef Py_ssize_t slot = price_ticks & self.window_mask
        cdef int64_t old_lots
        # Raw pointers: a memoryview local would be set up and released on every call.
        cdef int64_t* lots = &self.bid_lots[0] if side == BID else &self.ask_lots[0]
        cdef uint8_t* dirty = &self.bid_dirty[0] if side == BID else &self.ask_dirty[0]
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
                    self.worst_bid_ticks = scan_up(lots, price_ticks, self.window_mask)
            else:
                self.ask_levels -= 1
                if self.ask_levels == 0:
                    self.best_ask_ticks = NO_LEVEL
                    self.worst_ask_ticks = NO_LEVEL
                elif price_ticks == self.best_ask_ticks:
                    self.best_ask_ticks = self.next_level(ASK, price_ticks)
                elif price_ticks == self.worst_ask_ticks:
                    self.worst_ask_ticks = scan_down(lots, price_ticks, self.window_mask)
        return 0

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

    # -- CHANGES --

    cdef int64_t mark_published(self, int64_t key) noexcept nogil:
        # Remember the level's current size as published; return the size published before.
        cdef Py_ssize_t slot = (key >> 1) & self.window_mask
        cdef int64_t was_lots
        if key & 1:
            was_lots = self.ask_published_lots[slot]
            self.ask_published_lots[slot] = self.ask_lots[slot]
        else:
            was_lots = self.bid_published_lots[slot]
            self.bid_published_lots[slot] = self.bid_lots[slot]
        return was_lots

    cdef void clear_dirty(self) noexcept nogil:
        cdef Py_ssize_t i
        cdef int64_t key
        for i in range(self.dirty_count):
            key = self.dirty_keys[i]
            if key & 1:
                self.ask_dirty[(key >> 1) & self.window_mask] = 0
            else:
                self.bid_dirty[(key >> 1) & self.window_mask] = 0
        self.dirty_count = 0
