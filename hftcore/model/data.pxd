"""Market data events: book deltas, batches and snapshots, quotes (BBO) and trades.

Prices are int64 ticks and sizes int64 lots of the event's instrument. ``ts_event`` is the venue
time and ``ts_recv`` the local receive time, both UNIX nanoseconds.
"""

cimport cython
from libc.stdint cimport int64_t, uint64_t

from hftcore.model.enums cimport AggressorSide, BookAction, Side
from hftcore.model.identifiers cimport InstrumentId, TradeId


# -- BOOK --------------------------------------------------------------------------------------

@cython.final
cdef class BookDelta:
    cdef readonly InstrumentId instrument_id
    """The instrument the delta applies to."""
    cdef readonly BookAction action
    """ADD, UPDATE, DELETE (size 0) or CLEAR (whole book)."""
    cdef readonly Side side
    """BUY for a bid level, SELL for an ask level."""
    cdef readonly int64_t price_ticks
    """Level price in ticks."""
    cdef readonly int64_t size_lots
    """New total size of the level in lots; 0 deletes the level."""
    cdef readonly uint64_t sequence
    """Venue sequence number of the update, 0 when the venue has none."""
    cdef readonly bint is_last
    """True on the last delta of a venue message (the book is consistent after it)."""
    cdef readonly int64_t ts_event
    """Venue time of the update, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive time, UNIX ns."""

    @staticmethod
    cdef BookDelta create(
        InstrumentId instrument_id,
        BookAction action,
        Side side,
        int64_t price_ticks,
        int64_t size_lots,
        uint64_t sequence,
        bint is_last,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class BookDeltas:
    cdef readonly InstrumentId instrument_id
    """The instrument all deltas apply to."""
    cdef readonly list deltas
    """The ``BookDelta`` objects in venue order; the last one has ``is_last`` set."""
    cdef readonly uint64_t sequence
    """Sequence of the last delta."""
    cdef readonly int64_t ts_event
    """Venue time of the last delta, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive time of the batch, UNIX ns."""

    @staticmethod
    cdef BookDeltas create(InstrumentId instrument_id, list deltas)

    cdef int _init(self, InstrumentId instrument_id, list deltas) except -1


@cython.final
cdef class BookSnapshot:
    cdef readonly InstrumentId instrument_id
    """The instrument the snapshot describes."""
    cdef readonly object bid_prices_ticks
    """numpy int64 array of bid prices in ticks, best (highest) first."""
    cdef readonly object bid_sizes_lots
    """numpy int64 array of bid sizes in lots, aligned with ``bid_prices_ticks``."""
    cdef readonly object ask_prices_ticks
    """numpy int64 array of ask prices in ticks, best (lowest) first."""
    cdef readonly object ask_sizes_lots
    """numpy int64 array of ask sizes in lots, aligned with ``ask_prices_ticks``."""
    cdef readonly uint64_t sequence
    """Venue sequence (e.g. Binance ``lastUpdateId``), 0 when none."""
    cdef readonly int64_t ts_event
    """Venue time of the snapshot, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive time, UNIX ns."""

    @staticmethod
    cdef BookSnapshot create(
        InstrumentId instrument_id,
        object bid_prices_ticks,
        object bid_sizes_lots,
        object ask_prices_ticks,
        object ask_sizes_lots,
        uint64_t sequence,
        int64_t ts_event,
        int64_t ts_recv,
    )


# -- TOP OF BOOK AND TRADES --------------------------------------------------------------------

@cython.final
cdef class Quote:
    cdef readonly InstrumentId instrument_id
    """The instrument quoted."""
    cdef readonly int64_t bid_price_ticks
    """Best bid price in ticks."""
    cdef readonly int64_t bid_size_lots
    """Best bid size in lots."""
    cdef readonly int64_t ask_price_ticks
    """Best ask price in ticks."""
    cdef readonly int64_t ask_size_lots
    """Best ask size in lots."""
    cdef readonly int64_t ts_event
    """Venue time, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive time, UNIX ns."""

    @staticmethod
    cdef Quote create(
        InstrumentId instrument_id,
        int64_t bid_price_ticks,
        int64_t bid_size_lots,
        int64_t ask_price_ticks,
        int64_t ask_size_lots,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class Trade:
    cdef readonly InstrumentId instrument_id
    """The instrument traded."""
    cdef readonly int64_t price_ticks
    """Trade price in ticks."""
    cdef readonly int64_t size_lots
    """Trade size in lots."""
    cdef readonly AggressorSide aggressor_side
    """BUYER when the taker bought, SELLER when the taker sold."""
    cdef readonly TradeId trade_id
    """The venue's trade id."""
    cdef readonly int64_t ts_event
    """Venue time, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive time, UNIX ns."""

    @staticmethod
    cdef Trade create(
        InstrumentId instrument_id,
        int64_t price_ticks,
        int64_t size_lots,
        AggressorSide aggressor_side,
        TradeId trade_id,
        int64_t ts_event,
        int64_t ts_recv,
    )
