"""The shadow balance of one asset on one venue: exact total and margin, float mirrors."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport Venue
from hftcore.model.money cimport Money
from hftcore.portfolio.amounts cimport int128_t


@cython.final
cdef class AssetBalance:
    cdef readonly Venue venue
    """The venue holding the asset."""
    cdef readonly str asset
    """The asset code, e.g. ``USDT``."""
    cdef readonly double locked_f
    """Amount reserved by our open orders (an estimate at their limit price), float."""
    cdef readonly double free_f
    """``total - locked - margin`` as a float: what new orders may still use."""
    cdef readonly bint is_reported
    """True once the venue (or the config's starting balances) reported this balance."""
    cdef readonly int64_t ts_last
    """Time of the last change, UNIX ns."""
    cdef bint _is_exact
    cdef int128_t _total_e18
    cdef int128_t _margin_e18
    cdef object _total_dec
    cdef object _margin_dec
    cdef int128_t _fees_e18
    cdef object _fees_spill
    cdef double _total_f
    cdef double _margin_f
    cdef object _quantum
    cdef int _precision
    cdef bint _is_asset_code
    cdef Money _written_free
    cdef Money _written_locked

    # -- CHANGES -------------------------------------------------------------------------------
    cdef int _set_total(self, object total, int64_t ts_ns) except -1
    cdef int _add_e18(self, int128_t delta_e18, int64_t ts_ns) except -1
    cdef int _add_decimal(self, object delta, int64_t ts_ns) except -1
    cdef int _add_margin_e18(self, int128_t delta_e18) except -1
    cdef int _add_margin_decimal(self, object delta) except -1
    cdef int _add_fee_e18(self, int128_t fee_e18) except -1
    cdef int _to_decimal(self) except -1
    cdef int _refresh_floats(self) except -1
    cdef void _add_locked(self, double delta_f) noexcept

    # -- CACHE FIGURES -------------------------------------------------------------------------
    cdef bint _cache_raws(self, int64_t* free_raw, int64_t* locked_raw) noexcept
    cdef object _fees(self)
