"""Order matching of one instrument at a simulated venue, against the book rebuilt from data."""

cimport cython
from libc.stdint cimport int64_t

from backtest.account cimport SimAccount
from backtest.matching.orders cimport SimOrder
from backtest.matching.reports cimport ReportQueue, VenueIds
from backtest.models.fees cimport FeeSchedule
from backtest.models.queue cimport QueueModel
from hftcore.book.l2_book cimport L2Book
from hftcore.book.order_book cimport OrderBook
from hftcore.model.enums cimport AggressorSide, LiquiditySide, Side
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId
from hftcore.model.instrument cimport Instrument


# Displayed liquidity our aggressive orders took at one level, until the data updates the level.
cdef struct TakenLevel:
    int64_t price_ticks
    int64_t lots
    Side side


# Price and side of one resting order, parallel to ``MatchingEngine._resting``.
cdef struct RestingKey:
    int64_t price_ticks
    Side side


@cython.final
cdef class MatchingEngine:
    cdef readonly Instrument instrument
    """The instrument matched."""
    cdef readonly InstrumentId instrument_id
    """Its id."""
    cdef readonly L2Book book
    """The venue-side book, rebuilt from the data on the venue timeline (``ts_event``)."""
    cdef readonly FeeSchedule fees
    """Maker/taker rates and fee asset."""
    cdef readonly QueueModel queue_model
    """How resting orders advance in their level's queue."""
    cdef readonly SimAccount account
    """The venue account orders are checked against and fills settle in."""
    cdef readonly ReportQueue reports
    """Where reports to the strategy go."""
    cdef readonly VenueIds ids
    """The venue's order and trade id counters."""
    cdef readonly OrderBook local_book
    """The strategy-side book (for the mid at each fill), or None."""
    cdef readonly Py_ssize_t resting_count
    """Our orders resting in the book."""
    cdef list _resting
    cdef dict _open
    cdef bint _in_snapshot
    cdef double _lot_size_f
    cdef TakenLevel* _taken
    cdef Py_ssize_t _taken_count
    cdef Py_ssize_t _taken_capacity
    cdef RestingKey* _resting_keys
    cdef Py_ssize_t _resting_capacity

    # -- COUNTERS ------------------------------------------------------------------------------
    cdef readonly int64_t accepted_count
    """Orders accepted."""
    cdef readonly int64_t rejected_count
    """Orders rejected (invalid, post-only would cross, insufficient balance, duplicate id)."""
    cdef readonly int64_t maker_fill_count
    """Fills of resting orders."""
    cdef readonly int64_t taker_fill_count
    """Fills of aggressive orders."""
    cdef readonly int64_t canceled_count
    """Orders canceled on request."""
    cdef readonly int64_t expired_count
    """IOC, FOK and market orders whose remainder expired."""
    cdef readonly int64_t modified_count
    """Modifies applied."""
    cdef readonly int64_t modify_rejected_count
    """Modifies refused (would cross as post-only, below the filled quantity, no funds)."""
    cdef readonly int64_t late_cancel_count
    """Cancels that arrived after the order was filled or gone (they lose, as on a venue)."""
    cdef readonly int64_t late_modify_count
    """Modifies that arrived after the order was filled or gone."""

    # -- MARKET DATA (venue timeline) ----------------------------------------------------------
    cdef int on_book_level(self, Side side, int64_t price_ticks, int64_t size_lots) except -1
    cdef int on_book_clear(self) except -1
    cdef int on_book_consistent(self, int64_t venue_ns) except -1
    cdef int on_top_of_book(
        self,
        int64_t bid_price_ticks,
        int64_t bid_size_lots,
        int64_t ask_price_ticks,
        int64_t ask_size_lots,
        int64_t venue_ns,
    ) except -1
    cdef int on_trade(
        self, int64_t price_ticks, int64_t size_lots, AggressorSide aggressor, int64_t venue_ns
    ) except -1

    # -- COMMANDS ------------------------------------------------------------------------------
    cdef int submit(self, SimOrder order, int64_t venue_ns) except -1
    cdef int cancel(self, ClientOrderId client_order_id, int64_t venue_ns) except -1
    cdef int modify(
        self,
        ClientOrderId client_order_id,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t venue_ns,
    ) except -1

    # -- MATCHING ------------------------------------------------------------------------------
    cdef str _validate(self, SimOrder order)
    cdef bint _crosses(self, Side side, int64_t price_ticks) noexcept
    cdef int64_t _best_price(self, Side book_side) noexcept
    cdef int64_t _available_lots(
        self, Side book_side, int64_t price_ticks, int64_t size_lots
    ) noexcept
    cdef int64_t _level_lots(self, Side side, int64_t price_ticks) noexcept
    cdef list _taker_walk(self, SimOrder order)
    cdef int _take(self, SimOrder order, list walk, int64_t venue_ns) except -1
    cdef int _rest(self, SimOrder order, int64_t venue_ns, tuple need) except -1
    cdef int _grow_resting_keys(self) except -1
    cdef int _unrest(self, SimOrder order) except -1
    cdef int _fill(
        self, SimOrder order, int64_t price_ticks, int64_t qty_lots, LiquiditySide liquidity,
        int64_t venue_ns
    ) except -1
    cdef int _fill_crossed(self, int64_t venue_ns) except -1
    cdef int _add_taken(self, Side book_side, int64_t price_ticks, int64_t lots) except -1
    cdef void _clear_taken(self, Side book_side, int64_t price_ticks) noexcept
    cdef bint _rests_at(self, Side side, int64_t price_ticks) noexcept
    cdef bint _trade_reaches(self, int64_t price_ticks, AggressorSide aggressor) noexcept
    cdef bint _any_crossed(self, int64_t best_bid_ticks, int64_t best_ask_ticks) noexcept

    # -- REPORTS -------------------------------------------------------------------------------
    cdef int _reject(self, SimOrder order, str reason, int64_t venue_ns) except -1
    cdef int _report_updated(self, SimOrder order, int64_t venue_ns) except -1
    cdef int _report_closed(self, SimOrder order, bint is_canceled, int64_t venue_ns) except -1
