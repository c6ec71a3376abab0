"""The venue timeline of a backtest: simulated venues apply rows and commands at venue time."""

cimport cython
from libc.stdint cimport int64_t

from backtest.replay.ring cimport ReplayRing, ReplayRow


# A venue's next happening on the venue timeline, kept while other venues advance.
cdef struct VenueHappening:
    int64_t ns          # venue time of its next row or command, ns (INT64_MAX: none in reach)
    bint is_row         # a market data row (rows go before a command at the same time)
    bint is_known       # computed since the venue last moved


@cython.final
cdef class VenueTimeline:
    cdef readonly int venue_count
    """Simulated venues."""
    cdef readonly int64_t venue_row_count
    """Rows applied on the venue timeline."""
    cdef ReplayRing _rows
    cdef list _venues
    cdef list _matchers
    cdef int _slot_count
    cdef int64_t* cursor
    cdef int64_t* _resting
    cdef VenueHappening* _next_happening

    # -- READING -------------------------------------------------------------------------------
    cdef int read_row(self) except -1
    cdef int64_t _done_position(self) noexcept

    # -- VENUE TIMELINE ------------------------------------------------------------------------
    cdef int64_t advance(self, int64_t horizon_ns) except -2
    cdef int64_t _venue_row_ns(self, int venue, int64_t limit_ns) except -2
    cdef int _apply_venue_row(self, ReplayRow* row) except -1
    cdef int catch_up(self, int venue, int64_t position) except -1
    cdef int _refresh_resting(self, int venue) except -1
    cdef bint _is_active(self, int venue) noexcept
    cdef bint any_active(self) noexcept
