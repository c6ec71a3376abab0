"""Positions: the net position in one instrument, and the net exposure to one base asset."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money
from hftcore.model.order_events cimport OrderFilled
from hftcore.portfolio.amounts cimport int128_t
from hftcore.portfolio.balance cimport AssetBalance


# -- EXPOSURE ----------------------------------------------------------------------------------

@cython.final
cdef class AssetPosition:
    cdef readonly str asset
    """The base asset, e.g. ``BTC``."""
    cdef readonly double units_f
    """Net position in the asset summed over every instrument and venue (units, not lots)."""


# -- POSITION ----------------------------------------------------------------------------------

@cython.final
cdef class Position:
    cdef readonly Instrument instrument
    """The instrument of the position."""
    cdef readonly InstrumentId instrument_id
    """The instrument id."""
    cdef readonly int64_t quantity_lots
    """Signed net position in lots: > 0 long, < 0 short, 0 flat."""
    cdef readonly object leverage
    """Leverage of a perpetual or future (``Decimal``); 1 for spot."""
    cdef readonly int64_t fill_count
    """Fills applied."""
    cdef readonly int64_t ts_last
    """Time of the last fill, UNIX ns; 0 before any."""
    cdef readonly AssetBalance base_balance
    """Balance of the base asset on the instrument's venue (spot; None for derivatives)."""
    cdef readonly AssetBalance quote_balance
    """Balance of the quote asset on the instrument's venue."""
    cdef readonly AssetBalance settle_balance
    """Balance of the settlement asset on the instrument's venue (margin, PnL)."""
    cdef readonly bint is_spot
    """True for spot: fills move base and quote balances; else PnL and margin move settle."""
    cdef AssetPosition _exposure
    cdef bint _is_exact
    cdef int128_t _tick_lot_e18
    cdef int128_t _units_per_lot_e18
    cdef int64_t _leverage_num
    cdef int64_t _leverage_den
    cdef int128_t _cost_e18
    cdef int128_t _realized_e18
    cdef int128_t _margin_e18
    cdef int128_t _quote_fees_e18
    cdef object _cost_dec
    cdef object _realized_dec
    cdef object _margin_dec
    cdef dict _other_fees
    cdef object _avg
    cdef int128_t _avg_cost_e18
    cdef int64_t _avg_lots
    cdef object _units_per_lot_int
    cdef Money _written_realized
    cdef object _units_per_lot
    cdef double _units_per_lot_f
    cdef double _leverage_f

    # -- FILLS ---------------------------------------------------------------------------------
    cdef bint _apply_fill_e18(
        self, OrderFilled fill, int128_t* realized_e18, int128_t* margin_delta_e18
    ) except -1
    cdef tuple _apply_fill_decimal(self, OrderFilled fill)
    cdef object _notional_decimal(self, int64_t price_ticks, int64_t signed_lots)
    cdef int _count_fill(self, OrderFilled fill, int64_t new_lots) except -1
    cdef int _to_decimal(self) except -1
    cdef int _add_fee(self, str currency, int128_t fee_e18) except -1

    # -- FIGURES -------------------------------------------------------------------------------
    cdef object _avg_entry_price(self)
    cdef object _realized(self)
