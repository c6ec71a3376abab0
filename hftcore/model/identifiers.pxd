"""Identifiers: venues, symbols, interned instrument ids, order and trade ids."""

from libc.stdint cimport int64_t


# -- BASE --------------------------------------------------------------------------------------

cdef class Identifier:
    cdef readonly str value
    """The identifier's text."""


# -- MARKET ------------------------------------------------------------------------------------

cdef class Venue(Identifier):
    pass


cdef class Symbol(Identifier):
    pass


cdef class InstrumentId(Identifier):
    cdef readonly Symbol symbol
    """The venue's symbol, e.g. ``BTCUSDT``."""
    cdef readonly Venue venue
    """The venue, e.g. ``BINANCE``."""
    cdef readonly int64_t index
    """Dense process-wide integer (0, 1, 2...) assigned at interning; equal ids share it."""


# -- ORDERS AND TRADES -------------------------------------------------------------------------

cdef class ClientOrderId(Identifier):
    pass


cdef class VenueOrderId(Identifier):
    pass


cdef class TradeId(Identifier):
    pass


cdef class StrategyId(Identifier):
    pass
