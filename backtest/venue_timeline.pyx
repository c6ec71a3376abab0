# cython: boundscheck=False, wraparound=False
"""The venue timeline of a backtest: simulated venues apply rows and commands at venue time.

Each simulated venue applies the replay ring's rows of its instruments at their ``venue_ns``
(its ``MatchingEngine`` books, our resting orders' queues and fills) and the commands we send
when they arrive, all in venue-time order. ``advance`` processes every happening of the
*active* venues (resting orders or commands in flight) up to a horizon, reading rows ahead
while an unread row could still come before it; a report made on the way lowers the horizon to
its arrival time. An idle venue applies its rows lazily (``catch_up``), when the strategy
sees them.
"""

from libc.stdint cimport INT64_MAX, int64_t, uint8_t
from libc.stdlib cimport calloc, free

from backtest.matching.engine cimport MatchingEngine
from backtest.matching.venue cimport SimulatedVenue
from backtest.replay.merge cimport StreamKind
from backtest.replay.ring cimport ReplayRing, ReplayRow
from hftcore.model.enums cimport AggressorSide, BookAction, Side

cdef uint8_t FLAG_LAST = 1


cdef inline int64_t _min(int64_t a, int64_t b) noexcept nogil:
    return a if a < b else b


cdef class VenueTimeline:
    """The simulated venues' side of a replay.

    Parameters
    ----------
    rows : ReplayRing
        The replay ring both timelines read.
    venues : list of SimulatedVenue
        The simulated venues, by the venue index of the ring's rows.
    matchers : list of MatchingEngine
        The matching engine of each ring slot (None for instruments of no simulated venue).
    """

    def __cinit__(self):
        self.cursor = NULL
        self._resting = NULL
        self._next_happening = NULL

    def __init__(self, ReplayRing rows not None, list venues not None, list matchers not None):
        cdef int count
        self._rows = rows
        self._venues = list(venues)
        self._matchers = list(matchers)
        self.venue_count = len(self._venues)
        self._slot_count = len(self._matchers)
        count = max(self.venue_count, 1)
        self.cursor = <int64_t*>calloc(count, sizeof(int64_t))
        self._resting = <int64_t*>calloc(count, sizeof(int64_t))
        self._next_happening = <VenueHappening*>calloc(count, sizeof(VenueHappening))
        if self.cursor == NULL or self._resting == NULL or self._next_happening == NULL:
            raise MemoryError()
        self.venue_row_count = 0

    def __dealloc__(self):
        free(self.cursor)
        free(self._resting)
        free(self._next_happening)

    # -- READING -------------------------------------------------------------------------------

    cdef int read_row(self) except -1:
        """Read the merge's next row into the ring, after releasing the rows both timelines are
        done with when the ring is full."""
        cdef ReplayRing rows = self._rows
        if rows.tail - rows.head == rows.capacity:
            rows.release(self._done_position())
        return rows.read_row()

    cdef int64_t _done_position(self) noexcept:
        # Rows before the strategy cursor and every active venue's cursor are done.
        cdef int64_t local = self._rows.local
        cdef int64_t head = local
        cdef int index
        for index in range(self.venue_count):
            if not self._is_active(index) and self.cursor[index] < local:
                self.cursor[index] = local
            if self.cursor[index] < head:
                head = self.cursor[index]
        return head

    # -- VENUE TIMELINE ------------------------------------------------------------------------

    cdef int64_t advance(self, int64_t horizon_ns) except -2:
        """Process venue happenings up to ``horizon_ns``; return the (maybe lowered) horizon.

        Happenings of all active venues are taken in time order (market data before a command
        at the same time). A venue's rows are applied in a run up to the next happening of any
        other venue; every report made on the way lowers the horizon to its arrival time.
        """
        cdef int index
        cdef int best_index
        cdef bint best_is_row
        cdef int64_t best_ns
        cdef int64_t next_other_ns
        cdef int64_t row_ns
        cdef int64_t command_ns
        cdef int64_t bound_ns
        cdef int64_t position
        cdef SimulatedVenue venue
        cdef ReplayRing rows = self._rows
        cdef ReplayRow* row
        cdef VenueHappening* next_happening = self._next_happening
        # A venue's next happening stays valid while only other venues move: their reading
        # ahead adds none of its rows at or before it, and a lower horizon never selects it
        # where a higher one would not have.
        for index in range(self.venue_count):
            next_happening[index].is_known = False
        while True:
            best_index = -1
            best_ns = INT64_MAX
            next_other_ns = INT64_MAX
            best_is_row = False
            for index in range(self.venue_count):
                venue = <SimulatedVenue>self._venues[index]
                command_ns = venue.next_command_ns
                if self._resting[index] == 0 and command_ns == INT64_MAX:
                    continue
                if not next_happening[index].is_known:
                    row_ns = self._venue_row_ns(index, _min(horizon_ns, command_ns))
                    if row_ns > command_ns:
                        row_ns = command_ns
                    next_happening[index].ns = row_ns
                    next_happening[index].is_row = row_ns < command_ns or (
                        row_ns == command_ns and self._venue_row_ns(index, row_ns) == row_ns
                    )
                    next_happening[index].is_known = True
                row_ns = next_happening[index].ns
                if row_ns < best_ns:
                    next_other_ns = best_ns
                    best_ns = row_ns
                    best_index = index
                    best_is_row = next_happening[index].is_row
                elif row_ns < next_other_ns:
                    next_other_ns = row_ns
            if best_index < 0 or best_ns > horizon_ns:
                return horizon_ns
            venue = <SimulatedVenue>self._venues[best_index]
            next_happening[best_index].is_known = False
            if not best_is_row:
                venue.process_next_command()
                self._refresh_resting(best_index)
                if venue.reports.next_ns < horizon_ns:
                    horizon_ns = venue.reports.next_ns
                continue
            # A run of this venue's rows, up to another venue's next happening, its own next
            # command (rows first at equal times) and the horizon.
            bound_ns = _min(horizon_ns, next_other_ns)
            while True:
                position = self.cursor[best_index]
                self._apply_venue_row(&rows.rows[position & rows.mask])
                position += 1
                self.cursor[best_index] = position
                if venue.reports.next_ns < horizon_ns:
                    horizon_ns = venue.reports.next_ns
                    bound_ns = _min(bound_ns, horizon_ns)
                if self._resting[best_index] == 0 and venue.next_command_ns == INT64_MAX:
                    break
                row = &rows.rows[position & rows.mask]
                if position < rows.tail and row.venue == best_index:
                    row_ns = row.venue_ns  # the common case of _venue_row_ns, without the call
                else:
                    row_ns = self._venue_row_ns(best_index, _min(bound_ns, venue.next_command_ns))
                if row_ns > bound_ns or row_ns > venue.next_command_ns:
                    break

    cdef int64_t _venue_row_ns(self, int venue, int64_t limit_ns) except -2:
        """Return the venue time of ``venue``'s next row (INT64_MAX if none at or before
        ``limit_ns`` exists), reading ahead while an unread row could still qualify."""
        cdef int64_t position = self.cursor[venue]
        cdef ReplayRow* row
        while True:
            while position < self._rows.tail:
                row = &self._rows.rows[position & self._rows.mask]
                if row.venue == venue:
                    self.cursor[venue] = position
                    return row.venue_ns
                position += 1
            self.cursor[venue] = position
            if self._rows.is_done:
                return INT64_MAX
            # Unread rows have ts_recv >= the merge's next one, hence venue_ns above this bound.
            if self._rows.peek_unread_ns() - self._rows.max_feed_lag_ns > limit_ns:
                return INT64_MAX
            self.read_row()

    cdef int _apply_venue_row(self, ReplayRow* row) except -1:
        cdef MatchingEngine matcher = <MatchingEngine>self._matchers[row.slot]
        cdef Py_ssize_t resting_before = matcher.resting_count
        self.venue_row_count += 1
        if row.kind == StreamKind.BOOK:
            if row.action == BookAction.CLEAR:
                matcher.on_book_clear()
            elif row.action == BookAction.DELETE:
                matcher.on_book_level(<Side>row.side, row.price_ticks, 0)
            else:
                matcher.on_book_level(<Side>row.side, row.price_ticks, row.size_lots)
            if row.flags & FLAG_LAST:
                matcher.on_book_consistent(row.venue_ns)
        elif row.kind == StreamKind.TRADES:
            matcher.on_trade(row.price_ticks, row.size_lots, <AggressorSide>row.side, row.venue_ns)
        elif self._rows.slot_book_from_quotes[row.slot]:
            matcher.on_top_of_book(
                row.price_ticks, row.size_lots, row.ask_price_ticks, row.ask_size_lots,
                row.venue_ns,
            )
        self._resting[row.venue] += matcher.resting_count - resting_before
        return 0

    cdef int catch_up(self, int venue, int64_t position) except -1:
        # An idle venue applies its rows up to ``position`` when the strategy sees them.
        cdef int64_t cursor = self.cursor[venue]
        cdef ReplayRow* row
        while cursor <= position:
            row = &self._rows.rows[cursor & self._rows.mask]
            if row.venue == venue:
                self._apply_venue_row(row)
            cursor += 1
        self.cursor[venue] = cursor
        return 0

    cdef int _refresh_resting(self, int venue) except -1:
        cdef int64_t resting = 0
        cdef MatchingEngine matcher
        cdef int slot
        for slot in range(self._slot_count):
            if self._rows.slot_venue[slot] == venue:
                matcher = <MatchingEngine>self._matchers[slot]
                resting += matcher.resting_count
        self._resting[venue] = resting
        return 0

    cdef bint _is_active(self, int venue) noexcept:
        return (
            self._resting[venue] > 0
            or (<SimulatedVenue>self._venues[venue]).next_command_ns != INT64_MAX
        )

    cdef bint any_active(self) noexcept:
        cdef int index
        for index in range(self.venue_count):
            if self._is_active(index):
                return True
        return False
