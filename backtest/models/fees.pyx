"""Fee schedules of the simulated venues: maker/taker rates and the asset fees are charged in.

A fee is exact: ``price * quantity * multiplier * rate`` computed in ``Decimal`` from the fill's
ticks and lots (or ``quantity * rate`` when charged in the base asset received on a spot buy).
A fee needing more than 18 decimal places is rounded half-even to 18 (``Money``'s limit).
"""

from decimal import Context, Decimal, Inexact, Rounded

from libc.stdint cimport int64_t


cdef extern from *:
    bint __builtin_mul_overflow(int64_t a, int64_t b, int64_t* result) nogil

from hftcore.errors import ConfigError
from hftcore.model.enums import RoundingMode

from hftcore.model.enums cimport InstrumentKind, Side
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money

_FEE_ASSETS = {"quote": FeeAsset.QUOTE, "received": FeeAsset.RECEIVED}
_MAX_PLACES = 18
# Products of int64-sized decimals never need 200 digits: a rounding here would be a bug.
_EXACT = Context(prec=200, traps=[Inexact, Rounded])


def _rate(value, str field):
    try:
        rate = Decimal(str(value))
    except ArithmeticError as exc:
        raise ConfigError(f"{field}: expected a decimal fee rate, got {value!r}") from exc
    if not rate.is_finite() or abs(rate) >= 1:
        raise ConfigError(f"{field}: expected a fee rate between -1 and 1, got {value!r}")
    return rate


cdef int decimal_raw(object value, int64_t* raw, int* places) except -1:
    """Split a finite ``Decimal`` into an int64 mantissa and decimal places (>= 0)."""
    sign, digits, exponent = value.as_tuple()
    cdef object mantissa = int("".join(map(str, digits)) or "0")
    if exponent > 0:
        mantissa *= 10 ** exponent
        exponent = 0
    if sign:
        mantissa = -mantissa
    raw[0] = mantissa
    places[0] = -exponent
    return 0


cdef bint product(int64_t a, int64_t b, int64_t* out) noexcept:
    """Set ``out`` to ``a * b``; return False instead when the product overflows int64."""
    return not __builtin_mul_overflow(a, b, out)


cdef Money _money(object amount, str currency):
    cdef int places = max(0, -amount.as_tuple().exponent)
    if places <= _MAX_PLACES:
        return Money.from_decimal(amount, currency, places)
    return Money.from_decimal(amount, currency, _MAX_PLACES, RoundingMode.HALF_EVEN)


cdef class FeeSchedule:
    """Maker and taker rates of one instrument on one simulated venue.

    Parameters
    ----------
    maker_rate : Decimal or str
        Rate charged on a resting (maker) fill; negative for a rebate.
    taker_rate : Decimal or str
        Rate charged on an aggressive (taker) fill.
    fee_asset : str, default "quote"
        ``"quote"``: fees in the quote asset; ``"received"``: in the asset the fill delivers
        (base on a spot buy, quote on a spot sell), as Binance and OKX spot charge by default.
        Derivatives always pay in their settlement asset.

    Raises
    ------
    ConfigError
        If a rate is not a decimal in (-1, 1) or ``fee_asset`` is unknown.
    """

    def __init__(self, maker_rate, taker_rate, str fee_asset="quote"):
        self.maker_rate = _rate(maker_rate, "maker_fee")
        self.taker_rate = _rate(taker_rate, "taker_fee")
        decimal_raw(self.maker_rate, &self._maker_raw, &self._maker_places)
        decimal_raw(self.taker_rate, &self._taker_raw, &self._taker_places)
        self._multiplier_of = None
        mode = _FEE_ASSETS.get(fee_asset)
        if mode is None:
            raise ConfigError(f"fee_asset: expected 'quote' or 'received', got {fee_asset!r}")
        self.fee_asset = mode

    @staticmethod
    def for_instrument(Instrument instrument not None, str fee_asset="quote"):
        """Return the schedule of the instrument's own ``maker_fee`` and ``taker_fee``.

        Parameters
        ----------
        instrument : Instrument
            The instrument.
        fee_asset : str
            As for the constructor.

        Returns
        -------
        FeeSchedule
        """
        return FeeSchedule(instrument.maker_fee, instrument.taker_fee, fee_asset)

    cpdef str fee_currency(self, Instrument instrument, Side side):
        """Return the asset a fill of ``side`` pays its fee in.

        Parameters
        ----------
        instrument : Instrument
            The instrument filled.
        side : Side
            Side of our order.

        Returns
        -------
        str
        """
        if instrument.kind != InstrumentKind.SPOT:
            return instrument.settle
        if self.fee_asset == FeeAsset.RECEIVED and side == Side.BUY:
            return instrument.base
        return instrument.quote

    cpdef Money fee(
        self, Instrument instrument, Side side, int64_t price_ticks, int64_t qty_lots, bint is_maker
    ):
        """Return the exact fee of one fill.

        Parameters
        ----------
        instrument : Instrument
            The instrument filled.
        side : Side
            Side of our order.
        price_ticks : int
            Fill price in ticks.
        qty_lots : int
            Fill quantity in lots.
        is_maker : bool
            True for a resting (maker) fill.

        Returns
        -------
        Money
            Positive when paid, negative for a rebate, in ``fee_currency(instrument, side)``.
        """
        cdef object rate = self.maker_rate if is_maker else self.taker_rate
        cdef str currency = self.fee_currency(instrument, side)
        cdef bint in_base = currency == instrument.base and instrument.kind == InstrumentKind.SPOT
        cdef int64_t raw = self._maker_raw if is_maker else self._taker_raw
        cdef int places = self._maker_places if is_maker else self._taker_places
        cdef object amount
        # Exact in int64 when it fits (nearly always); otherwise the same product in Decimal.
        if instrument.id is not self._multiplier_of:
            self._set_multiplier(instrument)
        if (
            product(raw, qty_lots, &raw)
            and product(raw, instrument.lot_size_raw, &raw)
            and (
                in_base
                or (
                    product(raw, price_ticks, &raw)
                    and product(raw, instrument.tick_size_raw, &raw)
                    and product(raw, self._multiplier_raw, &raw)
                )
            )
        ):
            places += instrument.size_precision
            if not in_base:
                places += instrument.price_precision + self._multiplier_places
            while places > 0 and raw % 10 == 0:
                raw //= 10
                places -= 1
            if places <= _MAX_PLACES:
                return Money.from_raw_c(raw, places, currency)
        if in_base:
            amount = _EXACT.multiply(_EXACT.multiply(qty_lots, instrument.lot_size), rate)
        else:
            amount = _EXACT.multiply(instrument.notional(price_ticks, qty_lots), rate)
        return _money(amount.normalize(_EXACT), currency)

    cdef int _set_multiplier(self, Instrument instrument) except -1:
        decimal_raw(instrument.multiplier, &self._multiplier_raw, &self._multiplier_places)
        self._multiplier_of = instrument.id
        return 0

    def __repr__(self):
        return (
            f"FeeSchedule(maker_rate={self.maker_rate}, taker_rate={self.taker_rate}, "
            f"fee_asset={'quote' if self.fee_asset == FeeAsset.QUOTE else 'received'})"
        )
