"""Tradable instruments (spot, perpetual, dated future) and exact price/size conversions.

An ``Instrument`` owns the conversions between a venue's decimal strings and the int64 ticks and
lots the hot path uses. A conversion is exact or it raises ``PrecisionError`` naming the value and
the tick or lot size; an explicit ``RoundingMode`` rounds instead. Tick and lot sizes need not be
powers of ten (``0.5``, ``0.05``, ``25``).
"""

cimport cython
from libc.math cimport fabs
from libc.stdint cimport int64_t

from hftcore.model.enums cimport InstrumentKind, RoundingMode
from hftcore.model.fixed_point cimport (
    FIXED_MAX_PRECISION,
    PARSE_OK,
    Price,
    Quantity,
    checked_mul,
    format_fixed,
    parse_str_status,
    parse_value,
    raise_parse_error,
)
from hftcore.model.identifiers cimport InstrumentId

from decimal import Context, Decimal, Inexact, InvalidOperation, Rounded

from hftcore.errors import ConfigError, FixedPointError, HftError
from hftcore.model.enums import InstrumentKind as InstrumentKindEnum
from hftcore.model.enums import parse_enum

# Products of a few int64-sized decimals have far fewer than 200 digits: never rounded. The traps
# turn any rounding into an error instead of a silently inexact notional or fee.
_EXACT = Context(prec=200, traps=[Inexact, Rounded, InvalidOperation])
# Relative band around min_notional inside which min_notional_ok re-checks exactly.
cdef double _NOTIONAL_BAND = 1e-9
_REQUIRED_FIELDS = ("id", "kind", "base", "quote", "tick_size", "lot_size")
_OPTIONAL_FIELDS = (
    "settle",
    "min_quantity",
    "min_notional",
    "maker_fee",
    "taker_fee",
    "multiplier",
    "expiry_ns",
)


@cython.final
cdef class Instrument:
    """A tradable instrument of one venue and its exact price/size conversions.

    Parameters
    ----------
    instrument_id : InstrumentId
        E.g. ``InstrumentId.from_str("BTCUSDT.BINANCE")``.
    kind : InstrumentKind
        SPOT, PERPETUAL or FUTURE.
    base : str
        Base asset, e.g. ``"BTC"``.
    quote : str
        Quote asset, e.g. ``"USDT"``.
    tick_size : str or Decimal
        Positive price increment, e.g. ``"0.01"`` or ``"0.5"``; trailing zeros are dropped.
    lot_size : str or Decimal
        Positive size increment, e.g. ``"0.00001"``.
    settle : str, optional
        Settlement asset; defaults to ``quote``.
    min_quantity : str or Decimal
        Smallest order size, >= 0.
    min_notional : str or Decimal
        Smallest order notional in the quote asset, >= 0.
    maker_fee, taker_fee : str or Decimal
        Fee rates, strictly between -1 and 1; negative for a rebate.
    multiplier : str or Decimal
        Positive contract multiplier.
    expiry_ns : int
        UNIX ns expiry; required (> 0) for FUTURE, 0 otherwise.

    Raises
    ------
    ConfigError
        If a field is invalid; the message names the instrument, the field and the value.
    """

    def __init__(
        self,
        InstrumentId instrument_id not None,
        kind,
        base,
        quote,
        tick_size,
        lot_size,
        *,
        settle=None,
        min_quantity="0",
        min_notional="0",
        maker_fee="0",
        taker_fee="0",
        multiplier="1",
        expiry_ns=0,
    ):
        cdef str owner = f"instrument {instrument_id}"
        cdef int64_t raw
        cdef int precision
        self.id = instrument_id
        if kind not in (InstrumentKind.SPOT, InstrumentKind.PERPETUAL, InstrumentKind.FUTURE):
            raise ConfigError(f"{owner}: kind: expected SPOT, PERPETUAL or FUTURE, got {kind!r}")
        self.kind = kind
        self.base = _asset_field(owner, "base", base)
        self.quote = _asset_field(owner, "quote", quote)
        self.settle = self.quote if settle is None else _asset_field(owner, "settle", settle)
        if not isinstance(expiry_ns, int) or isinstance(expiry_ns, bool) or expiry_ns < 0:
            raise ConfigError(f"{owner}: expiry_ns: expected an int >= 0, got {expiry_ns!r}")
        if (self.kind == InstrumentKind.FUTURE) != (expiry_ns > 0):
            raise ConfigError(
                f"{owner}: expiry_ns: a FUTURE needs an expiry > 0 and other kinds 0, "
                f"got {expiry_ns!r} for {InstrumentKindEnum(self.kind).name}"
            )
        self.expiry_ns = expiry_ns

        self.tick_size = _decimal_field(owner, "tick_size", tick_size)
        _step_field(owner, "tick_size", self.tick_size, &raw, &precision)
        self.tick_size_raw = raw
        self.price_precision = precision
        self.tick_size = Decimal(format_fixed(raw, precision))
        self.lot_size = _decimal_field(owner, "lot_size", lot_size)
        _step_field(owner, "lot_size", self.lot_size, &raw, &precision)
        self.lot_size_raw = raw
        self.size_precision = precision
        self.lot_size = Decimal(format_fixed(raw, precision))

        self.min_quantity = _decimal_field(owner, "min_quantity", min_quantity)
        self.min_notional = _decimal_field(owner, "min_notional", min_notional)
        self.maker_fee = _decimal_field(owner, "maker_fee", maker_fee)
        self.taker_fee = _decimal_field(owner, "taker_fee", taker_fee)
        self.multiplier = _decimal_field(owner, "multiplier", multiplier)
        if self.min_quantity < 0:
            raise ConfigError(f"{owner}: min_quantity: expected >= 0, got {min_quantity!r}")
        if self.min_notional < 0:
            raise ConfigError(f"{owner}: min_notional: expected >= 0, got {min_notional!r}")
        if not -1 < self.maker_fee < 1:
            raise ConfigError(f"{owner}: maker_fee: expected a rate in (-1, 1), got {maker_fee!r}")
        if not -1 < self.taker_fee < 1:
            raise ConfigError(f"{owner}: taker_fee: expected a rate in (-1, 1), got {taker_fee!r}")
        if self.multiplier <= 0:
            raise ConfigError(f"{owner}: multiplier: expected > 0, got {multiplier!r}")
        try:
            self.min_quantity_lots = self.size_to_lots_c(
                format(self.min_quantity, "f"), RoundingMode.UP
            )
        except FixedPointError as exc:
            raise ConfigError(f"{owner}: min_quantity: {exc}") from exc

        self.tick_size_f = float(self.tick_size)
        self.lot_size_f = float(self.lot_size)
        self.multiplier_f = float(self.multiplier)
        self.min_notional_f = float(self.min_notional)
        self._notional_factor_f = self.tick_size_f * self.lot_size_f * self.multiplier_f

    # -- CONVERSIONS -------------------------------------------------------------------------------

    cdef int64_t price_to_ticks_c(self, str value, RoundingMode rounding) except? -1:
        cdef int64_t ticks = 0
        cdef int status = parse_str_status(
            value, self.price_precision, self.tick_size_raw, rounding, &ticks
        )
        if status != PARSE_OK:
            raise_parse_error(
                status,
                value,
                self.price_precision,
                self.tick_size_raw,
                rounding,
                f"{self.id} price",
                "tick size",
            )
        return ticks

    cdef int64_t size_to_lots_c(self, str value, RoundingMode rounding) except? -1:
        cdef int64_t lots = 0
        cdef int status = parse_str_status(
            value, self.size_precision, self.lot_size_raw, rounding, &lots
        )
        if status != PARSE_OK:
            raise_parse_error(
                status,
                value,
                self.size_precision,
                self.lot_size_raw,
                rounding,
                f"{self.id} size",
                "lot size",
            )
        return lots

    cdef double notional_f(self, int64_t price_ticks, int64_t size_lots) noexcept nogil:
        return <double>price_ticks * <double>size_lots * self._notional_factor_f

    cdef int min_notional_ok_c(self, int64_t price_ticks, int64_t size_lots) except -1:
        cdef double notional
        if self.min_notional_f == 0.0:
            return 1
        notional = fabs(self.notional_f(price_ticks, size_lots))
        if notional > self.min_notional_f * (1.0 + _NOTIONAL_BAND):
            return 1
        if notional < self.min_notional_f * (1.0 - _NOTIONAL_BAND):
            return 0
        return abs(self._notional_exact(price_ticks, size_lots)) >= self.min_notional

    cdef object _notional_exact(self, int64_t price_ticks, int64_t size_lots):
        cdef object price = Decimal(
            format_fixed(checked_mul(price_ticks, self.tick_size_raw), self.price_precision)
        )
        cdef object size = Decimal(
            format_fixed(checked_mul(size_lots, self.lot_size_raw), self.size_precision)
        )
        return _EXACT.multiply(_EXACT.multiply(price, size), self.multiplier)

    def price_to_ticks(self, value, RoundingMode rounding=RoundingMode.EXACT):
        """Convert a price to whole ticks, exactly unless a rounding mode is given.

        Parameters
        ----------
        value : str, Decimal, int or Price
            E.g. ``"27123.40"``; floats are refused.
        rounding : RoundingMode
            ``EXACT`` (default) raises when ``value`` is not a multiple of ``tick_size``;
            ``DOWN``/``UP`` round toward/away from zero, ``HALF_EVEN`` to the nearest tick.

        Returns
        -------
        int
            Price in ticks: ``value == ticks * tick_size``.

        Raises
        ------
        FixedPointError
            If ``value`` is not a decimal.
        PrecisionError
            If ``value`` is not a multiple of ``tick_size`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If ``value`` at ``price_precision`` places does not fit an int64 mantissa.
        """
        if type(value) is str:
            return self.price_to_ticks_c(<str>value, rounding)
        return self.price_to_ticks_c(_edge_text(value, Price, f"{self.id} price"), rounding)

    def size_to_lots(self, value, RoundingMode rounding=RoundingMode.EXACT):
        """Convert a size to whole lots (signed), exactly unless a rounding mode is given.

        Parameters
        ----------
        value : str, Decimal, int or Quantity
            E.g. ``"0.00100000"``; floats are refused. A negative size gives negative lots.
        rounding : RoundingMode
            ``EXACT`` (default) raises when ``value`` is not a multiple of ``lot_size``;
            ``DOWN``/``UP`` round toward/away from zero, ``HALF_EVEN`` to the nearest lot.

        Returns
        -------
        int
            Size in lots: ``value == lots * lot_size``.

        Raises
        ------
        FixedPointError
            If ``value`` is not a decimal.
        PrecisionError
            If ``value`` is not a multiple of ``lot_size`` and ``rounding`` is ``EXACT``.
        FixedPointOverflowError
            If ``value`` at ``size_precision`` places does not fit an int64 mantissa.
        """
        if type(value) is str:
            return self.size_to_lots_c(<str>value, rounding)
        return self.size_to_lots_c(_edge_text(value, Quantity, f"{self.id} size"), rounding)

    def ticks_to_price(self, int64_t price_ticks):
        """Return the exact price of ``price_ticks``.

        Parameters
        ----------
        price_ticks : int
            Price in ticks.

        Returns
        -------
        Decimal
            ``price_ticks * tick_size`` at ``price_precision`` places.

        Raises
        ------
        FixedPointOverflowError
            If the price mantissa does not fit in int64.
        """
        return Decimal(
            format_fixed(checked_mul(price_ticks, self.tick_size_raw), self.price_precision)
        )

    def lots_to_size(self, int64_t size_lots):
        """Return the exact size of ``size_lots``.

        Parameters
        ----------
        size_lots : int
            Size in lots.

        Returns
        -------
        Decimal
            ``size_lots * lot_size`` at ``size_precision`` places.

        Raises
        ------
        FixedPointOverflowError
            If the size mantissa does not fit in int64.
        """
        return Decimal(
            format_fixed(checked_mul(size_lots, self.lot_size_raw), self.size_precision)
        )

    def make_price(self, int64_t price_ticks):
        """Return ``price_ticks`` as a ``Price`` at ``price_precision``.

        Parameters
        ----------
        price_ticks : int
            Price in ticks.

        Returns
        -------
        Price

        Raises
        ------
        FixedPointOverflowError
            If the price mantissa does not fit in int64.
        """
        return Price.from_raw_c(checked_mul(price_ticks, self.tick_size_raw), self.price_precision)

    def make_quantity(self, int64_t size_lots):
        """Return ``size_lots`` as a ``Quantity`` at ``size_precision``.

        Parameters
        ----------
        size_lots : int
            Size in lots, >= 0.

        Returns
        -------
        Quantity

        Raises
        ------
        FixedPointError
            If ``size_lots`` is negative.
        FixedPointOverflowError
            If the size mantissa does not fit in int64.
        """
        if size_lots < 0:
            raise FixedPointError(
                f"{self.id} size_lots: {size_lots} is negative; a Quantity is never negative"
            )
        return Quantity.from_raw_c(checked_mul(size_lots, self.lot_size_raw), self.size_precision)

    def notional(self, int64_t price_ticks, int64_t size_lots):
        """Return the exact notional ``price * size * multiplier`` in the quote asset.

        Parameters
        ----------
        price_ticks : int
            Price in ticks.
        size_lots : int
            Size in lots (signed).

        Returns
        -------
        Decimal

        Raises
        ------
        FixedPointOverflowError
            If the price or size mantissa does not fit in int64.
        """
        return self._notional_exact(price_ticks, size_lots)

    def min_notional_ok(self, int64_t price_ticks, int64_t size_lots):
        """Tell whether an order's notional reaches ``min_notional`` (exact at the boundary).

        Parameters
        ----------
        price_ticks : int
            Price in ticks.
        size_lots : int
            Size in lots; its sign is ignored.

        Returns
        -------
        bool
        """
        return self.min_notional_ok_c(price_ticks, size_lots) == 1

    def fee(self, int64_t price_ticks, int64_t size_lots, bint is_maker):
        """Return the exact fee of a fill: notional times the maker or taker rate.

        Parameters
        ----------
        price_ticks : int
            Fill price in ticks.
        size_lots : int
            Fill size in lots.
        is_maker : bool
            True for a maker (resting) fill, False for a taker fill.

        Returns
        -------
        Decimal
            Fee in the quote asset; negative is a rebate paid to us.

        Raises
        ------
        FixedPointOverflowError
            If the price or size mantissa does not fit in int64.
        """
        return _EXACT.multiply(
            self._notional_exact(price_ticks, size_lots),
            self.maker_fee if is_maker else self.taker_fee,
        )

    # -- SERIALIZATION -----------------------------------------------------------------------------

    @staticmethod
    def from_dict(dict data not None):
        """Build an instrument from a catalog or config mapping (decimal values as strings).

        Parameters
        ----------
        data : dict
            Keys ``id`` (``"BTCUSDT.BINANCE"``), ``kind`` (``"SPOT"``), ``base``, ``quote``,
            ``tick_size``, ``lot_size`` and optionally ``settle``, ``min_quantity``,
            ``min_notional``, ``maker_fee``, ``taker_fee``, ``multiplier``, ``expiry_ns``.

        Returns
        -------
        Instrument

        Raises
        ------
        ConfigError
            If a key is missing or unknown, or a value is invalid; the message names it.
        """
        owner = f"instrument {data.get('id', '?')}"
        for key in data:
            if key not in _REQUIRED_FIELDS and key not in _OPTIONAL_FIELDS:
                raise ConfigError(f"{owner}: unknown field {key!r}")
        for key in _REQUIRED_FIELDS:
            if key not in data:
                raise ConfigError(f"{owner}: {key}: missing")
        try:
            instrument_id = InstrumentId.from_str(data["id"])
            kind = data["kind"]
            if isinstance(kind, str):
                kind = parse_enum(InstrumentKindEnum, kind, "kind")
        except (HftError, TypeError) as exc:
            raise ConfigError(f"{owner}: {exc}") from exc
        options = {key: data[key] for key in _OPTIONAL_FIELDS if key in data}
        return Instrument(
            instrument_id,
            kind,
            data["base"],
            data["quote"],
            data["tick_size"],
            data["lot_size"],
            **options,
        )

    def to_dict(self):
        """Return the mapping ``from_dict`` reads back: decimals as plain strings.

        Returns
        -------
        dict
        """
        return {
            "id": self.id.value,
            "kind": InstrumentKindEnum(self.kind).name,
            "base": self.base,
            "quote": self.quote,
            "settle": self.settle,
            "tick_size": format(self.tick_size, "f"),
            "lot_size": format(self.lot_size, "f"),
            "min_quantity": format(self.min_quantity, "f"),
            "min_notional": format(self.min_notional, "f"),
            "maker_fee": format(self.maker_fee, "f"),
            "taker_fee": format(self.taker_fee, "f"),
            "multiplier": format(self.multiplier, "f"),
            "expiry_ns": self.expiry_ns,
        }

    cdef tuple _fields(self):
        return (
            self.id,
            self.kind,
            self.base,
            self.quote,
            self.settle,
            self.tick_size,
            self.lot_size,
            self.min_quantity,
            self.min_notional,
            self.maker_fee,
            self.taker_fee,
            self.multiplier,
            self.expiry_ns,
        )

    def __eq__(self, other):
        if not isinstance(other, Instrument):
            return NotImplemented
        return self._fields() == (<Instrument>other)._fields()

    def __hash__(self):
        return hash(self.id)

    def __repr__(self):
        return (
            f"Instrument('{self.id}', kind={InstrumentKindEnum(self.kind).name}, "
            f"tick_size={self.tick_size}, "
            f"lot_size={self.lot_size})"
        )

    def __reduce__(self):
        return Instrument.from_dict, (self.to_dict(),)


cdef str _edge_text(object value, type fixed_type, str field):
    # The exact decimal text of a Decimal, int or fixed-point value; floats are refused.
    if isinstance(value, (Decimal, int, fixed_type)) and not isinstance(value, bool):
        return str(value)
    raise FixedPointError(
        f"{field}: expected a decimal string, Decimal, int or {fixed_type.__name__}, "
        f"got {value!r} ({type(value).__name__})"
    )


cdef object _decimal_field(str owner, str field, object value):
    cdef object number
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
    else:
        number = None
    if number is None or not number.is_finite():
        raise ConfigError(
            f"{owner}: {field}: expected a decimal string such as '0.01', got {value!r}"
        )
    return number


cdef int _step_field(
    str owner, str field, object value, int64_t* raw_out, int* precision_out
) except -1:
    # A positive increment as (mantissa, places) with trailing zeros dropped: 0.0100 -> (1, 2).
    cdef int64_t raw
    cdef int precision
    if value <= 0:
        raise ConfigError(f"{owner}: {field}: expected > 0, got '{value}'")
    try:
        parse_value(value, -1, RoundingMode.EXACT, field, &raw, &precision)
    except FixedPointError as exc:
        raise ConfigError(
            f"{owner}: {field}: expected at most {FIXED_MAX_PRECISION} decimal places and "
            f"a mantissa within int64, got '{value}'"
        ) from exc
    while precision > 0 and raw % 10 == 0:
        raw //= 10
        precision -= 1
    raw_out[0] = raw
    precision_out[0] = precision
    return 0


cdef str _asset_field(str owner, str field, object value):
    if not isinstance(value, str) or not value or any(ch.isspace() for ch in value):
        raise ConfigError(f"{owner}: {field}: expected an asset code such as 'USDT', got {value!r}")
    return value
