"""Venue-side account of a simulated venue: balances per asset, positions, margin, PnL.

This is the venue's view, used to accept or reject our orders and to settle our fills; the
strategy's shadow ledger (``hftcore.portfolio``) is separate, as it is live. Amounts are exact
``Decimal`` values (orders and fills are rare next to market data, so this is not a hot path).

Spot: a buy locks ``price * quantity`` of the quote asset (plus the taker fee when fees are paid
in quote), a sell locks the base quantity; a fill moves both assets and charges the fee in its
asset. Derivatives (linear, settled in ``settle``): an order locks initial margin
``notional / leverage`` plus the taker fee; a fill changes the position (average entry price),
realizes PnL on the part that reduces it and charges the fee; open positions use
``|quantity| * avg_price * multiplier / leverage`` of margin. Funding, liquidation and inverse
contracts are not modelled.
"""

from decimal import Context, Decimal, Inexact, Rounded

from libc.stdint cimport int64_t

from hftcore.errors import ConfigError

from backtest.models.fees cimport FeeAsset, FeeSchedule
from hftcore.model.enums cimport InstrumentKind, Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money

_ZERO = Decimal(0)
_EXACT = Context(prec=200, traps=[Inexact, Rounded])
# Average prices are quotients: 50 significant digits, far below any tick.
_AVERAGE = Context(prec=50)


cdef class SimPosition:
    """Net position of one instrument built from our fills (average-cost accounting).

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument.
    multiplier : Decimal
        Its contract multiplier.
    """

    def __init__(self, InstrumentId instrument_id not None, multiplier):
        self.instrument_id = instrument_id
        self.multiplier = Decimal(multiplier)
        self.quantity = _ZERO
        self.avg_price = _ZERO
        self.realized_pnl = _ZERO
        self.fees = _ZERO
        self.fill_count = 0
        self.quantity_f = 0.0
        self.avg_price_f = 0.0

    cdef int apply(self, Side side, object qty, object price) except -1:
        cdef object signed = qty if side == Side.BUY else -qty
        cdef object held = self.quantity
        cdef object closed
        if held == 0 or (held > 0) == (signed > 0):
            self.avg_price = _AVERAGE.divide(
                _EXACT.add(_EXACT.multiply(self.avg_price, abs(held)), _EXACT.multiply(price, qty)),
                abs(held) + qty,
            )
        else:
            closed = min(abs(held), qty)
            # Long positions gain when the exit is above the entry, shorts when it is below.
            self.realized_pnl += _EXACT.multiply(
                _EXACT.multiply(price - self.avg_price, closed), self.multiplier
            ) * (1 if held > 0 else -1)
            if qty > abs(held):
                self.avg_price = price
            elif qty == abs(held):
                self.avg_price = _ZERO
        self.quantity = held + signed
        self.fill_count += 1
        self.quantity_f = float(self.quantity)
        self.avg_price_f = float(self.avg_price)
        return 0

    def unrealized_pnl(self, double mark_price):
        """Return the PnL of the open quantity marked at ``mark_price`` (quote units, float).

        Parameters
        ----------
        mark_price : float
            Mark price, quote per base.

        Returns
        -------
        float
        """
        return self.quantity_f * (mark_price - self.avg_price_f) * float(self.multiplier)

    def __repr__(self):
        return (
            f"SimPosition({self.instrument_id.value}, quantity={self.quantity}, "
            f"avg_price={self.avg_price}, realized_pnl={self.realized_pnl}, fees={self.fees})"
        )


cdef class SimAccount:
    """Balances and positions one simulated venue holds for us.

    Parameters
    ----------
    venue : str
        Venue name.
    balances : dict
        Asset -> starting balance (``Decimal``, str or int), >= 0.
    leverage : Decimal or str, default "1"
        Leverage of derivative positions, >= 1.

    Raises
    ------
    ConfigError
        If a balance is negative or not a decimal, or the leverage is below 1.
    """

    def __init__(self, str venue not None, dict balances not None, leverage="1"):
        self.venue = venue.upper()
        self._total = {}
        self._locked = {}
        self._positions = {}
        self._instruments = {}
        for asset, value in balances.items():
            try:
                amount = Decimal(str(value))
            except ArithmeticError as exc:
                raise ConfigError(
                    f"balances.{self.venue}.{asset}: expected a decimal, got {value!r}"
                ) from exc
            if not amount.is_finite() or amount < 0:
                raise ConfigError(
                    f"balances.{self.venue}.{asset}: expected a balance >= 0, got {value!r}"
                )
            self._total[str(asset).upper()] = amount
        try:
            self.leverage = Decimal(str(leverage))
        except ArithmeticError as exc:
            raise ConfigError(f"leverage: expected a decimal, got {leverage!r}") from exc
        if not self.leverage.is_finite() or self.leverage < 1:
            raise ConfigError(f"leverage: expected >= 1, got {leverage!r}")
        self.initial_balances = dict(self._total)
        self.rejected_count = 0

    # -- BALANCES ------------------------------------------------------------------------------

    cpdef object total(self, str asset):
        """Return the total balance of ``asset`` (``Decimal``; 0 when never held)."""
        return self._total.get(asset, _ZERO)

    cpdef object locked(self, str asset):
        """Return the part of ``asset`` locked by open orders (``Decimal``)."""
        return self._locked.get(asset, _ZERO)

    cpdef object free(self, str asset):
        """Return what new orders may use: total - locked - margin of open positions."""
        return self.total(asset) - self.locked(asset) - self._margin_used(asset)

    cdef object _margin_used(self, str asset):
        cdef object used = _ZERO
        cdef SimPosition position
        cdef Instrument instrument
        for position in self._positions.values():
            if position.quantity == 0:
                continue
            instrument = self._instruments[position.instrument_id]
            if instrument.kind != InstrumentKind.SPOT and instrument.settle == asset:
                used += _AVERAGE.divide(
                    abs(position.quantity) * position.avg_price * position.multiplier,
                    self.leverage,
                )
        return used

    def balances(self):
        """Return every asset's balance.

        Returns
        -------
        dict
            Asset -> ``(total, locked, free)`` as ``Decimal`` values, sorted by asset.
        """
        return {
            asset: (self.total(asset), self.locked(asset), self.free(asset))
            for asset in sorted(set(self._total) | set(self._locked))
        }

    # -- ORDERS --------------------------------------------------------------------------------

    cdef tuple requirement(
        self,
        Instrument instrument,
        Side side,
        int64_t price_ticks,
        int64_t qty_lots,
        FeeSchedule fees,
        bint is_reduce_only,
    ):
        """Return ``(asset, amount)`` an order of ``qty_lots`` at ``price_ticks`` must lock."""
        cdef object notional
        if instrument.kind == InstrumentKind.SPOT:
            if side == Side.SELL:
                return instrument.base, _EXACT.multiply(qty_lots, instrument.lot_size)
            notional = instrument.notional(price_ticks, qty_lots)
            if fees.fee_asset == FeeAsset.QUOTE and fees.taker_rate > 0:
                notional = _EXACT.add(notional, _EXACT.multiply(notional, fees.taker_rate))
            return instrument.quote, notional
        if is_reduce_only:
            return instrument.settle, _ZERO
        notional = instrument.notional(price_ticks, qty_lots)
        return instrument.settle, _AVERAGE.divide(notional, self.leverage) + (
            notional * fees.taker_rate if fees.taker_rate > 0 else _ZERO
        )

    cdef str check_reduce_only(self, Instrument instrument, Side side, int64_t qty_lots):
        """Return why a reduce-only order would increase the position, or None."""
        cdef SimPosition position = self._positions.get(instrument.id)
        cdef object held = _ZERO if position is None else position.quantity
        cdef object qty = _EXACT.multiply(qty_lots, instrument.lot_size)
        if held == 0 or (held > 0) == (side == Side.BUY) or qty > abs(held):
            return (
                f"reduce-only order would increase the position (position {held}, "
                f"order {'BUY' if side == Side.BUY else 'SELL'} {qty})"
            )
        return None

    cdef bint can_lock(self, str asset, object amount) except -1:
        return amount <= self.free(asset)

    cdef int lock(self, str asset, object amount) except -1:
        if amount:
            self._locked[asset] = self._locked.get(asset, _ZERO) + amount
        return 0

    cdef int unlock(self, str asset, object amount) except -1:
        if amount:
            self._locked[asset] = self._locked.get(asset, _ZERO) - amount
        return 0

    # -- FILLS ---------------------------------------------------------------------------------

    cpdef SimPosition position(self, InstrumentId instrument_id):
        """Return the position of ``instrument_id`` (None before its first fill)."""
        return self._positions.get(instrument_id)

    def positions(self):
        """Return every position, by instrument id (in first-fill order)."""
        return dict(self._positions)

    cdef int apply_fill(
        self, Instrument instrument, Side side, int64_t price_ticks, int64_t qty_lots, Money fee
    ) except -1:
        cdef object qty = _EXACT.multiply(qty_lots, instrument.lot_size)
        cdef object price = _EXACT.multiply(price_ticks, instrument.tick_size)
        cdef object notional = instrument.notional(price_ticks, qty_lots)
        cdef object fee_amount = fee.as_decimal()
        cdef SimPosition position = self._positions.get(instrument.id)
        cdef object realized_before
        if position is None:
            position = SimPosition(instrument.id, instrument.multiplier)
            self._positions[instrument.id] = position
            self._instruments[instrument.id] = instrument
        realized_before = position.realized_pnl
        position.apply(side, qty, price)
        if instrument.kind == InstrumentKind.SPOT:
            if side == Side.BUY:
                self._add(instrument.quote, -notional)
                self._add(instrument.base, qty)
            else:
                self._add(instrument.base, -qty)
                self._add(instrument.quote, notional)
        else:
            self._add(instrument.settle, position.realized_pnl - realized_before)
        self._add(fee.currency, -fee_amount)
        position.fees += (
            _EXACT.multiply(fee_amount, price) if fee.currency == instrument.base
            and instrument.kind == InstrumentKind.SPOT else fee_amount
        )
        return 0

    cdef int _add(self, str asset, object amount) except -1:
        self._total[asset] = self._total.get(asset, _ZERO) + amount
        return 0

    def equity(self, prices):
        """Return the account's value in the quote currency, marked at ``prices``.

        Parameters
        ----------
        prices : dict
            Asset -> price in the quote currency (the quote currency itself maps to 1), and
            instrument id -> mark price for derivative positions.

        Returns
        -------
        float
            Sum of balances times prices plus the unrealized PnL of derivative positions;
            assets without a price count as 0.
        """
        cdef double value = 0.0
        cdef SimPosition position
        for asset, amount in self._total.items():
            value += float(amount) * prices.get(asset, 0.0)
        for position in self._positions.values():
            if (<Instrument>self._instruments[position.instrument_id]).kind != InstrumentKind.SPOT:
                mark = prices.get(position.instrument_id)
                if mark is not None:
                    value += position.unrealized_pnl(mark)
        return value

    def __repr__(self):
        return f"SimAccount({self.venue}, balances={ {a: str(t) for a, t in self._total.items()} })"
