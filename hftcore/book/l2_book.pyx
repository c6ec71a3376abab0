# cython: boundscheck=False, wraparound=False
"""Exact price-level (L2, market-by-price) order book on C arrays of int64 ticks and lots.

Each side is a pair of C arrays (keys and sizes) owned by the book, sorted so the best level is
at the END: bid keys are prices ascending, ask keys are negated prices ascending (prices
descending). A change at the top of book touches only the last slot, and an insert deeper in
the book moves only the levels behind it (better than it) with one ``memmove``. A level is found
by scanning the top ``LINEAR_SEARCH_LEVELS`` levels, where most updates land, and then by binary
search over the rest. Arrays start at ``INITIAL_LEVEL_CAPACITY`` levels per side and double when
full; ``clear`` keeps the memory.

Indexing is unchecked (``boundscheck=False``): the property tests in
``tests/unit/book/test_l2_book_properties.py`` compare every operation against a reference book.
"""

cimport cython
from libc.math cimport NAN
from libc.stdint cimport int64_t
from libc.stdlib cimport free, realloc
from libc.string cimport memmove

from hftcore.book.order_book cimport OrderBook, VwapFill
from hftcore.model.data cimport BookSnapshot
from hftcore.model.enums cimport Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.types cimport NO_PRICE_TICKS


@cython.final
cdef class L2Book(OrderBook):
    """Exact L2 order book: every price level of both sides, in int64 ticks and lots.

    Best bid and ask are cached fields (O(1) reads); an update at the top of book is O(1) and
    one deeper in the book costs a search plus a move of the levels better than it.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument whose events this book accepts.

    Raises
    ------
    MemoryError
        If the level arrays cannot be allocated.

    Examples
    --------
    >>> book = L2Book(instrument_id)
    >>> book.update_level(Side.BUY, 6_173_763, 3)
    >>> book.update_level(Side.SELL, 6_173_764, 2)
    >>> book.spread_ticks
    1
    """

    def __cinit__(self, InstrumentId instrument_id not None, *args, **kwargs):
        reserve_levels(&self._bids, INITIAL_LEVEL_CAPACITY)
        reserve_levels(&self._asks, INITIAL_LEVEL_CAPACITY)

    def __dealloc__(self):
        free_levels(&self._bids)
        free_levels(&self._asks)

    # -- UPDATES -------------------------------------------------------------------------------

    cdef int _update_level(self, Side side, int64_t price_ticks, int64_t size_lots) except -1:
        if side == Side.BUY:
            set_level(&self._bids, price_ticks, size_lots)
            self._refresh_best_bid()
        else:
            set_level(&self._asks, -price_ticks, size_lots)
            self._refresh_best_ask()
        return 0

    cdef int _apply_snapshot(self, BookSnapshot snapshot) except -1:
        cdef const int64_t[:] bid_prices_ticks = snapshot.bid_prices_ticks
        cdef const int64_t[:] bid_sizes_lots = snapshot.bid_sizes_lots
        cdef const int64_t[:] ask_prices_ticks = snapshot.ask_prices_ticks
        cdef const int64_t[:] ask_sizes_lots = snapshot.ask_sizes_lots
        reserve_levels(&self._bids, bid_prices_ticks.shape[0])
        reserve_levels(&self._asks, ask_prices_ticks.shape[0])
        _load_side(&self._bids, bid_prices_ticks, bid_sizes_lots, 1)
        _load_side(&self._asks, ask_prices_ticks, ask_sizes_lots, -1)
        self._refresh_best_bid()
        self._refresh_best_ask()
        self._stamp(snapshot.sequence, snapshot.ts_event, snapshot.ts_recv)
        return 0

    cdef void _clear(self) noexcept:
        self._bids.count = 0
        self._asks.count = 0
        self._refresh_best_bid()
        self._refresh_best_ask()

    cdef void _refresh_best_bid(self) noexcept:
        cdef Py_ssize_t top = self._bids.count - 1
        if top < 0:
            self.best_bid_price_ticks = NO_PRICE_TICKS
            self.best_bid_size_lots = 0
        else:
            self.best_bid_price_ticks = self._bids.keys[top]
            self.best_bid_size_lots = self._bids.sizes_lots[top]

    cdef void _refresh_best_ask(self) noexcept:
        cdef Py_ssize_t top = self._asks.count - 1
        if top < 0:
            self.best_ask_price_ticks = NO_PRICE_TICKS
            self.best_ask_size_lots = 0
        else:
            self.best_ask_price_ticks = -self._asks.keys[top]
            self.best_ask_size_lots = self._asks.sizes_lots[top]

    # -- QUERIES -------------------------------------------------------------------------------

    cdef Py_ssize_t _level_count(self, Side side) noexcept:
        return self._bids.count if side == Side.BUY else self._asks.count

    cdef int64_t _price_at(self, Side side, Py_ssize_t level) noexcept:
        # ``level`` 0 is the best; the caller guarantees ``level < _level_count(side)``.
        if side == Side.BUY:
            return self._bids.keys[self._bids.count - 1 - level]
        return -self._asks.keys[self._asks.count - 1 - level]

    cdef int64_t _size_at(self, Side side, Py_ssize_t level) noexcept:
        # ``level`` 0 is the best; the caller guarantees ``level < _level_count(side)``.
        if side == Side.BUY:
            return self._bids.sizes_lots[self._bids.count - 1 - level]
        return self._asks.sizes_lots[self._asks.count - 1 - level]

    cdef Py_ssize_t _copy_depth(
        self, Side side, Py_ssize_t n, int64_t* prices_ticks, int64_t* sizes_lots
    ) noexcept:
        cdef const LevelArray* levels = &self._bids if side == Side.BUY else &self._asks
        cdef int64_t sign = 1 if side == Side.BUY else -1
        cdef Py_ssize_t count = min(n, levels.count)
        cdef Py_ssize_t top = levels.count - 1
        cdef Py_ssize_t i
        for i in range(count):
            prices_ticks[i] = sign * levels.keys[top - i]
            sizes_lots[i] = levels.sizes_lots[top - i]
        return count

    @cython.cdivision(True)  # the divisor, filled_lots, is checked to be positive
    cdef VwapFill _vwap(self, Side taker_side, int64_t qty_lots) noexcept:
        # A BUY taker lifts the asks, a SELL taker hits the bids.
        cdef const LevelArray* levels = &self._asks if taker_side == Side.BUY else &self._bids
        cdef int64_t sign = -1 if taker_side == Side.BUY else 1
        cdef int64_t remaining_lots = qty_lots
        cdef int64_t take_lots
        cdef double notional_ticks_lots = 0.0
        cdef Py_ssize_t i = levels.count - 1
        cdef VwapFill fill
        fill.filled_lots = 0
        fill.worst_price_ticks = NO_PRICE_TICKS
        while i >= 0 and remaining_lots > 0:
            take_lots = min(remaining_lots, levels.sizes_lots[i])
            fill.worst_price_ticks = sign * levels.keys[i]
            notional_ticks_lots += <double>fill.worst_price_ticks * <double>take_lots
            fill.filled_lots += take_lots
            remaining_lots -= take_lots
            i -= 1
        fill.vwap_ticks = (
            notional_ticks_lots / <double>fill.filled_lots if fill.filled_lots > 0 else NAN
        )
        return fill


# -- LEVEL ARRAYS ------------------------------------------------------------------------------

cdef Py_ssize_t find_level(const LevelArray* levels, int64_t key, bint* found) noexcept nogil:
    """Return the index of ``key``, or the index where it would be inserted (``found`` False)."""
    cdef Py_ssize_t i = levels.count - 1
    cdef Py_ssize_t linear_stop = max(levels.count - LINEAR_SEARCH_LEVELS, 0)
    cdef Py_ssize_t low = 0
    cdef Py_ssize_t high
    cdef Py_ssize_t middle
    found[0] = False
    while i >= linear_stop:
        if levels.keys[i] == key:
            found[0] = True
            return i
        if levels.keys[i] < key:
            return i + 1
        i -= 1
    # Every key from linear_stop on is above ``key``: find the first key >= ``key`` below it.
    high = linear_stop
    while low < high:
        middle = (low + high) >> 1
        if levels.keys[middle] < key:
            low = middle + 1
        else:
            high = middle
    found[0] = low < linear_stop and levels.keys[low] == key
    return low


cdef int set_level(LevelArray* levels, int64_t key, int64_t size_lots) except -1:
    """Set the size at ``key``; size 0 removes the level (absent levels are left absent)."""
    cdef bint found
    cdef Py_ssize_t index = find_level(levels, key, &found)
    cdef Py_ssize_t behind = levels.count - index
    if found:
        if size_lots == 0:
            behind -= 1
            memmove(&levels.keys[index], &levels.keys[index + 1], behind * sizeof(int64_t))
            memmove(
                &levels.sizes_lots[index], &levels.sizes_lots[index + 1], behind * sizeof(int64_t)
            )
            levels.count -= 1
        else:
            levels.sizes_lots[index] = size_lots
        return 0
    if size_lots == 0:
        return 0
    if levels.count == levels.capacity:
        reserve_levels(levels, 2 * levels.capacity)
    if behind > 0:
        memmove(&levels.keys[index + 1], &levels.keys[index], behind * sizeof(int64_t))
        memmove(&levels.sizes_lots[index + 1], &levels.sizes_lots[index], behind * sizeof(int64_t))
    levels.keys[index] = key
    levels.sizes_lots[index] = size_lots
    levels.count += 1
    return 0


cdef int reserve_levels(LevelArray* levels, Py_ssize_t capacity) except -1:
    """Grow both arrays to hold at least ``capacity`` levels, keeping their contents."""
    cdef int64_t* keys
    cdef int64_t* sizes_lots
    if capacity <= levels.capacity:
        return 0
    keys = <int64_t*>realloc(levels.keys, capacity * sizeof(int64_t))
    if keys == NULL:
        raise MemoryError(f"L2Book: cannot grow a book side to {capacity} levels")
    levels.keys = keys
    sizes_lots = <int64_t*>realloc(levels.sizes_lots, capacity * sizeof(int64_t))
    if sizes_lots == NULL:
        raise MemoryError(f"L2Book: cannot grow a book side to {capacity} levels")
    levels.sizes_lots = sizes_lots
    levels.capacity = capacity
    return 0


cdef void free_levels(LevelArray* levels) noexcept nogil:
    free(levels.keys)
    free(levels.sizes_lots)
    levels.keys = NULL
    levels.sizes_lots = NULL
    levels.count = 0
    levels.capacity = 0


cdef void _load_side(
    LevelArray* levels, const int64_t[:] prices_ticks, const int64_t[:] sizes_lots, int64_t sign
) noexcept:
    # Snapshot arrays are best first; storage is best last. Zero-size levels are skipped.
    cdef Py_ssize_t i
    cdef Py_ssize_t count = 0
    for i in range(prices_ticks.shape[0] - 1, -1, -1):
        if sizes_lots[i] > 0:
            levels.keys[count] = sign * prices_ticks[i]
            levels.sizes_lots[count] = sizes_lots[i]
            count += 1
    levels.count = count
