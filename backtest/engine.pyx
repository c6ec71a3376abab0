# cython: boundscheck=False, wraparound=False
"""The backtest replay engine: market data, strategy and simulated venues on two timelines.

The engine takes the merged catalog rows from a ``ReplayRing`` (C structs stamped with their
venue and local times, see ``backtest/replay/ring.pyx``) and plays every row twice:

- on the **venue timeline** at ``venue_ns``: the simulated venue's book (``MatchingEngine``)
  applies it, our resting orders advance in their queues and fill; commands we send arrive at
  ``send time + entry latency`` and are processed in venue-time order with the rows;
- on the **strategy timeline** at ``local_ns``: the node's book is updated and the data engine
  publishes books, quotes and trades (``book_consistent`` / ``publish_trade``, the same calls
  as live); reports reach the OMS at ``venue time + response latency``; timers fire.

Happenings are processed in time order; at equal times the venue goes first, then reports,
timers and rows on the strategy side. Before a strategy-side happening at ``t``, every venue
with resting orders or commands in flight is advanced to ``t`` (reading rows ahead while an
unread row could still have ``venue_ns <= t``), so a report generated before ``t`` is seen
before it and a command sent at ``t`` meets the book as it is at its arrival. An idle venue
(nothing resting, nothing in flight) applies its rows lazily, when the strategy sees them.

See ``docs/backtesting.md`` for the full model and its approximations.
"""

from libc.stdint cimport INT64_MAX, int64_t, uint8_t
from libc.stdlib cimport calloc, free
from libc.string cimport memcpy

from hftcore.errors import DecodeError
from hftcore.model.identifiers import InstrumentId

from backtest.fill_log cimport FillLog
from backtest.matching.reports cimport ReportQueue
from backtest.matching.venue cimport SimulatedVenue
from backtest.models.latency cimport FeedLatency
from backtest.replay.merge cimport KWayMerge, StreamKind
from backtest.replay.ring cimport TRADE_ID_CAPACITY, ReplayRing, ReplayRow
from backtest.venue_timeline cimport VenueTimeline
from hftcore.book.order_book cimport OrderBook
from hftcore.model.data cimport Quote, Trade
from hftcore.model.enums cimport AggressorSide, BookAction, Side
from hftcore.model.identifiers cimport TradeId
from hftcore.model.order_events cimport OrderEvent, OrderFilled
from hftcore.node.data_engine cimport InstrumentFeed
from hftcore.model.types cimport NO_PRICE_TICKS

cdef uint8_t FLAG_LAST = 1
cdef uint8_t FLAG_SNAPSHOT = 2


cdef inline int64_t _min(int64_t a, int64_t b) noexcept nogil:
    return a if a < b else b


cdef class BacktestEngine:
    """Replays merged catalog streams through a node's strategy and simulated venues.

    Parameters
    ----------
    node : TradingNode
        A BACKTEST node (``TestClock``) holding the instruments, strategies and one
        ``SimExecutionClient`` per simulated venue.
    merge : KWayMerge
        The merged streams to replay; each stream's ``SYMBOL.VENUE`` must be a node instrument.
    venues : list of SimulatedVenue
        The simulated venues, one per venue with an execution client; empty to replay data
        only (no venue timeline).
    feed_latency : FeedLatency, optional
        When the strategy sees each row; ``ReceiveTimeFeed`` (``ts_recv``) by default.
    max_feed_lag_ns : int, default 1 s
        Longest recorded feed delay honoured on the venue timeline.
    sample_interval_ns : int, default 1 s
        Data time between calls of ``on_sample``.
    on_sample : callable, optional
        ``on_sample(ts_ns)`` every ``sample_interval_ns`` of data time and at the end.
    on_fill : callable or FillLog, optional
        ``on_fill(event, mid_ticks)`` for each ``OrderFilled`` as the OMS receives it
        (``mid_ticks``: the strategy-side mid when the venue filled, None when unknown); a
        ``FillLog`` is recorded into without a Python call.
    on_start, on_stop : callable, optional
        Called once the clock is at the first row (start strategies here), and after the last
        row (stop them here); commands and reports in flight are then completed.

    Raises
    ------
    DecodeError
        If a stream's instrument is not in the node.
    """

    def __cinit__(self):
        self._pending_trades = NULL
        self._pending_trade_ids = NULL
        self._has_pending_trade = NULL

    def __init__(
        self,
        node,
        KWayMerge merge not None,
        list venues not None,
        FeedLatency feed_latency=None,
        int64_t max_feed_lag_ns=1_000_000_000,
        int64_t sample_interval_ns=1_000_000_000,
        on_sample=None,
        on_fill=None,
        on_start=None,
        on_stop=None,
    ):
        cdef int slot
        cdef int index
        cdef SimulatedVenue venue
        self.node = node
        self._clock = node.clock
        self._data_engine = node.data_engine
        self._exec_engine = node.exec_engine
        self.sample_interval_ns = sample_interval_ns
        self._on_sample = on_sample
        self._on_fill = on_fill
        self._fill_log = on_fill if type(on_fill) is FillLog else None
        self._on_start = on_start
        self._on_stop = on_stop
        self._venues = list(venues)
        self._venue_count = len(self._venues)
        self._has_venues = self._venue_count > 0
        venue_names = []
        for index in range(self._venue_count):
            venue_names.append((<SimulatedVenue>self._venues[index]).venue.value)
        self._rows = ReplayRing(merge, venue_names, feed_latency, max_feed_lag_ns)
        self.feed_latency = self._rows.feed_latency
        self.max_feed_lag_ns = max_feed_lag_ns

        # Slots: one per instrument in the streams, in stream order.
        self._slot_count = len(self._rows.instrument_ids)
        count = max(self._slot_count, 1)
        self._pending_trades = <ReplayRow*>calloc(count, sizeof(ReplayRow))
        self._pending_trade_ids = <char*>calloc(count, TRADE_ID_CAPACITY)
        self._has_pending_trade = <bint*>calloc(count, sizeof(bint))
        if (
            self._pending_trades == NULL or self._pending_trade_ids == NULL
            or self._has_pending_trade == NULL
        ):
            raise MemoryError()
        self._feeds = []
        matchers = []
        for slot in range(self._slot_count):
            iid = self._rows.instrument_ids[slot]
            feed = self._data_engine.feed(InstrumentId.from_str(iid))
            if feed is None:
                raise DecodeError(
                    f"stream instrument {iid}: not an instrument of the node; add it first"
                )
            self._feeds.append(feed)
            index = self._rows.slot_venue[slot]
            matcher = None
            if index >= 0:
                venue = self._venues[index]
                matcher = venue.engine(InstrumentId.from_str(iid))
            matchers.append(matcher)
        self._venue_timeline = VenueTimeline(self._rows, self._venues, matchers)
        self._pending_trade_count = 0
        self.report_count = 0
        self.first_ns = 0

    def __dealloc__(self):
        free(self._pending_trades)
        free(self._pending_trade_ids)
        free(self._has_pending_trade)

    # -- RUN -----------------------------------------------------------------------------------

    def run(self):
        """Replay every row, then stop the strategies and complete what is in flight.

        Returns
        -------
        int
            Rows replayed.

        Raises
        ------
        DecodeError
            If a row is malformed (the message names the stream and row).
        """
        if self._rows.local == self._rows.tail and not self._rows.is_done:
            self._venue_timeline.read_row()
        if self._rows.local < self._rows.tail:
            self.first_ns = self._rows.rows[self._rows.local & self._rows.mask].local_ns
            self._set_clock(self.first_ns)
            self._next_sample_ns = self.first_ns
        if self._on_start is not None:
            self._on_start()
        self._run_replay()
        self._flush_trades()
        if self._on_stop is not None:
            self._on_stop()
        self._drain()
        if self._on_sample is not None:
            self._on_sample(self._clock._time_ns)
        return self._rows.event_count

    cdef int _run_replay(self) except -1:
        cdef int64_t row_ns
        cdef int64_t timer_ns
        cdef int64_t report_ns
        cdef int64_t sample_ns
        cdef int64_t horizon_ns
        cdef int64_t limit_ns
        cdef bint is_quiet
        cdef bint is_active
        cdef ReplayRing rows = self._rows
        while True:
            if rows.local == rows.tail and not rows.is_done:
                self._venue_timeline.read_row()
            if rows.local == rows.tail:
                return 0  # no more rows: the replay ends with the data
            row_ns = rows.rows[rows.local & rows.mask].local_ns
            timer_ns = self._clock.next_timer_ns()
            report_ns = self._next_report_ns() if self._has_venues else INT64_MAX
            sample_ns = self._next_sample_ns if self._on_sample is not None else INT64_MAX
            # Quiet: no row can run strategy code (no data subscriber), so no row can send a
            # command, and the venues may run ahead to the next timer or report in one go.
            is_quiet = not self._has_data_handlers()
            horizon_ns = _min(timer_ns, _min(report_ns, sample_ns))
            if is_quiet:
                horizon_ns = _min(horizon_ns, row_ns + QUIET_WINDOW_NS)
            else:
                horizon_ns = _min(horizon_ns, row_ns)
            is_active = self._has_venues and self._venue_timeline.any_active()
            if is_active:
                horizon_ns = self._venue_timeline.advance(horizon_ns)
                report_ns = self._next_report_ns()
            if sample_ns < row_ns and sample_ns < timer_ns and sample_ns < report_ns:
                self._sample(_min(row_ns, _min(timer_ns, report_ns)))
                continue
            if report_ns <= row_ns and report_ns <= timer_ns:
                self._deliver_reports(report_ns)
                continue
            if timer_ns <= row_ns:
                self._fire_timers(timer_ns)
                continue
            # Rows before the next timer, report or sample (and, when venues are active, before
            # the horizon they were advanced to); one row at a time when rows run handlers.
            limit_ns = _min(timer_ns, _min(report_ns, sample_ns))
            if is_active:
                limit_ns = _min(limit_ns, horizon_ns + 1)
            while True:
                if self._deliver_row(&rows.rows[rows.local & rows.mask], rows.local):
                    rows.local += 1
                    break  # a handler ran: it may have sent orders
                rows.local += 1
                if rows.local == rows.tail:
                    if rows.is_done:
                        break
                    self._venue_timeline.read_row()
                    if rows.local == rows.tail:
                        break
                if rows.rows[rows.local & rows.mask].local_ns >= limit_ns:
                    break

    cdef bint _has_data_handlers(self) noexcept:
        cdef InstrumentFeed feed
        cdef int slot
        for slot in range(self._slot_count):
            feed = <InstrumentFeed>self._feeds[slot]
            if (
                len(feed.book_topic.handlers) > 0
                or len(feed.quote_topic.handlers) > 0
                or len(feed.trade_topic.handlers) > 0
            ):
                return True
        return False

    cdef int _drain(self) except -1:
        # After the last row: complete the commands and reports in flight (cancels of on_stop).
        cdef int64_t report_ns
        if not self._has_venues:
            return 0
        while True:
            self._venue_timeline.advance(self._next_report_ns())
            report_ns = self._next_report_ns()
            if report_ns == INT64_MAX:
                return 0
            self._deliver_reports(report_ns)

    cdef int64_t _next_report_ns(self) noexcept:
        cdef int64_t best_ns = INT64_MAX
        cdef int index
        cdef SimulatedVenue venue
        for index in range(self._venue_count):
            venue = <SimulatedVenue>self._venues[index]
            if venue.reports.next_ns < best_ns:
                best_ns = venue.reports.next_ns
        return best_ns

    cdef int _deliver_reports(self, int64_t local_ns) except -1:
        cdef int index
        cdef ReportQueue reports
        cdef object event
        cdef double mid_ticks
        cdef bint has_mid
        self._flush_trades()
        self._set_clock(local_ns)
        for index in range(self._venue_count):
            reports = (<SimulatedVenue>self._venues[index]).reports
            while reports.next_ns == local_ns:
                event = reports.pop()
                self.report_count += 1
                if self._on_fill is None or type(event) is not OrderFilled:
                    self._exec_engine.process(<OrderEvent>event)
                    continue
                mid_ticks = reports.popped_mid_ticks
                has_mid = reports.popped_has_mid
                self._exec_engine.process(<OrderEvent>event)
                if self._fill_log is not None:
                    self._fill_log.record(<OrderFilled>event, mid_ticks, has_mid)
                else:
                    self._on_fill(event, mid_ticks if has_mid else None)
        return 0

    cdef int _fire_timers(self, int64_t local_ns) except -1:
        self._flush_trades()
        self._clock.advance_time_c(local_ns, True)
        return 0

    cdef int _sample(self, int64_t horizon_ns) except -1:
        # One sample per crossed boundary; a gap in the data gives one sample, not thousands.
        cdef int64_t sample_ns = self._next_sample_ns
        self._flush_trades()
        self._on_sample(sample_ns)
        self._next_sample_ns = sample_ns + self.sample_interval_ns
        if self._next_sample_ns < horizon_ns:
            self._next_sample_ns += (
                (horizon_ns - self._next_sample_ns) // self.sample_interval_ns
            ) * self.sample_interval_ns
        return 0

    cdef int _set_clock(self, int64_t local_ns) except -1:
        # Timers due before ``local_ns`` have fired in the replay; after it (draining) they fire
        # here. Timers due exactly at ``local_ns`` stay pending: they come after reports.
        if self._clock.next_timer_ns() < local_ns:
            self._clock.advance_time_c(local_ns - 1, True)
        if local_ns > self._clock._time_ns:
            self._clock.set_time_c(local_ns)
        return 0

    # -- STRATEGY TIMELINE ---------------------------------------------------------------------

    cdef int _deliver_row(self, ReplayRow* row, int64_t position) except -1:
        """Apply one row on the strategy side; return 1 when a bus handler ran."""
        cdef InstrumentFeed feed = <InstrumentFeed>self._feeds[row.slot]
        cdef OrderBook book = feed.book
        cdef int64_t local_ns = row.local_ns
        cdef bint has_handlers
        if row.venue >= 0 and self._venue_timeline.cursor[row.venue] <= position:
            self._venue_timeline.catch_up(row.venue, position)
        if local_ns > self._clock._time_ns:
            self._clock.set_time_c(local_ns)
        if row.kind == StreamKind.BOOK:
            if row.action == BookAction.CLEAR:
                book._clear()
            elif row.action == BookAction.DELETE:
                book._update_level(<Side>row.side, row.price_ticks, 0)
            else:
                book._update_level(<Side>row.side, row.price_ticks, row.size_lots)
            book._stamp(row.sequence, row.ts_event, local_ns)
            if row.flags & FLAG_LAST:
                has_handlers = (
                    len(feed.book_topic.handlers) > 0 or len(feed.quote_topic.handlers) > 0
                )
                if has_handlers:
                    self._flush_trades()
                    self._data_engine.book_consistent(feed, row.ts_event, local_ns)
                    return 1
                self._data_engine.book_consistent(feed, row.ts_event, local_ns)
            return 0
        if row.kind == StreamKind.TRADES:
            if len(feed.trade_topic.handlers) > 0:
                self._flush_trades()
                self._data_engine.publish_trade(
                    feed,
                    Trade.create(
                        feed.instrument_id,
                        row.price_ticks,
                        row.size_lots,
                        <AggressorSide>row.side,
                        TradeId(self._rows.trade_id_text(
                            row,
                            &self._rows.trade_ids[
                                (position & self._rows.mask) * TRADE_ID_CAPACITY
                            ],
                            position,
                        )),
                        row.ts_event,
                        local_ns,
                    ),
                )
                return 1
            return self._hold_trade(row, position)
        # Quotes: the book of a quotes-only instrument; otherwise passed through to subscribers.
        if self._rows.slot_book_from_quotes[row.slot]:
            _set_top(book, row)
            book._stamp(0, row.ts_event, local_ns)
            has_handlers = len(feed.book_topic.handlers) > 0 or len(feed.quote_topic.handlers) > 0
            if has_handlers:
                self._flush_trades()
            self._data_engine.book_consistent(feed, row.ts_event, local_ns)
            return has_handlers
        if len(feed.quote_topic.handlers) > 0:
            self._flush_trades()
            self._data_engine._bus.publish_c(
                feed.quote_topic,
                Quote.create(
                    feed.instrument_id,
                    row.price_ticks,
                    row.size_lots,
                    row.ask_price_ticks,
                    row.ask_size_lots,
                    row.ts_event,
                    local_ns,
                ),
            )
            return 1
        return 0

    cdef int _hold_trade(self, ReplayRow* row, int64_t position) except -1:
        # No subscriber: keep the trade as the instrument's last; the cache gets it (as a Trade
        # object) only before the next Python code runs.
        cdef int slot = row.slot
        self._pending_trades[slot] = row[0]
        if row.trade_id_length >= 0:
            memcpy(
                &self._pending_trade_ids[slot * TRADE_ID_CAPACITY],
                &self._rows.trade_ids[(position & self._rows.mask) * TRADE_ID_CAPACITY],
                row.trade_id_length,
            )
        else:
            self._rows.long_trade_ids[-1 - slot] = self._rows.long_trade_ids.get(position)
        if not self._has_pending_trade[slot]:
            self._has_pending_trade[slot] = True
            self._pending_trade_count += 1
        return 0

    cdef int _flush_trades(self) except -1:
        cdef int slot
        cdef ReplayRow* row
        cdef InstrumentFeed feed
        if self._pending_trade_count == 0:
            return 0
        for slot in range(self._slot_count):
            if not self._has_pending_trade[slot]:
                continue
            self._has_pending_trade[slot] = False
            row = &self._pending_trades[slot]
            feed = <InstrumentFeed>self._feeds[slot]
            self._data_engine.publish_trade(
                feed,
                Trade.create(
                    feed.instrument_id,
                    row.price_ticks,
                    row.size_lots,
                    <AggressorSide>row.side,
                    TradeId(self._rows.trade_id_text(
                        row, &self._pending_trade_ids[slot * TRADE_ID_CAPACITY], -1 - slot
                    )),
                    row.ts_event,
                    row.local_ns,
                ),
            )
        self._pending_trade_count = 0
        return 0

    # -- PYTHON ACCESS -------------------------------------------------------------------------

    @property
    def venue_row_count(self):
        """int: Rows applied on the venue timeline."""
        return self._venue_timeline.venue_row_count

    @property
    def event_count(self):
        """int: Market data rows read from the data."""
        return self._rows.event_count

    @property
    def ring_capacity(self):
        """int: Rows the replay ring holds (grows when the venue timeline reads far ahead)."""
        return self._rows.capacity


cdef int _set_top(OrderBook book, ReplayRow* row) except -1:
    # Quotes-only instruments: the strategy-side L1 book is the quote.
    if row.size_lots > 0:
        book.best_bid_price_ticks = row.price_ticks
        book.best_bid_size_lots = row.size_lots
    else:
        book.best_bid_price_ticks = NO_PRICE_TICKS
        book.best_bid_size_lots = 0
    if row.ask_size_lots > 0:
        book.best_ask_price_ticks = row.ask_price_ticks
        book.best_ask_size_lots = row.ask_size_lots
    else:
        book.best_ask_price_ticks = NO_PRICE_TICKS
        book.best_ask_size_lots = 0
    return 0
