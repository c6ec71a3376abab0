"""Venue-side account of a simulated venue: balances per asset, positions, margin, PnL."""

cimport cython
from libc.stdint cimport int64_t

from backtest.models.fees cimport FeeSchedule
from hftcore.model.enums cimport Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money
from hftcore.portfolio.amounts cimport int128_t


@cython.final
cdef class InstrumentScale:
    cdef readonly Instrument instrument
    """The instrument."""
    cdef object notional_factor
    cdef object quantity_factor
    cdef object price_factor
    cdef int128_t _notional_factor_c
    cdef int128_t _quantity_factor_c
    cdef bint _has_factors_c

    cdef object notional(self, int64_t price_ticks, int64_t qty_lots)
    cdef bint notional_c(self, int64_t price_ticks, int64_t qty_lots, int128_t* out) noexcept
    cdef object quantity(self, int64_t qty_lots)


@cython.final
cdef class SimPosition:
    cdef readonly InstrumentId instrument_id
    """The instrument."""
    cdef readonly object multiplier
    """Contract multiplier of the instrument (``Decimal``)."""
    cdef readonly int64_t fill_count
    """Fills applied."""
    cdef object _quantity_raw
    cdef object _open_notional_raw
    cdef object _realized_raw
    cdef object _fees_raw
    cdef double _multiplier_f
    cdef double _quantity_f
    cdef double _avg_price_f
    cdef bint _is_float_stale

    cdef int apply(self, Side side, object qty_raw, object notional_raw) except -1
    cdef int _refresh_floats(self) except -1


@cython.final
cdef class SimAccount:
    cdef readonly str venue
    """Upper-case venue name."""
    cdef readonly object leverage
    """Leverage of derivative positions (``Decimal``): initial margin is notional / leverage."""
    cdef readonly dict initial_balances
    """Asset -> ``Decimal`` balance at the start."""
    cdef readonly int64_t rejected_count
    """Orders rejected for insufficient balance or margin."""
    cdef dict _total
    cdef dict _locked
    cdef dict _positions
    cdef dict _scales
    cdef dict _derivative_settle
    cdef object _leverage_numerator
    cdef object _leverage_denominator
    cdef int128_t _leverage_numerator_c
    cdef int128_t _leverage_denominator_c
    cdef bint _has_leverage_c

    # -- BALANCES ------------------------------------------------------------------------------
    cpdef object total(self, str asset)
    cpdef object locked(self, str asset)
    cpdef object free(self, str asset)
    cdef object free_raw(self, str asset)
    cdef object _margin_used_raw(self, str asset)

    # -- ORDERS --------------------------------------------------------------------------------
    cdef InstrumentScale scale(self, Instrument instrument)
    cdef tuple requirement(
        self,
        Instrument instrument,
        Side side,
        int64_t price_ticks,
        int64_t qty_lots,
        FeeSchedule fees,
        bint is_reduce_only,
    )
    cdef bint _requirement_c(
        self, Instrument instrument, int128_t notional, FeeSchedule fees, int128_t* out
    ) noexcept
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


cdef object to_decimal(object raw)
cdef object _pow10(Py_ssize_t places)
cdef object ceil_div(object numerator, object denominator)
cdef int128_t _ceil_div_c(int128_t numerator, int128_t denominator) noexcept
