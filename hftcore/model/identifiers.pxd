"""Identifiers: venues, symbols, interned instrument ids, order and trade ids."""

cimport cython
from libc.stdint cimport int64_t


# -- BASE --------------------------------------------------------------------------------------

cdef class Identifier:
    cdef readonly str value
    """The identifier's text."""
    cdef Py_hash_t _hash


# -- MARKET ------------------------------------------------------------------------------------

@cython.final
cdef class Venue(Identifier):
    pass


@cython.final
cdef class Symbol(Identifier):
    pass


@cython.final
cdef class InstrumentId(Identifier):
    cdef readonly Symbol symbol
    """The venue's symbol, e.g. ``BTCUSDT``."""
    cdef readonly Venue venue
    """The venue, e.g. ``BINANCE``."""
    cdef readonly int64_t index
    """Dense process-wide integer (0, 1, 2...) assigned at interning; equal ids share it."""

    @staticmethod
    cdef InstrumentId intern(str value)

    cdef bint same_as(self, InstrumentId other) noexcept


# -- ORDERS AND TRADES -------------------------------------------------------------------------

@cython.final
cdef class ClientOrderId(Identifier):
    pass


@cython.final
cdef class VenueOrderId(Identifier):
    pass


@cython.final
cdef class TradeId(Identifier):
    pass


@cython.final
cdef class StrategyId(Identifier):
    pass
