"""Fee schedules of the simulated venues: maker/taker rates and the asset fees are charged in.

A fee is exact: ``price * quantity * multiplier * rate`` computed in ``Decimal`` from the fill's
ticks and lots (or ``quantity * rate`` when charged in the base asset received on a spot buy).
A fee needing more than 18 decimal places is rounded half-even to 18 (``Money``'s limit).
"""

from decimal import Context, Decimal, Inexact, Rounded

from libc.stdint cimport int64_t

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
        cdef object amount
        if currency == instrument.base and instrument.kind == InstrumentKind.SPOT:
            amount = _EXACT.multiply(_EXACT.multiply(qty_lots, instrument.lot_size), rate)
        else:
            amount = _EXACT.multiply(instrument.notional(price_ticks, qty_lots), rate)
        return _money(amount, currency)

    def __repr__(self):
        return (
            f"FeeSchedule(maker_rate={self.maker_rate}, taker_rate={self.taker_rate}, "
            f"fee_asset={'quote' if self.fee_asset == FeeAsset.QUOTE else 'received'})"
        )
