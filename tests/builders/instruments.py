"""Builders of instruments for tests: ``make_instrument``, ``make_perpetual``, ``make_future``.

Defaults follow the venues' published filters: Binance spot BTCUSDT (tick 0.01, lot 0.00001,
min notional 5 USDT, 10 bp fees), a USDT-margined perpetual (tick 0.1, lot 0.001, 2/5 bp) and a
quarterly future. Base and quote assets are read from the symbol unless given.
"""

import re

from hftcore.model.enums import InstrumentKind
from hftcore.model.identifiers import InstrumentId
from hftcore.model.instrument import Instrument

QUOTE_ASSETS = ("FDUSD", "USDT", "USDC", "BUSD", "USD", "EUR", "BTC", "ETH", "BNB")
"""Quote assets recognised at the end of a symbol such as ``ETHBTC``, longest first."""

FUTURE_EXPIRY_NS = 1_711_699_200_000_000_000
"""Default expiry of `make_future`: 2024-03-29T08:00:00Z, UNIX ns."""


def split_symbol(symbol: str) -> tuple[str, str]:
    """Return the ``(base, quote)`` assets of a venue symbol.

    Parameters
    ----------
    symbol : str
        ``"BTCUSDT"``, ``"ETHBTC"``, ``"BTC-USDT"``, ``"BTC-USDT-SWAP"``, ``"BTCUSDT_240329"``...

    Returns
    -------
    tuple of (str, str)

    Raises
    ------
    ValueError
        If no known quote asset can be found; pass ``base`` and ``quote`` explicitly then.
    """
    tokens = re.split(r"[-_]", symbol)
    if len(tokens) >= 2 and tokens[1] in QUOTE_ASSETS:
        return tokens[0], tokens[1]
    head = tokens[0]
    for quote in QUOTE_ASSETS:
        if head.endswith(quote) and len(head) > len(quote):
            return head[: -len(quote)], quote
    raise ValueError(f"symbol: cannot split {symbol!r} into base and quote; pass base and quote")


def make_instrument(
    symbol: str = "BTCUSDT",
    venue: str = "BINANCE",
    kind: InstrumentKind = InstrumentKind.SPOT,
    *,
    base: str | None = None,
    quote: str | None = None,
    settle: str | None = None,
    tick_size: str = "0.01",
    lot_size: str = "0.00001",
    min_quantity: str = "0.00001",
    min_notional: str = "5",
    maker_fee: str = "0.001",
    taker_fee: str = "0.001",
    multiplier: str = "1",
    expiry_ns: int | None = None,
) -> Instrument:
    """Return an instrument; the defaults are Binance spot BTCUSDT.

    Parameters
    ----------
    symbol, venue : str
        The instrument id is ``SYMBOL.VENUE``.
    kind : InstrumentKind
        SPOT, PERPETUAL or FUTURE.
    base, quote : str, optional
        Assets; read from ``symbol`` by `split_symbol` when not given.
    settle : str, optional
        Settlement asset; the quote asset when not given.
    tick_size, lot_size, min_quantity, min_notional, maker_fee, taker_fee, multiplier : str
        Decimal strings, as in a venue's exchange info.
    expiry_ns : int, optional
        UNIX ns expiry; `FUTURE_EXPIRY_NS` for a FUTURE and 0 otherwise when not given.

    Returns
    -------
    Instrument
    """
    if base is None or quote is None:
        parsed_base, parsed_quote = split_symbol(symbol)
        base = parsed_base if base is None else base
        quote = parsed_quote if quote is None else quote
    if expiry_ns is None:
        expiry_ns = FUTURE_EXPIRY_NS if kind == InstrumentKind.FUTURE else 0
    return Instrument(
        InstrumentId.get(symbol, venue),
        kind,
        base,
        quote,
        tick_size,
        lot_size,
        settle=settle,
        min_quantity=min_quantity,
        min_notional=min_notional,
        maker_fee=maker_fee,
        taker_fee=taker_fee,
        multiplier=multiplier,
        expiry_ns=expiry_ns,
    )


def make_perpetual(
    symbol: str = "BTCUSDT-PERP",
    venue: str = "BINANCE",
    *,
    tick_size: str = "0.1",
    lot_size: str = "0.001",
    min_quantity: str = "0.001",
    min_notional: str = "100",
    maker_fee: str = "0.0002",
    taker_fee: str = "0.0005",
    **overrides: object,
) -> Instrument:
    """Return a USDT-margined perpetual; other `make_instrument` arguments pass through.

    Parameters
    ----------
    symbol, venue : str
        The instrument id is ``SYMBOL.VENUE``.
    tick_size, lot_size, min_quantity, min_notional, maker_fee, taker_fee : str
        Decimal strings.
    **overrides
        Further keyword arguments of `make_instrument`.

    Returns
    -------
    Instrument
    """
    return make_instrument(
        symbol,
        venue,
        InstrumentKind.PERPETUAL,
        tick_size=tick_size,
        lot_size=lot_size,
        min_quantity=min_quantity,
        min_notional=min_notional,
        maker_fee=maker_fee,
        taker_fee=taker_fee,
        **overrides,
    )


def make_future(
    symbol: str = "BTCUSDT_240329",
    venue: str = "BINANCE",
    *,
    expiry_ns: int = FUTURE_EXPIRY_NS,
    tick_size: str = "0.1",
    lot_size: str = "0.001",
    min_quantity: str = "0.001",
    min_notional: str = "5",
    maker_fee: str = "0.0002",
    taker_fee: str = "0.0005",
    **overrides: object,
) -> Instrument:
    """Return a dated USDT-margined future; other `make_instrument` arguments pass through.

    Parameters
    ----------
    symbol, venue : str
        The instrument id is ``SYMBOL.VENUE``.
    expiry_ns : int
        UNIX ns expiry.
    tick_size, lot_size, min_quantity, min_notional, maker_fee, taker_fee : str
        Decimal strings.
    **overrides
        Further keyword arguments of `make_instrument`.

    Returns
    -------
    Instrument
    """
    return make_instrument(
        symbol,
        venue,
        InstrumentKind.FUTURE,
        expiry_ns=expiry_ns,
        tick_size=tick_size,
        lot_size=lot_size,
        min_quantity=min_quantity,
        min_notional=min_notional,
        maker_fee=maker_fee,
        taker_fee=taker_fee,
        **overrides,
    )
