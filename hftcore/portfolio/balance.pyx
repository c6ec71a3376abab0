"""The shadow balance of one asset on one venue: exact total and margin, float mirrors.

``total`` and ``margin`` are held as int128 mantissas at 10**-18 of the asset
(:mod:`hftcore.portfolio.amounts`) while they fit there, which is always the case for amounts
of instruments whose tick x lot is a multiple of 10**-18 and for fees; a total or margin that
does not fit (finer than 10**-18, or beyond about 1.7e20 units) turns the balance into
``Decimal`` bookkeeping (40 significant digits) until the next total that fits. The public
``total``, ``margin``, ``locked`` and ``free`` are ``Decimal`` values computed on read; the
``*_f`` mirrors are correctly rounded doubles kept up to date on every change, for the risk
engine.
"""

from decimal import MAX_PREC, ROUND_HALF_EVEN, Context, Decimal

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport Venue
from hftcore.portfolio.amounts cimport (
    E18_DIGITS,
    decimal_to_e18,
    e18_to_decimal,
    e18_to_double,
    e18_to_int,
    e18_to_raw,
    hft_add_e18,
    hft_pow10,
    int128_t,
    scaled_float_raw,
)

_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN)
_SHIFT_CTX = Context(prec=MAX_PREC)  # scaleb() by it only moves the exponent: never rounds
_ZERO = Decimal(0)


@cython.final
cdef class AssetBalance:
    """The shadow balance of one asset on one venue.

    Made by the portfolio; read with :meth:`Portfolio.balance`.

    Parameters
    ----------
    venue : Venue
    asset : str
    precision : int
        Decimal places (0..18) of the amounts written to the cache.
    """

    def __cinit__(self, Venue venue, str asset, int precision):
        self.venue = venue
        self.asset = asset
        self.locked_f = 0.0
        self.free_f = 0.0
        self.is_reported = False
        self.ts_last = 0
        self._is_exact = True
        self._total_e18 = 0
        self._margin_e18 = 0
        self._total_dec = _ZERO
        self._margin_dec = _ZERO
        self._fees_e18 = 0
        self._fees_spill = 0
        self._total_f = 0.0
        self._margin_f = 0.0
        self._precision = precision
        self._quantum = Decimal(1).scaleb(-precision)
        self._is_asset_code = len(asset) > 0 and not any([ch.isspace() for ch in asset])
        self._written_free = None
        self._written_locked = None

    @property
    def total(self):
        """Decimal: Exact amount held: free + reserved by orders + position margin."""
        return e18_to_decimal(self._total_e18) if self._is_exact else self._total_dec

    @property
    def margin(self):
        """Decimal: Initial margin of this venue's derivative positions settled in the asset."""
        return e18_to_decimal(self._margin_e18) if self._is_exact else self._margin_dec

    @property
    def locked(self):
        """Decimal: Reserved by open orders plus position margin, at ``money_precision``."""
        return _CTX.add(self._reserved(), self.margin)

    @property
    def free(self):
        """Decimal: ``total - locked``: what new orders may still use."""
        return _CTX.subtract(self.total, self.locked)

    def _reserved(self):
        if self.locked_f == 0.0:
            return _ZERO
        return _CTX.create_decimal_from_float(self.locked_f).quantize(
            self._quantum, rounding=ROUND_HALF_EVEN
        )

    # -- CHANGES -------------------------------------------------------------------------------

    cdef int _set_total(self, object total, int64_t ts_ns) except -1:
        cdef int128_t total_e18
        if self._is_exact and decimal_to_e18(total, &total_e18):
            self._total_e18 = total_e18
        elif decimal_to_e18(total, &total_e18) and decimal_to_e18(self.margin, &self._margin_e18):
            self._is_exact = True  # back to mantissas: the new total and the margin fit
            self._total_e18 = total_e18
        else:
            self._to_decimal()
            self._total_dec = total
        if ts_ns > self.ts_last:
            self.ts_last = ts_ns
        return self._refresh_floats()

    cdef int _add_e18(self, int128_t delta_e18, int64_t ts_ns) except -1:
        cdef int128_t total_e18
        if not self._is_exact or hft_add_e18(self._total_e18, delta_e18, &total_e18):
            return self._add_decimal(e18_to_decimal(delta_e18), ts_ns)
        self._total_e18 = total_e18
        if ts_ns > self.ts_last:
            self.ts_last = ts_ns
        return self._refresh_floats()

    cdef int _add_decimal(self, object delta, int64_t ts_ns) except -1:
        # Decimal bookkeeping: a delta that does not fit, or a balance that no longer does.
        self._to_decimal()
        self._total_dec = _CTX.add(self._total_dec, delta)
        if ts_ns > self.ts_last:
            self.ts_last = ts_ns
        return self._refresh_floats()

    cdef int _add_margin_e18(self, int128_t delta_e18) except -1:
        cdef int128_t margin_e18
        if not self._is_exact or hft_add_e18(self._margin_e18, delta_e18, &margin_e18):
            return self._add_margin_decimal(e18_to_decimal(delta_e18))
        self._margin_e18 = margin_e18
        return self._refresh_floats()

    cdef int _add_margin_decimal(self, object delta) except -1:
        self._to_decimal()
        self._margin_dec = _CTX.add(self._margin_dec, delta)
        return self._refresh_floats()

    cdef int _add_fee_e18(self, int128_t fee_e18) except -1:
        # Fees paid from this balance, summed; an int128 overflow spills into a Python int.
        cdef int128_t fees_e18
        if hft_add_e18(self._fees_e18, fee_e18, &fees_e18):
            self._fees_spill += e18_to_int(self._fees_e18) + e18_to_int(fee_e18)
            self._fees_e18 = 0
        else:
            self._fees_e18 = fees_e18
        return 0

    cdef int _to_decimal(self) except -1:
        if self._is_exact:
            self._total_dec = e18_to_decimal(self._total_e18)
            self._margin_dec = e18_to_decimal(self._margin_e18)
            self._is_exact = False
        return 0

    cdef int _refresh_floats(self) except -1:
        if self._is_exact:
            self._total_f = e18_to_double(self._total_e18)
            self._margin_f = 0.0 if self._margin_e18 == 0 else e18_to_double(self._margin_e18)
        else:
            self._total_f = float(self._total_dec)
            self._margin_f = float(self._margin_dec)
        self.free_f = self._total_f - self.locked_f - self._margin_f
        return 0

    cdef void _add_locked(self, double delta_f) noexcept:
        self.locked_f += delta_f
        if self.locked_f < 1e-9 * (self._total_f if self._total_f > 1.0 else 1.0):
            self.locked_f = 0.0  # what float drift leaves after the last release
        self.free_f = self._total_f - self.locked_f - self._margin_f

    # -- CACHE FIGURES -------------------------------------------------------------------------

    cdef bint _cache_raws(self, int64_t* free_raw, int64_t* locked_raw) noexcept:
        # Set free_raw and locked_raw to the mantissas at the cache's precision of free and
        # locked rounded half-even (what Money.from_decimal(self.free, ...) gives: locked is the
        # reservation at that precision plus the margin, free = total - locked; each rounded
        # once, as half-even does not commute with adding an odd mantissa) and return True;
        # False when only the Decimal path gives them: the asset is not a valid currency code
        # (Money's rule), the balance keeps Decimals, the reservation does not convert exactly
        # or a figure does not fit.
        cdef int64_t reserved_raw
        cdef int128_t locked_e18
        cdef int128_t free_e18
        if not (self._is_asset_code and self._is_exact) or not scaled_float_raw(
            self.locked_f, self._precision, &reserved_raw
        ):
            return False
        # |reserved_raw| <= 2**61 and the scale <= 10**18: the product fits
        locked_e18 = <int128_t>reserved_raw * hft_pow10(E18_DIGITS - self._precision)
        if self._margin_e18 == 0:  # spot: locked is the reservation, exact at the precision
            locked_raw[0] = reserved_raw
        elif hft_add_e18(locked_e18, self._margin_e18, &locked_e18) or not e18_to_raw(
            locked_e18, self._precision, locked_raw
        ):
            return False
        return not hft_add_e18(self._total_e18, -locked_e18, &free_e18) and e18_to_raw(
            free_e18, self._precision, free_raw
        )

    cdef object _fees(self):
        # Fees paid from this balance (Decimal).
        if self._fees_spill == 0:
            return e18_to_decimal(self._fees_e18)
        return Decimal(self._fees_spill + e18_to_int(self._fees_e18)).scaleb(-18, _SHIFT_CTX)

    def __repr__(self):
        return (
            f"AssetBalance(venue={self.venue.value}, asset={self.asset}, total={self.total}, "
            f"free={self.free}, locked={self.locked})"
        )
