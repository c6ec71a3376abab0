"""Venue-side account of a simulated venue: balances per asset, positions, margin, PnL.

This is the venue's view, used to accept or reject our orders and to settle our fills; the
strategy's shadow ledger (``hftcore.portfolio``) is separate, as it is live. Amounts are exact:
integers in units of ``10**-SCALE`` of their asset (Python ints, so no overflow), converted to
``Decimal`` only at the Python API. An order's notional and requirement are computed in int128
first (C arithmetic with overflow checks) and in Python ints only when that would overflow, so
both give the same exact result.

Spot: a buy locks ``price * quantity`` of the quote asset (plus the taker fee when fees are paid
in quote), a sell locks the base quantity; a fill moves both assets and charges the fee in its
asset. Derivatives (linear, settled in ``settle``): an order locks initial margin
``notional / leverage`` (rounded up) plus the taker fee; a fill changes the position (average
cost), realizes PnL on the part that reduces it and charges the fee; open positions use
``open notional / leverage`` of margin. Funding, liquidation and inverse contracts are not
modelled.
"""

from decimal import Context, Decimal

cimport cython
from libc.stdint cimport int64_t

from hftcore.errors import ConfigError

from backtest.models.fees cimport FeeAsset, FeeSchedule, decimal_raw
from hftcore.model.enums cimport InstrumentKind, Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money
from hftcore.portfolio.amounts cimport (
    e18_to_int,
    hft_add_e18,
    hft_mul_e18,
    hft_pow10,
    int128_t,
    int_to_e18,
)

SCALE = 24
"""Decimal places of every amount the account holds."""

cdef object _ONE = (<object>10) ** SCALE
# Wide enough that normalizing never rounds an amount (int64-sized values at SCALE places).
_WIDE = Context(prec=100)


cdef object to_decimal(object raw):
    """``raw * 10**-SCALE`` as a ``Decimal`` without needless trailing zeros."""
    if raw % _ONE == 0:
        return Decimal(raw // _ONE)
    return Decimal(raw).scaleb(-SCALE, _WIDE).normalize(_WIDE)


# 10**0 .. 10**(2 * SCALE) as Python ints: requirement() and apply_fill() need one per order.
cdef tuple _POW10 = tuple([(<object>10) ** places for places in range(2 * SCALE + 1)])
cdef Py_ssize_t _POW10_COUNT = len(_POW10)


cdef object _pow10(Py_ssize_t places):
    # A Python int: Cython would compute ``10 ** n`` of C ints as a double.
    if 0 <= places < _POW10_COUNT:
        return _POW10[places]
    return (<object>10) ** (<object>places)


cdef object ceil_div(object numerator, object denominator):
    return -((-numerator) // denominator)


@cython.cdivision(True)
cdef int128_t _ceil_div_c(int128_t numerator, int128_t denominator) noexcept:
    # ceil_div in C, denominator > 0: C division truncates, which rounds up below zero.
    cdef int128_t quotient = numerator // denominator
    if numerator > 0 and quotient * denominator != numerator:
        quotient += 1
    return quotient


cdef object _raw_amount(object value, str field):
    try:
        amount = Decimal(str(value))
    except ArithmeticError as exc:
        raise ConfigError(f"{field}: expected a decimal, got {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise ConfigError(f"{field}: expected a balance >= 0, got {value!r}")
    raw = amount.scaleb(SCALE)
    if raw != raw.to_integral_value():
        raise ConfigError(f"{field}: {value!r} has more than {SCALE} decimal places")
    return int(raw)


cdef class InstrumentScale:
    """Factors turning an instrument's ticks and lots into ``10**-SCALE`` units."""

    def __init__(self, Instrument instrument not None):
        cdef int64_t multiplier_raw
        cdef int multiplier_places
        decimal_raw(instrument.multiplier, &multiplier_raw, &multiplier_places)
        places = instrument.price_precision + instrument.size_precision + multiplier_places
        if places > SCALE:
            raise ConfigError(
                f"instrument {instrument.id.value}: tick, lot and multiplier need {places} "
                f"decimal places; the simulated account keeps {SCALE}"
            )
        self.instrument = instrument
        self.notional_factor = (
            <object>instrument.tick_size_raw * instrument.lot_size_raw * multiplier_raw
            * _pow10(SCALE - places)
        )
        self.quantity_factor = instrument.lot_size_raw * _pow10(SCALE - instrument.size_precision)
        self.price_factor = instrument.tick_size_raw * _pow10(SCALE - instrument.price_precision)
        self._has_factors_c = int_to_e18(
            self.notional_factor, &self._notional_factor_c
        ) and int_to_e18(self.quantity_factor, &self._quantity_factor_c)

    cdef object notional(self, int64_t price_ticks, int64_t qty_lots):
        cdef int128_t notional
        if self.notional_c(price_ticks, qty_lots, &notional):
            return e18_to_int(notional)
        return <object>price_ticks * qty_lots * self.notional_factor

    cdef bint notional_c(self, int64_t price_ticks, int64_t qty_lots, int128_t* out) noexcept:
        """Set ``out`` to the notional in int128; return False instead when it overflows."""
        # Two int64 factors cannot overflow int128.
        return self._has_factors_c and not hft_mul_e18(
            <int128_t>price_ticks * qty_lots, self._notional_factor_c, out
        )

    cdef object quantity(self, int64_t qty_lots):
        cdef int128_t quantity
        if self._has_factors_c and not hft_mul_e18(qty_lots, self._quantity_factor_c, &quantity):
            return e18_to_int(quantity)
        return <object>qty_lots * self.quantity_factor


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
        self._multiplier_f = float(self.multiplier)
        self._quantity_raw = 0
        self._open_notional_raw = 0
        self._realized_raw = 0
        self._fees_raw = 0
        self.fill_count = 0
        self._quantity_f = 0.0
        self._avg_price_f = 0.0
        self._is_float_stale = False

    @property
    def quantity_f(self):
        """float: Net quantity as a float (equity sampling)."""
        self._refresh_floats()
        return self._quantity_f

    @property
    def avg_price_f(self):
        """float: Average entry price as a float (equity sampling)."""
        self._refresh_floats()
        return self._avg_price_f

    @property
    def quantity(self):
        """Decimal: Net quantity from our fills, base units, signed."""
        return to_decimal(self._quantity_raw)

    @property
    def avg_price(self):
        """Decimal: Average entry price of the open quantity (0 when flat), 28 digits."""
        if self._quantity_raw == 0:
            return Decimal(0)
        return (
            Decimal(self._open_notional_raw) / Decimal(abs(self._quantity_raw)) / self.multiplier
        ).normalize()

    @property
    def realized_pnl(self):
        """Decimal: PnL realized by reducing fills, quote units, before fees."""
        return to_decimal(self._realized_raw)

    @property
    def fees(self):
        """Decimal: Fees paid, converted to the quote asset at each fill's price."""
        return to_decimal(self._fees_raw)

    @property
    def realized_pnl_f(self):
        """float: ``realized_pnl`` as a float (the nearest, as ``float(realized_pnl)``)."""
        return self._realized_raw / _ONE

    @property
    def fees_f(self):
        """float: ``fees`` as a float (the nearest, as ``float(fees)``)."""
        return self._fees_raw / _ONE

    cdef int apply(self, Side side, object qty_raw, object notional_raw) except -1:
        cdef object held = self._quantity_raw
        cdef object held_abs = abs(held)
        cdef object closed
        cdef object closed_cost
        cdef object closed_value
        if held == 0 or (held > 0) == (side == Side.BUY):
            self._open_notional_raw += notional_raw
        else:
            closed = min(held_abs, qty_raw)
            # Exact when a whole position or a whole fill closes (the common case).
            closed_cost = (
                self._open_notional_raw if closed == held_abs
                else self._open_notional_raw * closed // held_abs
            )
            closed_value = notional_raw if closed == qty_raw else notional_raw * closed // qty_raw
            self._realized_raw += (
                closed_value - closed_cost if held > 0 else closed_cost - closed_value
            )
            self._open_notional_raw -= closed_cost
            if qty_raw > held_abs:
                self._open_notional_raw = notional_raw - closed_value
        self._quantity_raw = held + (qty_raw if side == Side.BUY else -qty_raw)
        self.fill_count += 1
        self._is_float_stale = True
        return 0

    cdef int _refresh_floats(self) except -1:
        # The floats are derived when read (equity samples), not at every fill.
        if not self._is_float_stale:
            return 0
        self._quantity_f = self._quantity_raw / _ONE
        self._avg_price_f = (
            self._open_notional_raw / abs(self._quantity_raw) / self._multiplier_f
            if self._quantity_raw else 0.0
        )
        self._is_float_stale = False
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
        self._refresh_floats()
        return self._quantity_f * (mark_price - self._avg_price_f) * self._multiplier_f

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
        Asset -> starting balance (``Decimal``, str or int), >= 0, at most 24 decimal places.
    leverage : Decimal or str, default "1"
        Leverage of derivative positions, >= 1.

    Raises
    ------
    ConfigError
        If a balance is negative or not a decimal, or the leverage is below 1.
    """

    def __init__(self, str venue not None, dict balances not None, leverage="1"):
        cdef int64_t leverage_raw
        cdef int leverage_places
        self.venue = venue.upper()
        self._total = {}
        self._locked = {}
        self._positions = {}
        self._scales = {}
        self._derivative_settle = {}
        for asset, value in balances.items():
            self._total[str(asset).upper()] = _raw_amount(value, f"balances.{self.venue}.{asset}")
        try:
            self.leverage = Decimal(str(leverage))
        except ArithmeticError as exc:
            raise ConfigError(f"leverage: expected a decimal, got {leverage!r}") from exc
        if not self.leverage.is_finite() or self.leverage < 1:
            raise ConfigError(f"leverage: expected >= 1, got {leverage!r}")
        decimal_raw(self.leverage, &leverage_raw, &leverage_places)
        self._leverage_numerator = _pow10(leverage_places)
        self._leverage_denominator = leverage_raw
        self._has_leverage_c = leverage_places <= 18
        if self._has_leverage_c:
            self._leverage_numerator_c = hft_pow10(leverage_places)
            self._leverage_denominator_c = leverage_raw
        self.initial_balances = {asset: to_decimal(raw) for asset, raw in self._total.items()}
        self.rejected_count = 0

    # -- BALANCES ------------------------------------------------------------------------------

    cpdef object total(self, str asset):
        """Return the total balance of ``asset`` (``Decimal``; 0 when never held)."""
        return to_decimal(self._total.get(asset, 0))

    cpdef object locked(self, str asset):
        """Return the part of ``asset`` locked by open orders (``Decimal``)."""
        return to_decimal(self._locked.get(asset, 0))

    cpdef object free(self, str asset):
        """Return what new orders may use: total - locked - margin of open positions."""
        return to_decimal(self.free_raw(asset))

    cdef object free_raw(self, str asset):
        cdef object free = self._total.get(asset, 0) - self._locked.get(asset, 0)
        if asset in self._derivative_settle:
            free -= self._margin_used_raw(asset)
        return free

    cdef object _margin_used_raw(self, str asset):
        cdef object used = 0
        cdef SimPosition position
        for position in self._positions.values():
            if position._quantity_raw != 0 and (
                position.instrument_id in self._derivative_settle[asset]
            ):
                used += ceil_div(
                    position._open_notional_raw * self._leverage_numerator,
                    self._leverage_denominator,
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

    def amount(self, raw):
        """Return an amount in the account's units (``10**-SCALE``) as a ``Decimal``."""
        return to_decimal(raw)

    # -- ORDERS --------------------------------------------------------------------------------

    cdef InstrumentScale scale(self, Instrument instrument):
        cdef InstrumentScale found = self._scales.get(instrument.id)
        if found is None:
            found = InstrumentScale(instrument)
            self._scales[instrument.id] = found
            if instrument.kind != InstrumentKind.SPOT:
                self._derivative_settle.setdefault(instrument.settle, set()).add(instrument.id)
        return found

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
        cdef InstrumentScale scale = self.scale(instrument)
        cdef object notional
        cdef object fee_reserve = 0
        cdef int128_t notional_c
        cdef int128_t need_c
        if instrument.kind == InstrumentKind.SPOT and side == Side.SELL:
            return instrument.base, scale.quantity(qty_lots)
        if instrument.kind != InstrumentKind.SPOT and is_reduce_only:
            return instrument.settle, 0
        if scale.notional_c(price_ticks, qty_lots, &notional_c) and self._requirement_c(
            instrument, notional_c, fees, &need_c
        ):
            return (
                instrument.quote if instrument.kind == InstrumentKind.SPOT else instrument.settle,
                e18_to_int(need_c),
            )
        notional = scale.notional(price_ticks, qty_lots)
        if fees._taker_raw > 0 and (
            instrument.kind != InstrumentKind.SPOT or fees.fee_asset == FeeAsset.QUOTE
        ):
            fee_reserve = ceil_div(notional * fees._taker_raw, _pow10(fees._taker_places))
        if instrument.kind == InstrumentKind.SPOT:
            return instrument.quote, notional + fee_reserve
        return instrument.settle, fee_reserve + ceil_div(
            notional * self._leverage_numerator, self._leverage_denominator
        )

    cdef bint _requirement_c(
        self, Instrument instrument, int128_t notional, FeeSchedule fees, int128_t* out
    ) noexcept:
        # requirement() past its early returns, in int128; False when a step would overflow.
        cdef int128_t product
        cdef int128_t fee_reserve = 0
        if fees._taker_raw > 0 and (
            instrument.kind != InstrumentKind.SPOT or fees.fee_asset == FeeAsset.QUOTE
        ):
            if fees._taker_places > 18 or hft_mul_e18(notional, fees._taker_raw, &product):
                return False
            fee_reserve = _ceil_div_c(product, hft_pow10(fees._taker_places))
        if instrument.kind == InstrumentKind.SPOT:
            return not hft_add_e18(notional, fee_reserve, out)
        if not self._has_leverage_c or hft_mul_e18(notional, self._leverage_numerator_c, &product):
            return False
        return not hft_add_e18(
            fee_reserve, _ceil_div_c(product, self._leverage_denominator_c), out
        )

    cdef str check_reduce_only(self, Instrument instrument, Side side, int64_t qty_lots):
        """Return why a reduce-only order would increase the position, or None."""
        cdef SimPosition position = self._positions.get(instrument.id)
        cdef object held = 0 if position is None else position._quantity_raw
        cdef object qty = self.scale(instrument).quantity(qty_lots)
        if held == 0 or (held > 0) == (side == Side.BUY) or qty > abs(held):
            return (
                f"reduce-only order would increase the position (position {to_decimal(held)}, "
                f"order {'BUY' if side == Side.BUY else 'SELL'} {to_decimal(qty)})"
            )
        return None

    cdef bint can_lock(self, str asset, object amount) except -1:
        return amount <= self.free_raw(asset)

    cdef int lock(self, str asset, object amount) except -1:
        if amount:
            self._locked[asset] = self._locked.get(asset, 0) + amount
        return 0

    cdef int unlock(self, str asset, object amount) except -1:
        if amount:
            self._locked[asset] = self._locked.get(asset, 0) - amount
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
        cdef InstrumentScale scale = self.scale(instrument)
        cdef object qty = scale.quantity(qty_lots)
        cdef object notional = scale.notional(price_ticks, qty_lots)
        cdef object fee_raw = <object>fee.raw * _pow10(SCALE - fee.precision)
        cdef SimPosition position = self._positions.get(instrument.id)
        cdef object realized_before
        if position is None:
            position = SimPosition(instrument.id, instrument.multiplier)
            self._positions[instrument.id] = position
        realized_before = position._realized_raw
        position.apply(side, qty, notional)
        if instrument.kind == InstrumentKind.SPOT:
            if side == Side.BUY:
                self._add(instrument.quote, -notional)
                self._add(instrument.base, qty)
            else:
                self._add(instrument.base, -qty)
                self._add(instrument.quote, notional)
        else:
            self._add(instrument.settle, position._realized_raw - realized_before)
        self._add(fee.currency, -fee_raw)
        if fee.currency == instrument.base and instrument.kind == InstrumentKind.SPOT:
            # A base-asset fee valued at the fill price, in quote.
            position._fees_raw += fee_raw * price_ticks * scale.price_factor // _ONE
        else:
            position._fees_raw += fee_raw
        return 0

    cdef int _add(self, str asset, object amount) except -1:
        self._total[asset] = self._total.get(asset, 0) + amount
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
        cdef InstrumentScale scale
        for asset, amount in self._total.items():
            value += amount / _ONE * prices.get(asset, 0.0)
        for position in self._positions.values():
            scale = self._scales[position.instrument_id]
            if scale.instrument.kind != InstrumentKind.SPOT:
                mark = prices.get(position.instrument_id)
                if mark is not None:
                    value += position.unrealized_pnl(mark)
        return value

    def __repr__(self):
        return (
            f"SimAccount({self.venue}, balances="
            f"{ {a: str(to_decimal(t)) for a, t in self._total.items()} })"
        )
