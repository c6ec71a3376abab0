"""Applies market data to the cache's books and hands it to subscribers on the bus.

Live and paper nodes feed it decoded events (``process``); the backtest engine drives the same
books and calls the same ``book_consistent`` / ``publish_trade`` from its replay loop, so a
strategy sees identical callbacks in every environment:

- ``book.<venue>.<symbol>``: the ``OrderBook`` after each consistent update (the last delta of
  a venue message, or a snapshot);
- ``quote.<venue>.<symbol>``: a ``Quote`` only when the best bid or ask (price or size) changed;
- ``trade.<venue>.<symbol>``: each public ``Trade``.
"""

import logging

from hftcore.book.l1_book import L1Book
from hftcore.book.l2_book import L2Book
from hftcore.bus.topics import topic_for
from hftcore.errors import UnknownInstrumentError

from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.book.l1_book cimport L1Book
from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.model.data cimport BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.types cimport NO_PRICE_TICKS

log = logging.getLogger(__name__)


cdef class InstrumentFeed:
    """Book and bus topics of one instrument, with the last top of book seen."""

    def __cinit__(self, InstrumentId instrument_id, OrderBook book, MessageBus bus):
        cdef str venue = instrument_id.venue.value
        cdef str symbol = instrument_id.symbol.value
        self.instrument_id = instrument_id
        self.book = book
        self.book_topic = bus.topic_handle(topic_for("book", venue, symbol))
        self.quote_topic = bus.topic_handle(topic_for("quote", venue, symbol))
        self.trade_topic = bus.topic_handle(topic_for("trade", venue, symbol))
        self.last_bid_price_ticks = NO_PRICE_TICKS
        self.last_ask_price_ticks = NO_PRICE_TICKS

    def __repr__(self):
        return f"InstrumentFeed({self.instrument_id.value})"


cdef class DataEngine:
    """Keeps one book per instrument in the cache and publishes books, quotes and trades.

    Parameters
    ----------
    bus : MessageBus
        Where book, quote and trade topics are published.
    cache : Cache
        Where the books live.
    """

    def __cinit__(self, MessageBus bus, Cache cache):
        if bus is None or cache is None:
            raise TypeError("DataEngine: bus and cache are required")
        self._bus = bus
        self._cache = cache
        self._feeds = {}

    # -- FEEDS ---------------------------------------------------------------------------------

    cpdef InstrumentFeed feed(self, InstrumentId instrument_id):
        """Return the feed of ``instrument_id``, or ``None`` when it has none."""
        return self._feeds.get(instrument_id)

    cpdef InstrumentFeed add_feed(self, InstrumentId instrument_id, bint l1_only=False):
        """Create (once) the book and topics of ``instrument_id`` and return its feed.

        Parameters
        ----------
        instrument_id : InstrumentId
            The instrument.
        l1_only : bool
            Keep only the best bid/offer (``L1Book``) instead of the full L2 book.
        """
        cdef InstrumentFeed existing = self._feeds.get(instrument_id)
        if existing is not None:
            return existing
        book = L1Book(instrument_id) if l1_only else L2Book(instrument_id)
        cdef InstrumentFeed feed = InstrumentFeed(instrument_id, book, self._bus)
        self._feeds[instrument_id] = feed
        self._cache.add_book(book)
        return feed

    def feeds(self):
        """Return every feed, in creation order."""
        return list(self._feeds.values())

    # -- PROCESSING ----------------------------------------------------------------------------

    cpdef void process(self, object event) except *:
        """Apply one market data event (BookDeltas, BookDelta, BookSnapshot, Quote or Trade).

        Events of another type are counted in ``unknown_event_count`` and dropped with a
        warning; an event for an instrument without a feed raises ``UnknownInstrumentError``.
        """
        self.event_count += 1
        if type(event) is BookDeltas:
            self.process_deltas(<BookDeltas>event)
        elif type(event) is Quote:
            self.process_quote(<Quote>event)
        elif type(event) is Trade:
            self.process_trade(<Trade>event)
        elif type(event) is BookDelta:
            self.process_delta(<BookDelta>event)
        elif type(event) is BookSnapshot:
            self.process_snapshot(<BookSnapshot>event)
        else:
            self.unknown_event_count += 1
            log.warning("unknown market data event type=%s", type(event).__name__)

    cdef int process_deltas(self, BookDeltas deltas) except -1:
        cdef InstrumentFeed feed = self._require_feed(deltas.instrument_id)
        feed.book.apply_deltas(deltas)
        if (<BookDelta>deltas.deltas[len(deltas.deltas) - 1]).is_last:
            self.book_consistent(feed, deltas.ts_event, deltas.ts_recv)
        return 0

    cdef int process_delta(self, BookDelta delta) except -1:
        cdef InstrumentFeed feed = self._require_feed(delta.instrument_id)
        feed.book._check_delta(delta)
        feed.book._apply_delta(delta)
        if delta.is_last:
            self.book_consistent(feed, delta.ts_event, delta.ts_recv)
        return 0

    cdef int process_snapshot(self, BookSnapshot snapshot) except -1:
        cdef InstrumentFeed feed = self._require_feed(snapshot.instrument_id)
        feed.book._check_snapshot(snapshot)
        feed.book._apply_snapshot(snapshot)
        self.book_consistent(feed, snapshot.ts_event, snapshot.ts_recv)
        return 0

    cdef int process_quote(self, Quote quote) except -1:
        cdef InstrumentFeed feed = self._require_feed(quote.instrument_id)
        if isinstance(feed.book, L1Book):
            (<L1Book>feed.book)._check_quote(quote)
            (<L1Book>feed.book)._apply_quote(quote)
            self.book_consistent(feed, quote.ts_event, quote.ts_recv)
        elif feed.quote_topic.handlers:
            # An L2 feed derives its quotes from the book; a venue BBO stream is passed through.
            self._bus.publish_c(feed.quote_topic, quote)
        return 0

    cdef int process_trade(self, Trade trade) except -1:
        cdef InstrumentFeed feed = self._require_feed(trade.instrument_id)
        self.publish_trade(feed, trade)
        return 0

    cdef int book_consistent(
        self, InstrumentFeed feed, int64_t ts_event, int64_t ts_recv
    ) except -1:
        # Publishes the book, and a quote when its top changed; called after a consistent update.
        cdef OrderBook book = feed.book
        if feed.book_topic.handlers:
            self._bus.publish_c(feed.book_topic, book)
        if (
            book.best_bid_price_ticks == feed.last_bid_price_ticks
            and book.best_ask_price_ticks == feed.last_ask_price_ticks
            and book.best_bid_size_lots == feed.last_bid_size_lots
            and book.best_ask_size_lots == feed.last_ask_size_lots
        ):
            return 0
        feed.last_bid_price_ticks = book.best_bid_price_ticks
        feed.last_bid_size_lots = book.best_bid_size_lots
        feed.last_ask_price_ticks = book.best_ask_price_ticks
        feed.last_ask_size_lots = book.best_ask_size_lots
        feed.quote_count += 1
        if feed.quote_topic.handlers:
            self._bus.publish_c(
                feed.quote_topic,
                Quote.create(
                    feed.instrument_id,
                    book.best_bid_price_ticks,
                    book.best_bid_size_lots,
                    book.best_ask_price_ticks,
                    book.best_ask_size_lots,
                    ts_event,
                    ts_recv,
                ),
            )
        return 0

    cdef int publish_trade(self, InstrumentFeed feed, Trade trade) except -1:
        self._cache.set_last_trade(trade)
        if feed.trade_topic.handlers:
            self._bus.publish_c(feed.trade_topic, trade)
        return 0

    cdef InstrumentFeed _require_feed(self, InstrumentId instrument_id):
        cdef InstrumentFeed feed = self._feeds.get(instrument_id)
        if feed is None:
            raise UnknownInstrumentError(
                f"instrument_id: {instrument_id} has no feed; add it to the node first"
            )
        return feed
