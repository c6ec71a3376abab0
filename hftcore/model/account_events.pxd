"""Account events: balances per venue and asset, positions per instrument."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport InstrumentId, Venue
from hftcore.model.money cimport Money


@cython.final
cdef class BalanceUpdate:
    cdef readonly Venue venue
    """The venue holding the balance."""
    cdef readonly str asset
    """The asset, e.g. ``USDT``; ``free`` and ``locked`` are in this currency."""
    cdef readonly Money free
    """Amount available for new orders and withdrawals."""
    cdef readonly Money locked
    """Amount reserved by open orders (never negative)."""
    cdef readonly int64_t ts_event
    """Venue time of the balance, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive time, UNIX ns."""

    @staticmethod
    cdef BalanceUpdate create(
        Venue venue, str asset, Money free, Money locked, int64_t ts_event, int64_t ts_recv
    )


@cython.final
cdef class PositionUpdate:
    cdef readonly InstrumentId instrument_id
    """The instrument of the position."""
    cdef readonly int64_t quantity_lots
    """Signed position in lots: > 0 long, < 0 short, 0 flat."""
    cdef readonly object avg_price
    """Exact average entry price as a ``Decimal`` (0 when flat)."""
    cdef readonly Money realized_pnl
    """Profit and loss realized so far on the position."""
    cdef readonly int64_t ts_event
    """Time of the change, UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local receive or creation time, UNIX ns."""

    @staticmethod
    cdef PositionUpdate create(
        InstrumentId instrument_id,
        int64_t quantity_lots,
        object avg_price,
        Money realized_pnl,
        int64_t ts_event,
        int64_t ts_recv,
    )
