# cython: boundscheck=False, wraparound=False
"""The replay ring: merged catalog rows read ahead of the replay, decoded into C structs.

``ReplayRing`` reads the merged catalog streams (``KWayMerge``, in ``ts_recv`` order) row by
row into a ring of ``ReplayRow`` structs, without a Python object per row, and stamps each row
with its two times:

- ``venue_ns``, when the simulated venue applies it: ``ts_event``, clamped into
  ``[ts_recv - max_feed_lag_ns, ts_recv]`` and made non-decreasing per venue (a venue applies
  its messages in the order it sent them);
- ``local_ns``, when the strategy sees it: the feed model's time (``ts_recv`` by default), never
  below ``venue_ns`` and non-decreasing.

Rows stay in the ring from ``head`` (the oldest row a timeline still needs) to ``tail`` (the
next row to read); ``local`` is the next row the strategy sees. The venue timeline says which
rows are done (``release``), and the ring doubles when it reads far ahead.
"""

from libc.stdint cimport INT64_MAX, int16_t, int32_t, int64_t
from libc.stdlib cimport calloc, free, malloc
from libc.string cimport memcpy

from hftcore.errors import DecodeError

from backtest.models.latency cimport FeedLatency, ReceiveTimeFeed
from backtest.replay.merge cimport KWayMerge, StreamCursor, StreamKind
from hftcore.book.order_book cimport MAX_PRICE_TICKS
from hftcore.model.enums cimport BookAction, Side


cdef class ReplayRing:
    """Rows of merged catalog streams, read ahead of the replay into a ring of C structs.

    Parameters
    ----------
    merge : KWayMerge
        The merged streams; each stream's instrument (``SYMBOL.VENUE``) gets a slot.
    venue_names : list of str
        The simulated venues, by index: rows of their instruments carry the index as
        ``venue`` (others -1) and keep their venue times in order.
    feed_latency : FeedLatency, optional
        When the strategy sees each row; ``ReceiveTimeFeed`` (``ts_recv``) by default.
    max_feed_lag_ns : int, default 1 s
        Longest recorded feed delay honoured on the venue timeline.
    """

    def __cinit__(self):
        self._stream_slot = NULL
        self.slot_venue = NULL
        self.slot_book_from_quotes = NULL
        self._venue_last_ns = NULL
        self.rows = NULL
        self.trade_ids = NULL

    def __init__(
        self,
        KWayMerge merge not None,
        list venue_names not None,
        FeedLatency feed_latency=None,
        int64_t max_feed_lag_ns=1_000_000_000,
    ):
        cdef int stream
        cdef int slot
        cdef StreamCursor cursor
        cdef dict slot_of = {}
        cdef dict venue_of = {name: index for index, name in enumerate(venue_names)}
        cdef set with_book = set()
        self._merge = merge
        self.feed_latency = ReceiveTimeFeed() if feed_latency is None else feed_latency
        self._is_receive_feed = type(self.feed_latency) is ReceiveTimeFeed
        self.max_feed_lag_ns = max_feed_lag_ns
        self.instrument_ids = []
        self.long_trade_ids = {}
        self._stream_slot = <int*>calloc(max(len(merge.cursors), 1), sizeof(int))
        if self._stream_slot == NULL:
            raise MemoryError()
        for stream in range(len(merge.cursors)):
            cursor = merge.cursors[stream]
            iid = f"{cursor.symbol}.{cursor.venue}"
            if iid not in slot_of:
                slot_of[iid] = len(self.instrument_ids)
                self.instrument_ids.append(iid)
            self._stream_slot[stream] = slot_of[iid]
            if cursor.kind == StreamKind.BOOK:
                with_book.add(iid)
        self.book_instrument_ids = frozenset(with_book)
        self.slot_venue = <int16_t*>calloc(max(len(self.instrument_ids), 1), sizeof(int16_t))
        self.slot_book_from_quotes = <bint*>calloc(max(len(self.instrument_ids), 1), sizeof(bint))
        self._venue_last_ns = <int64_t*>calloc(max(len(venue_names), 1), sizeof(int64_t))
        self.rows = <ReplayRow*>malloc(INITIAL_RING_CAPACITY * sizeof(ReplayRow))
        self.trade_ids = <char*>malloc(INITIAL_RING_CAPACITY * TRADE_ID_CAPACITY)
        if (
            self.slot_venue == NULL or self.slot_book_from_quotes == NULL
            or self._venue_last_ns == NULL
            or self.rows == NULL or self.trade_ids == NULL
        ):
            raise MemoryError()
        for slot in range(len(self.instrument_ids)):
            self.slot_venue[slot] = venue_of.get(self.instrument_ids[slot].rsplit(".", 1)[1], -1)
            # An instrument without a book stream takes its book from its quotes.
            self.slot_book_from_quotes[slot] = self.instrument_ids[slot] not in with_book
        for index in range(len(venue_names)):
            self._venue_last_ns[index] = -INT64_MAX
        self.capacity = INITIAL_RING_CAPACITY
        self.mask = INITIAL_RING_CAPACITY - 1
        self.head = 0
        self.local = 0
        self.tail = 0
        self._last_local_ns = -INT64_MAX
        self.is_done = False
        self.event_count = 0

    def __dealloc__(self):
        free(self._stream_slot)
        free(self.slot_venue)
        free(self.slot_book_from_quotes)
        free(self._venue_last_ns)
        free(self.rows)
        free(self.trade_ids)

    @property
    def ring_capacity(self):
        """int: Rows the ring holds (doubles when the venue timeline reads far ahead)."""
        return self.capacity

    cdef int read_row(self) except -1:
        """Append the merge's next row to the ring; set ``is_done`` at the end."""
        cdef int stream = self._merge.next_stream()
        cdef StreamCursor cursor
        cdef ReplayRow* row
        cdef Py_ssize_t r
        cdef int64_t venue_ns
        cdef int64_t local_ns
        cdef int32_t start
        cdef int32_t length
        cdef int16_t venue
        if stream < 0:
            self.is_done = True
            return 0
        if self.tail - self.head == self.capacity:
            self.release(self.head)
        cursor = self._merge.cursor_at(stream)
        r = cursor.row
        row = &self.rows[self.tail & self.mask]
        row.ts_recv = cursor.ts_recv[r]
        row.ts_event = cursor.ts_event[r]
        row.slot = self._stream_slot[stream]
        row.kind = cursor.kind
        venue = self.slot_venue[row.slot]
        row.venue = venue
        if row.kind == StreamKind.BOOK:
            row.side = cursor.side[r]
            row.price_ticks = cursor.price_ticks[r]
            row.size_lots = cursor.size_lots[r]
            row.action = cursor.action[r]
            row.flags = cursor.flags[r]
            row.sequence = cursor.sequence[r]
            self._check_book_row(row, cursor)
        elif row.kind == StreamKind.TRADES:
            row.side = cursor.aggressor[r]
            row.price_ticks = cursor.price_ticks[r]
            row.size_lots = cursor.size_lots[r]
            start = cursor.trade_id_offsets[r]
            length = cursor.trade_id_offsets[r + 1] - start
            if length < TRADE_ID_CAPACITY:
                row.trade_id_length = length
                if length > 0:
                    memcpy(
                        &self.trade_ids[(self.tail & self.mask) * TRADE_ID_CAPACITY],
                        &cursor.trade_id_data[start],
                        length,
                    )
            else:
                row.trade_id_length = -1
                self.long_trade_ids[self.tail] = cursor.trade_id_at(r)
        else:
            row.price_ticks = cursor.bid_price_ticks[r]
            row.size_lots = cursor.bid_size_lots[r]
            row.ask_price_ticks = cursor.ask_price_ticks[r]
            row.ask_size_lots = cursor.ask_size_lots[r]
        # Venue timeline: ts_event within [ts_recv - max lag, ts_recv], in order per venue.
        venue_ns = row.ts_event
        if venue_ns > row.ts_recv:
            venue_ns = row.ts_recv
        if venue_ns < row.ts_recv - self.max_feed_lag_ns:
            venue_ns = row.ts_recv - self.max_feed_lag_ns
        if venue >= 0:
            if venue_ns < self._venue_last_ns[venue]:
                venue_ns = self._venue_last_ns[venue]
            self._venue_last_ns[venue] = venue_ns
        row.venue_ns = venue_ns
        # Strategy timeline: the feed model's time, never before the venue's, never backwards.
        local_ns = row.ts_recv if self._is_receive_feed else self.feed_latency.feed_time_ns(
            row.ts_event, row.ts_recv
        )
        if local_ns < venue_ns:
            local_ns = venue_ns
        if local_ns < self._last_local_ns:
            local_ns = self._last_local_ns
        self._last_local_ns = local_ns
        row.local_ns = local_ns
        self._merge.advance(stream)
        self.tail += 1
        self.event_count += 1
        return 0

    cdef int release(self, int64_t head) except -1:
        """Drop the rows before ``head`` (both timelines are done with them); double the ring
        when it is still full."""
        cdef int64_t new_capacity
        cdef ReplayRow* rows
        cdef char* trade_ids
        cdef int64_t position
        if self.long_trade_ids:
            for position in range(self.head, head):
                self.long_trade_ids.pop(position, None)
        self.head = head
        if self.tail - self.head < self.capacity:
            return 0
        new_capacity = 2 * self.capacity
        rows = <ReplayRow*>malloc(new_capacity * sizeof(ReplayRow))
        trade_ids = <char*>malloc(new_capacity * TRADE_ID_CAPACITY)
        if rows == NULL or trade_ids == NULL:
            free(rows)
            free(trade_ids)
            raise MemoryError(f"ReplayRing: cannot grow the replay ring to {new_capacity} rows")
        for position in range(self.head, self.tail):
            rows[position & (new_capacity - 1)] = self.rows[position & self.mask]
            memcpy(
                &trade_ids[(position & (new_capacity - 1)) * TRADE_ID_CAPACITY],
                &self.trade_ids[(position & self.mask) * TRADE_ID_CAPACITY],
                TRADE_ID_CAPACITY,
            )
        free(self.rows)
        free(self.trade_ids)
        self.rows = rows
        self.trade_ids = trade_ids
        self.capacity = new_capacity
        self.mask = new_capacity - 1
        return 0

    cdef int _check_book_row(self, ReplayRow* row, object cursor) except -1:
        if row.action == BookAction.CLEAR:
            return 0
        if (
            (row.side != Side.BUY and row.side != Side.SELL)
            or row.price_ticks < 1
            or row.price_ticks > MAX_PRICE_TICKS
            or row.size_lots < 0
            or row.action < BookAction.ADD
            or row.action > BookAction.CLEAR
        ):
            raise DecodeError(
                f"{cursor!r}: book row: side {row.side}, price_ticks {row.price_ticks}, "
                f"size_lots {row.size_lots}, action {row.action}: expected side 1 or 2, price "
                f"1..{MAX_PRICE_TICKS}, size >= 0, action 1..4"
            )
        return 0

    cdef int64_t peek_unread_ns(self) noexcept:
        # ts_recv of the merge's next unread row (INT64_MAX at the end).
        if self._merge._heap_size == 0:
            return INT64_MAX
        return self._merge._heap[0].ts_recv_ns

    cdef object trade_id_text(self, ReplayRow* row, const char* data, int64_t position):
        """Return a trade row's id: ``data`` holds it inline, else ``long_trade_ids[position]``."""
        if row.trade_id_length < 0:
            return self.long_trade_ids[position]
        if row.trade_id_length == 0:
            return "-"  # a TradeId cannot be empty; catalogs without trade ids store ""
        return data[:row.trade_id_length].decode("utf-8")
