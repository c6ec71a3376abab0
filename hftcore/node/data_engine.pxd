"""Applies market data to the cache's books and hands it to subscribers on the bus."""

from libc.stdint cimport int64_t, uint64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.bus.message_bus cimport MessageBus, TopicHandle
from hftcore.cache.cache cimport Cache
from hftcore.model.data cimport BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.identifiers cimport InstrumentId


cdef class InstrumentFeed:
    cdef readonly InstrumentId instrument_id
    """The instrument this feed maintains."""
    cdef readonly OrderBook book
    """The instrument's book (also held by the cache)."""
    cdef readonly TopicHandle book_topic
    """Bus topic of consistent book updates (``book.<venue>.<symbol>``)."""
    cdef readonly TopicHandle quote_topic
    """Bus topic of top-of-book changes (``quote.<venue>.<symbol>``)."""
    cdef readonly TopicHandle trade_topic
    """Bus topic of public trades (``trade.<venue>.<symbol>``)."""
    cdef readonly int64_t last_bid_price_ticks
    """Best bid at the last published quote (or last consistent state)."""
    cdef readonly int64_t last_bid_size_lots
    """Best bid size at the last consistent state."""
    cdef readonly int64_t last_ask_price_ticks
    """Best ask at the last consistent state."""
    cdef readonly int64_t last_ask_size_lots
    """Best ask size at the last consistent state."""
    cdef readonly uint64_t quote_count
    """Top-of-book changes seen."""


cdef class DataEngine:
    cdef MessageBus _bus
    cdef Cache _cache
    cdef dict _feeds
    cdef readonly uint64_t event_count
    """Market data events processed."""
    cdef readonly uint64_t unknown_event_count
    """Events of a type the engine does not handle (counted, then dropped)."""

    # -- FEEDS ---------------------------------------------------------------------------------
    cpdef InstrumentFeed feed(self, InstrumentId instrument_id)
    cpdef InstrumentFeed add_feed(self, InstrumentId instrument_id, bint l1_only=*)

    # -- PROCESSING ----------------------------------------------------------------------------
    cpdef void process(self, object event) except *
    cdef int process_deltas(self, BookDeltas deltas) except -1
    cdef int process_delta(self, BookDelta delta) except -1
    cdef int process_snapshot(self, BookSnapshot snapshot) except -1
    cdef int process_quote(self, Quote quote) except -1
    cdef int process_trade(self, Trade trade) except -1
    cdef int book_consistent(self, InstrumentFeed feed, int64_t ts_event, int64_t ts_recv) except -1
    cdef int publish_trade(self, InstrumentFeed feed, Trade trade) except -1
    cdef InstrumentFeed _require_feed(self, InstrumentId instrument_id)
