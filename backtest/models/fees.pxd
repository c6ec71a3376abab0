"""Fee schedules of the simulated venues: maker/taker rates and the asset fees are charged in."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.enums cimport Side
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money


cpdef enum FeeAsset:
    QUOTE = 1      # always the quote asset (derivatives settle in it; some spot venues)
    RECEIVED = 2   # the asset received: base on a spot buy, quote on a spot sell (Binance, OKX)


@cython.final
cdef class FeeSchedule:
    cdef readonly object maker_rate
    """Maker fee rate, ``Decimal`` (negative for a rebate)."""
    cdef readonly object taker_rate
    """Taker fee rate, ``Decimal``."""
    cdef readonly FeeAsset fee_asset
    """Which asset a fill's fee is charged in."""

    cpdef Money fee(
        self, Instrument instrument, Side side, int64_t price_ticks, int64_t qty_lots, bint is_maker
    )
    cpdef str fee_currency(self, Instrument instrument, Side side)
