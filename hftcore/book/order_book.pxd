"""The interface every order book shares (L2 and L1), and its cached top of book."""

from libc.stdint cimport int64_t, uint64_t

from hftcore.model.data cimport BookDelta, BookDeltas, BookSnapshot
from hftcore.model.enums cimport Side
from hftcore.model.identifiers cimport InstrumentId


# Highest accepted level price, 2**62 - 1: keeps ``bid + ask`` (the exact doubled mid) in int64.
cdef extern from "<stdint.h>":
    const int64_t MAX_PRICE_TICKS "(INT64_MAX / 2)"


cdef struct VwapFill:
    double vwap_ticks        # volume-weighted average fill price in ticks; NaN when nothing fills
    int64_t worst_price_ticks  # price of the last level touched; NO_PRICE_TICKS when nothing fills
    int64_t filled_lots      # lots filled, at most the quantity asked for


cdef class OrderBook:
    cdef readonly InstrumentId instrument_id
    """The instrument this book belongs to."""
    cdef readonly int64_t best_bid_price_ticks
    """Best (highest) bid price in ticks; ``NO_PRICE_TICKS`` (int64 minimum) when no bid."""
    cdef readonly int64_t best_bid_size_lots
    """Size of the best bid in lots; 0 when no bid."""
    cdef readonly int64_t best_ask_price_ticks
    """Best (lowest) ask price in ticks; ``NO_PRICE_TICKS`` (int64 minimum) when no ask."""
    cdef readonly int64_t best_ask_size_lots
    """Size of the best ask in lots; 0 when no ask."""
    cdef readonly uint64_t sequence
    """Venue sequence of the last applied event, 0 before any or when the venue has none."""
    cdef readonly int64_t ts_event
    """Venue time of the last applied event, UNIX ns; 0 before any."""
    cdef readonly int64_t ts_recv
    """Local receive time of the last applied event, UNIX ns; 0 before any."""
    cdef readonly uint64_t update_count
    """Number of updates applied: one per ``update_level``, delta, batch, snapshot or quote."""

    # -- VALIDATION ----------------------------------------------------------------------------
    cdef int _check_level(
        self, Side side, int64_t price_ticks, int64_t size_lots, str owner
    ) except -1
    cdef bint _is_valid_delta(self, BookDelta delta) noexcept
    cdef int _check_delta(self, BookDelta delta) except -1
    cdef int _check_instrument(self, InstrumentId instrument_id, str event_name) except -1
    cdef int _check_snapshot(self, BookSnapshot snapshot) except -1

    # -- UPDATES (trusting; levels and snapshots implemented by each book type) -----------------
    cdef int _update_level(self, Side side, int64_t price_ticks, int64_t size_lots) except -1
    cdef int _apply_change(self, BookDelta delta) except -1
    cdef int _apply_delta(self, BookDelta delta) except -1
    cdef int _apply_deltas(self, BookDeltas deltas) except -1
    cdef int _apply_snapshot(self, BookSnapshot snapshot) except -1
    cdef void _clear(self) noexcept
    cdef void _stamp(self, uint64_t sequence, int64_t ts_event, int64_t ts_recv) noexcept

    # -- QUERIES (trusting; implemented by each book type) --------------------------------------
    cdef Py_ssize_t _level_count(self, Side side) noexcept
    cdef int64_t _price_at(self, Side side, Py_ssize_t level) noexcept
    cdef int64_t _size_at(self, Side side, Py_ssize_t level) noexcept
    cdef Py_ssize_t _copy_depth(
        self, Side side, Py_ssize_t n, int64_t* prices_ticks, int64_t* sizes_lots
    ) noexcept
    cdef VwapFill _vwap(self, Side taker_side, int64_t qty_lots) noexcept

    # -- TOP OF BOOK (no Python work) ----------------------------------------------------------
    cdef bint _has_bid(self) noexcept
    cdef bint _has_ask(self) noexcept
    cdef bint _is_crossed(self) noexcept
    cdef int64_t _spread_ticks(self) noexcept
    cdef int64_t _mid_price_ticks_x2(self) noexcept
