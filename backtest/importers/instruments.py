"""Instrument definitions for imported data: known table, command-line sizes, or inference.

An import needs the tick and lot size to store prices and sizes as exact integers. They come,
in this order of precedence, from ``--tick-size``/``--lot-size``, from ``KNOWN_INSTRUMENTS``
(values taken from the venues' exchange-info responses in ``shared/data``), or are inferred
from the data: the finest decimal of any price (size) in the file gives a tick (lot) of
``10**-decimals``. An inferred size represents every value of the file exactly but may be finer
than the venue's real tick (Deribit's 0.5 tick infers as 0.1 when prices end in ``.5``).
"""

from decimal import Decimal, InvalidOperation

from hftcore.errors import ConfigError

KNOWN_INSTRUMENTS: dict[str, dict] = {
    # Binance spot: GET /api/v3/exchangeInfo (shared/data/binance/cryptofeed_BINANCE.0.txt).
    "BTCUSDT.BINANCE": {
        "kind": "SPOT",
        "base": "BTC",
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": "0.01",
        "lot_size": "0.00001",
        "min_quantity": "0.00001",
        "min_notional": "10",
        "maker_fee": "0.001",
        "taker_fee": "0.001",
    },
    "ETHUSDT.BINANCE": {
        "kind": "SPOT",
        "base": "ETH",
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": "0.01",
        "lot_size": "0.0001",
        "min_quantity": "0.0001",
        "min_notional": "10",
        "maker_fee": "0.001",
        "taker_fee": "0.001",
    },
    "ETHBTC.BINANCE": {
        "kind": "SPOT",
        "base": "ETH",
        "quote": "BTC",
        "settle": "BTC",
        "tick_size": "0.000001",
        "lot_size": "0.0001",
        "min_quantity": "0.0001",
        "min_notional": "0.0001",
        "maker_fee": "0.001",
        "taker_fee": "0.001",
    },
    # OKX spot: GET /api/v5/public/instruments?instType=SPOT (shared/data/okx/cryptofeed_OKX.0.txt).
    "BTC-USDT.OKX": {
        "kind": "SPOT",
        "base": "BTC",
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": "0.1",
        "lot_size": "0.00000001",
        "min_quantity": "0.00001",
        "min_notional": "0",
        "maker_fee": "0.0008",
        "taker_fee": "0.001",
    },
    "ETH-USDT.OKX": {
        "kind": "SPOT",
        "base": "ETH",
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": "0.01",
        "lot_size": "0.000001",
        "min_quantity": "0.001",
        "min_notional": "0",
        "maker_fee": "0.0008",
        "taker_fee": "0.001",
    },
    "ETH-BTC.OKX": {
        "kind": "SPOT",
        "base": "ETH",
        "quote": "BTC",
        "settle": "BTC",
        "tick_size": "0.00001",
        "lot_size": "0.000001",
        "min_quantity": "0.001",
        "min_notional": "0",
        "maker_fee": "0.0008",
        "taker_fee": "0.001",
    },
}
"""Instruments whose sizes and fees need no command-line flags, by ``SYMBOL.VENUE`` id."""

_QUOTE_ASSETS = ("USDT", "USDC", "FDUSD", "BUSD", "TUSD", "USD", "EUR", "BTC", "ETH", "BNB")
_KINDS = ("SPOT", "PERPETUAL", "FUTURE")


def instrument_id(venue: str, symbol: str) -> str:
    """Return the catalog id of a venue symbol.

    Parameters
    ----------
    venue : str
        Venue name (any case), e.g. ``"binance"``.
    symbol : str
        Venue symbol, e.g. ``"BTCUSDT"``.

    Returns
    -------
    str
        ``"SYMBOL.VENUE"`` with the venue upper-cased, e.g. ``"BTCUSDT.BINANCE"``.
    """
    return f"{symbol}.{venue.upper()}"


def split_symbol(symbol: str) -> tuple[str, str]:
    """Guess the base and quote assets of a venue symbol.

    Parameters
    ----------
    symbol : str
        ``"BTC-USDT"``, ``"BTC-USDT-SWAP"``, ``"BTCUSDT"``, ``"BTC/USDT"``...

    Returns
    -------
    tuple of str
        ``(base, quote)``; for an unrecognized symbol, ``(symbol, "")``.
    """
    for separator in ("-", "/", "_"):
        if separator in symbol:
            base, quote = symbol.split(separator)[:2]
            return base, quote
    for quote in _QUOTE_ASSETS:
        if symbol.endswith(quote) and len(symbol) > len(quote):
            return symbol[: -len(quote)], quote
    return symbol, ""


def decimal_arg(value: str | Decimal | None, field: str) -> Decimal | None:
    """Parse a positive decimal given on the command line or in code.

    Parameters
    ----------
    value : str, Decimal or None
        The text, e.g. ``"0.01"``.
    field : str
        Name of the option, for the error.

    Returns
    -------
    Decimal or None
        The value, or None when ``value`` is None.

    Raises
    ------
    ConfigError
        If the value is not a positive finite decimal.
    """
    if value is None:
        return None
    try:
        parsed = Decimal(str(value))
    except InvalidOperation as exc:
        raise ConfigError(f"{field}: expected a positive decimal, got {value!r}") from exc
    if not parsed.is_finite() or parsed <= 0:
        raise ConfigError(f"{field}: expected a positive decimal, got {value!r}")
    return parsed


def tick_from_decimals(decimals: int) -> Decimal:
    """Return ``10**-decimals`` as an exact Decimal (``2`` -> ``Decimal("0.01")``).

    Parameters
    ----------
    decimals : int
        Number of decimals, >= 0.

    Returns
    -------
    Decimal
        The unit.
    """
    return Decimal(1).scaleb(-decimals)


def _text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def resolve_instrument(
    venue: str,
    symbol: str,
    *,
    tick_size: Decimal | None,
    lot_size: Decimal | None,
    kind: str | None = None,
) -> tuple[dict, bool]:
    """Build the instrument dict of an import, from flags or the known table.

    Parameters
    ----------
    venue : str
        Venue name, e.g. ``"BINANCE"``.
    symbol : str
        Venue symbol.
    tick_size, lot_size : Decimal or None
        Sizes given on the command line; they override the known table.
    kind : str or None
        ``"SPOT"``, ``"PERPETUAL"`` or ``"FUTURE"``; None keeps the table's or ``"SPOT"``.

    Returns
    -------
    tuple
        ``(instrument, complete)``: the dict (``Instrument.to_dict()`` layout) and whether it
        has both sizes; when not, the caller infers the missing ones and calls
        ``with_sizes``.

    Raises
    ------
    ConfigError
        If ``kind`` is not a known instrument kind.
    """
    identifier = instrument_id(venue, symbol)
    known = KNOWN_INSTRUMENTS.get(identifier)
    if known is None:
        base, quote = split_symbol(symbol)
        known = {
            "kind": "SPOT",
            "base": base,
            "quote": quote,
            "settle": quote,
            "tick_size": None,
            "lot_size": None,
            "min_quantity": None,
            "min_notional": "0",
            "maker_fee": "0",
            "taker_fee": "0",
        }
    instrument = {"id": identifier, **known, "multiplier": "1", "expiry_ns": 0}
    if kind is not None:
        if kind.upper() not in _KINDS:
            raise ConfigError(f"instrument kind: expected one of {_KINDS}, got {kind!r}")
        instrument["kind"] = kind.upper()
    if tick_size is not None:
        instrument["tick_size"] = _text(tick_size)
    if lot_size is not None:
        instrument["lot_size"] = _text(lot_size)
        instrument["min_quantity"] = _text(lot_size)
    complete = instrument["tick_size"] is not None and instrument["lot_size"] is not None
    return instrument, complete


def with_sizes(instrument: dict, tick_size: Decimal, lot_size: Decimal) -> dict:
    """Fill in inferred tick and lot sizes where the instrument has none.

    Parameters
    ----------
    instrument : dict
        From ``resolve_instrument``.
    tick_size, lot_size : Decimal
        Inferred sizes.

    Returns
    -------
    dict
        A copy with every size set.
    """
    filled = dict(instrument)
    if filled["tick_size"] is None:
        filled["tick_size"] = _text(tick_size)
    if filled["lot_size"] is None:
        filled["lot_size"] = _text(lot_size)
    if filled["min_quantity"] is None:
        filled["min_quantity"] = filled["lot_size"]
    return filled
