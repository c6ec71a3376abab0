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
    cdef int64_t _maker_raw
    cdef int _maker_places
    cdef int64_t _taker_raw
    cdef int _taker_places
    cdef object _multiplier_of
    cdef int64_t _multiplier_raw
    cdef int _multiplier_places

    cpdef Money fee(
        self, Instrument instrument, Side side, int64_t price_ticks, int64_t qty_lots, bint is_maker
    )
    cpdef str fee_currency(self, Instrument instrument, Side side)
    cdef int _set_multiplier(self, Instrument instrument) except -1


cdef int decimal_raw(object value, int64_t* raw, int* places) except -1
cdef bint product(int64_t a, int64_t b, int64_t* out) noexcept
