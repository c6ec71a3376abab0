"""One side-pair of simulated L2 levels in a circular price window, with change tracking."""

cimport cython
from libc.stdint cimport int64_t, uint8_t

from backtest.synth.codes cimport BID


# -- SCANS --

@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline int64_t scan_down(
    const int64_t* lots, int64_t from_ticks, int64_t mask
) noexcept nogil:
    # Highest occupied price strictly below from_ticks (the caller knows one exists).
    cdef int64_t price_ticks = from_ticks - 1
    while lots[price_ticks & mask] == 0:
        price_ticks -= 1
    return price_ticks


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline int64_t scan_up(const int64_t* lots, int64_t from_ticks, int64_t mask) noexcept nogil:
    # Lowest occupied price strictly above from_ticks (the caller knows one exists).
    cdef int64_t price_ticks = from_ticks + 1
    while lots[price_ticks & mask] == 0:
        price_ticks += 1
    return price_ticks


# -- LEVEL WINDOW --

@cython.final
cdef class LevelWindow:
    cdef readonly int depth_levels
    """Most levels kept per side."""
    cdef readonly int min_levels
    """Fewest levels a side keeps (takes and cancels stop there)."""
    cdef readonly int64_t window_ticks
    """Width of the circular price window, ticks (a power of two; 0 before ``allocate``)."""
    cdef int64_t window_mask
    cdef int64_t[::1] bid_lots
    cdef int64_t[::1] ask_lots
    cdef int64_t[::1] bid_published_lots
    cdef int64_t[::1] ask_published_lots
    cdef uint8_t[::1] bid_dirty
    cdef uint8_t[::1] ask_dirty
    cdef int64_t[::1] dirty_keys
    cdef Py_ssize_t dirty_count
    cdef readonly int64_t best_bid_ticks
    """Highest bid, ticks (``NO_LEVEL`` when the side is empty)."""
    cdef readonly int64_t worst_bid_ticks
    """Lowest bid, ticks (``NO_LEVEL`` when the side is empty)."""
    cdef readonly int64_t best_ask_ticks
    """Lowest ask, ticks (``NO_LEVEL`` when the side is empty)."""
    cdef readonly int64_t worst_ask_ticks
    """Highest ask, ticks (``NO_LEVEL`` when the side is empty)."""
    cdef readonly int bid_levels
    """Occupied bid levels."""
    cdef readonly int ask_levels
    """Occupied ask levels."""

    # -- WINDOW --
    cdef int allocate(self, double level_spacing_ticks, double shock_ticks) except -1
    cdef int clear(self) except -1

    # -- LEVELS --
    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline int64_t level_lots(self, int side, int64_t price_ticks) noexcept nogil:
        if side == BID:
            return self.bid_lots[price_ticks & self.window_mask]
        return self.ask_lots[price_ticks & self.window_mask]

    cdef int set_level(self, int side, int64_t price_ticks, int64_t size_lots) except -1

    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline int64_t next_level(self, int side, int64_t from_ticks) noexcept nogil:
        # The next occupied level away from the touch, strictly beyond from_ticks.
        if side == BID:
            return scan_down(&self.bid_lots[0], from_ticks, self.window_mask)
        return scan_up(&self.ask_lots[0], from_ticks, self.window_mask)

    cdef int trim(self, int side) except -1

    # -- CHANGES --
    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline int64_t current_lots(self, int64_t key) noexcept nogil:
        if key & 1:
            return self.ask_lots[(key >> 1) & self.window_mask]
        return self.bid_lots[(key >> 1) & self.window_mask]

    @cython.boundscheck(False)
    @cython.wraparound(False)
    cdef inline int64_t published_lots(self, int64_t key) noexcept nogil:
        if key & 1:
            return self.ask_published_lots[(key >> 1) & self.window_mask]
        return self.bid_published_lots[(key >> 1) & self.window_mask]

    cdef int64_t mark_published(self, int64_t key) noexcept nogil
    cdef void clear_dirty(self) noexcept nogil
