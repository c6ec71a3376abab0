"""Venue-side account of a simulated venue: balances per asset, positions, margin, PnL."""

cimport cython
from libc.stdint cimport int64_t

from backtest.models.fees cimport FeeSchedule
from hftcore.model.enums cimport Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money


@cython.final
cdef class SimPosition:
    cdef readonly InstrumentId instrument_id
    """The instrument."""
    cdef readonly object quantity
    """Net quantity from our fills, base units, signed (``Decimal``)."""
    cdef readonly object avg_price
    """Average entry price of the open quantity, quote per base (``Decimal``; 0 when flat)."""
    cdef readonly object multiplier
    """Contract multiplier of the instrument (``Decimal``)."""
    cdef readonly object realized_pnl
    """PnL realized by reducing fills, quote units, before fees (``Decimal``)."""
    cdef readonly object fees
    """Fees paid, converted to the quote asset at each fill's price (``Decimal``)."""
    cdef readonly int64_t fill_count
    """Fills applied."""
    cdef readonly double quantity_f
    """``quantity`` as a float (equity sampling)."""
    cdef readonly double avg_price_f
    """``avg_price`` as a float (equity sampling)."""

    cdef int apply(self, Side side, object qty, object price) except -1


@cython.final
cdef class SimAccount:
    cdef readonly str venue
    """Upper-case venue name."""
    cdef readonly object leverage
    """Leverage of derivative positions (``Decimal``): initial margin is notional / leverage."""
    cdef readonly dict initial_balances
    """Asset -> ``Decimal`` balance at the start."""
    cdef dict _total
    cdef dict _locked
    cdef dict _positions
    cdef dict _instruments
    cdef readonly int64_t rejected_count
    """Orders rejected for insufficient balance or margin."""

    # -- BALANCES ------------------------------------------------------------------------------
    cpdef object total(self, str asset)
    cpdef object locked(self, str asset)
    cpdef object free(self, str asset)
    cdef object _margin_used(self, str asset)

    # -- ORDERS --------------------------------------------------------------------------------
    cdef tuple requirement(
        self,
        Instrument instrument,
        Side side,
        int64_t price_ticks,
        int64_t qty_lots,
        FeeSchedule fees,
        bint is_reduce_only,
    )
    cdef str check_reduce_only(self, Instrument instrument, Side side, int64_t qty_lots)
    cdef bint can_lock(self, str asset, object amount) except -1
    cdef int lock(self, str asset, object amount) except -1
    cdef int unlock(self, str asset, object amount) except -1

    # -- FILLS ---------------------------------------------------------------------------------
    cpdef SimPosition position(self, InstrumentId instrument_id)
    cdef int apply_fill(
        self, Instrument instrument, Side side, int64_t price_ticks, int64_t qty_lots, Money fee
    ) except -1
    cdef int _add(self, str asset, object amount) except -1
