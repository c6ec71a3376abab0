"""Tradable instruments (spot, perpetual, dated future) and exact price/size conversions."""

from libc.stdint cimport int64_t

from hftcore.model.enums cimport InstrumentKind, RoundingMode
from hftcore.model.identifiers cimport InstrumentId


cdef class Instrument:
    # -- IDENTITY ----------------------------------------------------------------------------------
    cdef readonly InstrumentId id
    """The interned instrument id, e.g. ``BTCUSDT.BINANCE``."""
    cdef readonly InstrumentKind kind
    """SPOT, PERPETUAL or FUTURE."""
    cdef readonly str base
    """Base asset, e.g. ``BTC``."""
    cdef readonly str quote
    """Quote asset (prices are in it), e.g. ``USDT``."""
    cdef readonly str settle
    """Settlement asset (fees and PnL are in it), e.g. ``USDT``."""
    cdef readonly int64_t expiry_ns
    """Expiry of a dated future, UNIX ns; 0 for spot and perpetuals."""

    # -- EDGE VALUES (Decimal) ---------------------------------------------------------------------
    cdef readonly object tick_size
    """Price increment, a positive ``Decimal`` without trailing zeros (e.g. ``0.01``, ``0.5``)."""
    cdef readonly object lot_size
    """Size increment, a positive ``Decimal`` without trailing zeros (e.g. ``0.00001``)."""
    cdef readonly object min_quantity
    """Smallest order size accepted by the venue, ``Decimal`` >= 0."""
    cdef readonly object min_notional
    """Smallest order notional (price * size * multiplier) in the quote asset, ``Decimal`` >= 0."""
    cdef readonly object maker_fee
    """Maker fee rate, ``Decimal`` (``0.0002`` = 2 bp; negative for a rebate)."""
    cdef readonly object taker_fee
    """Taker fee rate, ``Decimal`` (``0.0004`` = 4 bp)."""
    cdef readonly object multiplier
    """Contract multiplier, positive ``Decimal`` (1 for spot)."""
    cdef readonly int price_precision
    """Decimal places of ``tick_size``."""
    cdef readonly int size_precision
    """Decimal places of ``lot_size``."""

    # -- HOT-PATH VALUES (C) -----------------------------------------------------------------------
    cdef readonly int64_t tick_size_raw
    """Tick size mantissa at ``price_precision`` (1 for 0.01, 5 for 0.5 or 0.05)."""
    cdef readonly int64_t lot_size_raw
    """Lot size mantissa at ``size_precision``."""
    cdef readonly int64_t min_quantity_lots
    """``min_quantity`` in lots, rounded up to a whole lot."""
    cdef readonly double tick_size_f
    """``tick_size`` as a float, for approximate risk arithmetic only."""
    cdef readonly double lot_size_f
    """``lot_size`` as a float, for approximate risk arithmetic only."""
    cdef readonly double multiplier_f
    """``multiplier`` as a float, for approximate risk arithmetic only."""
    cdef readonly double min_notional_f
    """``min_notional`` as a float."""
    cdef double _notional_factor_f

    # -- CONVERSIONS -------------------------------------------------------------------------------
    cdef int64_t price_to_ticks_c(self, str value, RoundingMode rounding) except? -1
    cdef int64_t size_to_lots_c(self, str value, RoundingMode rounding) except? -1
    cdef double notional_f(self, int64_t price_ticks, int64_t size_lots) noexcept nogil
    cdef int min_notional_ok_c(self, int64_t price_ticks, int64_t size_lots) except -1
    cdef object _notional_exact(self, int64_t price_ticks, int64_t size_lots)
    cdef tuple _fields(self)


cdef str _edge_text(object value, type fixed_type, str field)
cdef object _decimal_field(str owner, str field, object value)
cdef int _step_field(
    str owner, str field, object value, int64_t* raw_out, int* precision_out
) except -1
cdef str _asset_field(str owner, str field, object value)
