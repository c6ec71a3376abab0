"""Positions: the net position in one instrument, and the net exposure to one base asset.

A :class:`Position` nets fills by average cost, keeping the **cost basis** of the open
quantity (the sum of what its lots cost, ``ticks x lots x`` the notional of one tick and one
lot) exactly:

* a fill that opens or adds to the position adds its notional to the cost basis;
* a fill that reduces it takes the closed lots' share of the cost basis off,
  ``cost x closed / open`` (the whole cost basis when it closes everything), and realizes
  ``notional of the closed lots - that share`` (sign of the position); a flip closes the
  whole old position and opens the rest at the fill price;
* ``avg_entry_price`` is ``cost basis / open quantity``, rounded in its 40th significant digit
  when it is not a short decimal; ``margin`` (perpetuals and futures) is
  ``cost basis / leverage``.

Realized PnL is then ``(price - average entry) x closed quantity`` exactly whenever the share is
a whole number of 10**-18 (always when the average entry is a whole number of ticks; otherwise
the share is rounded half-even there), and realized PnL plus the cost basis always equals the
fills' cash flow exactly. The margin is rounded half-even to 10**-18 as well. Amounts are
int128 mantissas at 10**-18 (:mod:`hftcore.portfolio.amounts`); an instrument whose tick x
lot is finer than that, a leverage that is not a ratio of int64s, or an amount past int128
keeps the position in ``Decimal`` (40 significant digits, the cost share and margin rounded
there) from then on.
"""

from decimal import ROUND_HALF_EVEN, Context, Decimal

cimport cython
from libc.stdint cimport INT64_MAX, int64_t

from hftcore.model.enums cimport InstrumentKind, Side
from hftcore.model.instrument cimport Instrument
from hftcore.model.order_events cimport OrderFilled
from hftcore.portfolio.amounts cimport (
    decimal_to_e18,
    e18_to_decimal,
    e18_to_int,
    hft_add_e18,
    hft_div_half_even,
    hft_mul_div_half_even,
    hft_mul_e18,
    int128_t,
)
from hftcore.portfolio.balance cimport AssetBalance

_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN)
_divide = _CTX.divide  # bound once: an attribute lookup costs as much as a small division
_ZERO = Decimal(0)
_ONE = Decimal(1)


# -- EXPOSURE ----------------------------------------------------------------------------------

@cython.final
cdef class AssetPosition:
    """Net position in one base asset across every instrument and venue (units).

    Parameters
    ----------
    asset : str
    """

    def __cinit__(self, str asset):
        self.asset = asset
        self.units_f = 0.0

    def __repr__(self):
        return f"AssetPosition(asset={self.asset}, units_f={self.units_f})"


# -- POSITION ----------------------------------------------------------------------------------

@cython.final
cdef class Position:
    """The net position in one instrument, with its average entry, realized PnL and fees.

    Made by the portfolio; read with :meth:`Portfolio.position`.

    Parameters
    ----------
    instrument : Instrument
    base_balance, quote_balance, settle_balance : AssetBalance
        The instrument's balances on its venue (``base_balance`` None for derivatives).
    leverage : Decimal
        Ignored for spot (1).
    exposure : AssetPosition
        The net position in the instrument's base asset, moved by every fill.
    """

    def __cinit__(
        self,
        Instrument instrument,
        AssetBalance base_balance,
        AssetBalance quote_balance,
        AssetBalance settle_balance,
        object leverage,
        AssetPosition exposure,
    ):
        self.instrument = instrument
        self.instrument_id = instrument.id
        self.quantity_lots = 0
        self.is_spot = instrument.kind == InstrumentKind.SPOT
        self.leverage = _ONE if self.is_spot else leverage
        self.fill_count = 0
        self.ts_last = 0
        self.base_balance = base_balance
        self.quote_balance = quote_balance
        self.settle_balance = settle_balance
        self._exposure = exposure
        self._units_per_lot = _CTX.multiply(instrument.lot_size, instrument.multiplier)
        self._units_per_lot_f = float(self._units_per_lot)
        self._leverage_f = float(self.leverage)
        self._cost_e18 = 0
        self._realized_e18 = 0
        self._margin_e18 = 0
        self._quote_fees_e18 = 0
        self._cost_dec = _ZERO
        self._realized_dec = _ZERO
        self._margin_dec = _ZERO
        self._other_fees = {}
        self._avg = _ZERO
        self._avg_cost_e18 = 0
        self._avg_lots = 0
        numerator, denominator = Decimal(self.leverage).as_integer_ratio()
        self._is_exact = (
            decimal_to_e18(
                _CTX.multiply(instrument.tick_size, self._units_per_lot), &self._tick_lot_e18
            )
            and decimal_to_e18(self._units_per_lot, &self._units_per_lot_e18)
            and self._tick_lot_e18 > 0
            and 0 < numerator <= INT64_MAX
            and denominator <= INT64_MAX
        )
        self._leverage_num = numerator if self._is_exact else 1
        self._leverage_den = denominator if self._is_exact else 1
        self._units_per_lot_int = e18_to_int(self._units_per_lot_e18)
        self._written_realized = None

    @property
    def quantity(self):
        """Decimal: Signed net position in units of the base asset (lots * lot size * mult)."""
        return _CTX.multiply(self._units_per_lot, self.quantity_lots)

    @property
    def is_flat(self):
        """bool: True when the net position is zero."""
        return self.quantity_lots == 0

    @property
    def avg_entry_price(self):
        """Decimal: Average entry price of the open quantity (cost basis / quantity; 0 flat)."""
        return self._avg_entry_price()

    @property
    def realized_pnl(self):
        """Decimal: PnL realized by reducing fills so far, in the settlement asset (fees apart)."""
        return self._realized()

    @property
    def margin(self):
        """Decimal: Initial margin of the open quantity (derivatives; 0 for spot)."""
        return e18_to_decimal(self._margin_e18) if self._is_exact else self._margin_dec

    @property
    def fees(self):
        """dict[str, Decimal]: Fees paid on this instrument's fills, by asset."""
        fees = {}
        if self._quote_fees_e18 != 0:
            fees[self.quote_balance.asset] = e18_to_decimal(self._quote_fees_e18)
        for currency, amount in self._other_fees.items():
            fees[currency] = _CTX.add(fees.get(currency, _ZERO), amount)
        return fees

    # -- FILLS ---------------------------------------------------------------------------------

    cdef bint _apply_fill_e18(
        self, OrderFilled fill, int128_t* realized_e18, int128_t* margin_delta_e18
    ) except -1:
        # Net the fill into the position in mantissas; set the PnL it realized and the change
        # of margin, and return True; return False, changing nothing, when the position keeps
        # Decimals or an amount would leave int128.
        if not self._is_exact:
            return False
        cdef int64_t lots = fill.last_qty_lots
        cdef int64_t old_lots = self.quantity_lots
        cdef int64_t new_lots = old_lots + lots if fill.order_side == Side.BUY else old_lots - lots
        cdef int64_t open_lots = old_lots if old_lots > 0 else -old_lots
        cdef int64_t closed_lots
        cdef int128_t ticks_lots
        cdef int128_t cost_e18 = self._cost_e18
        cdef int128_t notional_e18
        cdef int128_t share_e18
        cdef int128_t product_e18
        cdef int128_t margin_e18 = 0
        cdef int128_t realized_total_e18 = self._realized_e18
        cdef bint is_share_exact = False
        realized_e18[0] = 0
        if old_lots == 0 or (old_lots > 0) == (new_lots > old_lots):
            ticks_lots = <int128_t>fill.last_price_ticks * lots  # |.| < 2**126
            if hft_mul_e18(ticks_lots, self._tick_lot_e18, &notional_e18) or hft_add_e18(
                cost_e18, notional_e18, &cost_e18
            ):
                return False
        else:
            closed_lots = lots if lots < open_lots else open_lots
            ticks_lots = <int128_t>fill.last_price_ticks * closed_lots
            if hft_mul_e18(ticks_lots, self._tick_lot_e18, &notional_e18):
                return False
            is_share_exact = True
            if closed_lots == open_lots:
                share_e18 = cost_e18
            elif hft_mul_e18(cost_e18, closed_lots, &product_e18):
                share_e18 = hft_mul_div_half_even(cost_e18, closed_lots, open_lots)
                is_share_exact = False  # only the cache of the average needs this right
            else:
                share_e18 = hft_div_half_even(product_e18, open_lots)
                is_share_exact = share_e18 * open_lots == product_e18
            if hft_add_e18(notional_e18, -share_e18, &realized_e18[0]):
                return False
            if old_lots < 0:
                realized_e18[0] = -realized_e18[0]
            if hft_add_e18(realized_total_e18, realized_e18[0], &realized_total_e18):
                return False
            cost_e18 -= share_e18
            if lots > open_lots:  # flipped: the rest opened at this fill's price
                ticks_lots = <int128_t>fill.last_price_ticks * (lots - open_lots)
                if hft_mul_e18(ticks_lots, self._tick_lot_e18, &cost_e18):
                    return False
        if not self.is_spot:
            if hft_mul_e18(cost_e18, self._leverage_den, &margin_e18):
                return False
            margin_e18 = hft_div_half_even(margin_e18, self._leverage_num)
        if (
            is_share_exact
            and lots < open_lots
            and self._avg_cost_e18 == self._cost_e18
            and self._avg_lots == open_lots
        ):  # the remaining lots keep the average the cached one is of
            self._avg_cost_e18 = cost_e18
            self._avg_lots = open_lots - lots
        margin_delta_e18[0] = margin_e18 - self._margin_e18
        self._margin_e18 = margin_e18
        self._cost_e18 = cost_e18
        self._realized_e18 = realized_total_e18
        self._count_fill(fill, new_lots)
        return True

    cdef tuple _apply_fill_decimal(self, OrderFilled fill):
        # The same rule in Decimals: return (realized PnL, change of margin).
        cdef int64_t lots = fill.last_qty_lots
        cdef int64_t old_lots = self.quantity_lots
        cdef int64_t new_lots = old_lots + lots if fill.order_side == Side.BUY else old_lots - lots
        cdef int64_t open_lots = old_lots if old_lots > 0 else -old_lots
        cdef int64_t closed_lots
        cdef object unit = self._notional_decimal(fill.last_price_ticks, 1)
        cdef object realized = _ZERO
        cdef object share
        cdef object margin = _ZERO
        cdef object margin_delta
        if old_lots == 0 or (old_lots > 0) == (new_lots > old_lots):
            self._cost_dec = _CTX.add(self._cost_dec, _CTX.multiply(unit, lots))
        else:
            closed_lots = lots if lots < open_lots else open_lots
            share = (
                self._cost_dec if closed_lots == open_lots
                else _CTX.divide(_CTX.multiply(self._cost_dec, closed_lots), open_lots)
            )
            realized = _CTX.subtract(_CTX.multiply(unit, closed_lots), share)
            if old_lots < 0:
                realized = -realized
            self._realized_dec = _CTX.add(self._realized_dec, realized)
            self._cost_dec = _CTX.subtract(self._cost_dec, share)
            if lots > open_lots:
                self._cost_dec = _CTX.multiply(unit, lots - open_lots)
        if not self.is_spot:
            margin = _CTX.divide(self._cost_dec, self.leverage)
        margin_delta = _CTX.subtract(margin, self._margin_dec)
        self._margin_dec = margin
        self._count_fill(fill, new_lots)
        return realized, margin_delta

    cdef object _notional_decimal(self, int64_t price_ticks, int64_t signed_lots):
        # price x signed quantity in the quote asset, as a Decimal.
        return _CTX.multiply(
            _CTX.multiply(Decimal(price_ticks), self.instrument.tick_size),
            _CTX.multiply(self._units_per_lot, signed_lots),
        )

    cdef int _count_fill(self, OrderFilled fill, int64_t new_lots) except -1:
        self._exposure.units_f += (new_lots - self.quantity_lots) * self._units_per_lot_f
        self.quantity_lots = new_lots
        self.fill_count += 1
        if fill.ts_event > self.ts_last:
            self.ts_last = fill.ts_event
        return 0

    cdef int _to_decimal(self) except -1:
        # From mantissas to Decimals, for good: an amount stopped fitting.
        if self._is_exact:
            self._cost_dec = e18_to_decimal(self._cost_e18)
            self._realized_dec = e18_to_decimal(self._realized_e18)
            self._margin_dec = e18_to_decimal(self._margin_e18)
            self._is_exact = False
        return 0

    cdef int _add_fee(self, str currency, int128_t fee_e18) except -1:
        cdef int128_t fees_e18
        if currency == self.quote_balance.asset and not hft_add_e18(
            self._quote_fees_e18, fee_e18, &fees_e18
        ):
            self._quote_fees_e18 = fees_e18
            return 0
        self._other_fees[currency] = _CTX.add(
            self._other_fees.get(currency, _ZERO), e18_to_decimal(fee_e18)
        )
        return 0

    # -- FIGURES -------------------------------------------------------------------------------

    cdef object _avg_entry_price(self):
        # Cost basis / open quantity, remembered for the cost basis and lots it is of.
        cdef int64_t open_lots = (
            self.quantity_lots if self.quantity_lots > 0 else -self.quantity_lots
        )
        cdef int128_t lot_units_e18
        if open_lots == 0:
            return _ZERO
        if not self._is_exact:
            return _CTX.divide(self._cost_dec, _CTX.multiply(self._units_per_lot, open_lots))
        if self._avg_cost_e18 == self._cost_e18 and self._avg_lots == open_lots:
            return self._avg
        self._avg = _divide(
            e18_to_int(self._cost_e18),
            e18_to_int(lot_units_e18)
            if not hft_mul_e18(self._units_per_lot_e18, open_lots, &lot_units_e18)
            else self._units_per_lot_int * open_lots,
        )
        self._avg_cost_e18 = self._cost_e18
        self._avg_lots = open_lots
        return self._avg

    cdef object _realized(self):
        return e18_to_decimal(self._realized_e18) if self._is_exact else self._realized_dec

    def __repr__(self):
        return (
            f"Position({self.instrument_id.value}, quantity_lots={self.quantity_lots}, "
            f"avg_entry_price={self.avg_entry_price}, realized_pnl={self.realized_pnl})"
        )
