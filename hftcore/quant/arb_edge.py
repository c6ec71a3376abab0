"""The net edge of a two-leg trade: buy one venue's asks, sell another's bids, after fees.

Prices here are floats in price units (quote currency per base unit) and quantities floats in
base units; the helpers that read books convert from the books' ticks and lots. The round-trip
return of buying at ``buy_price`` with taker fee ``f_b`` and selling at ``sell_price`` with fee
``f_s`` is::

    edge = sell_price * (1 - f_s) / (buy_price * (1 + f_b)) - 1

reported in basis points. With VWAPs of the size actually traded in place of the touch prices,
the edge already includes the slippage of walking each book.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from hftcore.model.enums import Side

BPS = 1e4
"""Basis points per unit of return."""


class TwoLegEdge(NamedTuple):
    """What a two-leg trade of one size would earn, from the VWAP of each book.

    Attributes
    ----------
    buy_lots : int
        Quantity of the buy leg, lots of the buy instrument.
    sell_lots : int
        Quantity of the sell leg, lots of the sell instrument.
    buy_vwap_price : float
        Average price of the buy leg walking the asks, price units.
    sell_vwap_price : float
        Average price of the sell leg walking the bids, price units.
    buy_worst_price_ticks : int
        Deepest ask the buy leg reaches (its IOC limit), ticks of the buy instrument.
    sell_worst_price_ticks : int
        Deepest bid the sell leg reaches (its IOC limit), ticks of the sell instrument.
    gross_edge_bps : float
        ``sell_vwap / buy_vwap - 1`` in basis points, before fees.
    net_edge_bps : float
        Round-trip return after both taker fees, basis points.
    """

    buy_lots: int
    sell_lots: int
    buy_vwap_price: float
    sell_vwap_price: float
    buy_worst_price_ticks: int
    sell_worst_price_ticks: int
    gross_edge_bps: float
    net_edge_bps: float


def net_edge_bps(buy_price: float, sell_price: float, buy_fee: float, sell_fee: float) -> float:
    """Return the round-trip return of buying and selling one unit, after fees, in bps.

    Parameters
    ----------
    buy_price : float
        Price paid per base unit (> 0), price units.
    sell_price : float
        Price received per base unit, price units.
    buy_fee, sell_fee : float
        Taker fee rates of the two legs (``0.001`` = 10 bp).

    Returns
    -------
    float
        ``(sell_price * (1 - sell_fee) / (buy_price * (1 + buy_fee)) - 1) * 1e4``.

    Raises
    ------
    ValueError
        If ``buy_price`` is not positive.
    """
    if not buy_price > 0.0:
        raise ValueError(f"buy_price: expected > 0, got {buy_price!r}")
    return (sell_price * (1.0 - sell_fee) / (buy_price * (1.0 + buy_fee)) - 1.0) * BPS


def profitable_quantity(
    ask_prices: Iterable[float],
    ask_sizes: Iterable[float],
    bid_prices: Iterable[float],
    bid_sizes: Iterable[float],
    buy_fee: float,
    sell_fee: float,
    min_edge_bps: float,
    max_quantity: float,
) -> float:
    """Return how much can be bought on the asks and sold on the bids with every unit earning
    at least ``min_edge_bps`` after fees.

    Walks the two books together, best level first, matching the cheapest remaining ask with
    the richest remaining bid; it stops at the first marginal unit earning less than
    ``min_edge_bps``, or at ``max_quantity``. Because the marginal edge only falls as the walk
    goes deeper, the average (VWAP) edge of the quantity returned is at least ``min_edge_bps``
    too, and no larger quantity has every unit above it.

    Parameters
    ----------
    ask_prices, ask_sizes : iterable of float
        Ask levels of the buy venue, lowest price first: prices (price units) and sizes (base
        units).
    bid_prices, bid_sizes : iterable of float
        Bid levels of the sell venue, highest price first.
    buy_fee, sell_fee : float
        Taker fee rates.
    min_edge_bps : float
        Smallest acceptable marginal return after fees, bps.
    max_quantity : float
        Largest quantity wanted, base units (>= 0).

    Returns
    -------
    float
        Base units, 0.0 when even the first unit earns too little.

    Raises
    ------
    ValueError
        If ``max_quantity`` is negative or not finite.
    """
    if not (math.isfinite(max_quantity) and max_quantity >= 0.0):
        raise ValueError(f"max_quantity: expected a finite number >= 0, got {max_quantity!r}")
    asks = zip(ask_prices, ask_sizes, strict=True)
    bids = zip(bid_prices, bid_sizes, strict=True)
    ask = next(asks, None)
    bid = next(bids, None)
    ask_left = ask[1] if ask else 0.0
    bid_left = bid[1] if bid else 0.0
    quantity = 0.0
    while ask is not None and bid is not None and quantity < max_quantity:
        if net_edge_bps(ask[0], bid[0], buy_fee, sell_fee) < min_edge_bps:
            break
        take = min(ask_left, bid_left, max_quantity - quantity)
        quantity += take
        ask_left -= take
        bid_left -= take
        if ask_left <= 0.0:
            ask = next(asks, None)
            ask_left = ask[1] if ask else 0.0
        if bid_left <= 0.0:
            bid = next(bids, None)
            bid_left = bid[1] if bid else 0.0
    return quantity


def book_levels(book, instrument, side: Side, levels: int) -> tuple[list[float], list[float]]:
    """Return up to ``levels`` levels of one side of ``book`` in price and base units.

    Parameters
    ----------
    book : OrderBook
        The book.
    instrument : Instrument
        Its instrument (tick and lot sizes).
    side : Side
        BUY for bids (highest first), SELL for asks (lowest first).
    levels : int
        Maximum number of levels.

    Returns
    -------
    prices : list of float
        Price units.
    sizes : list of float
        Base units.
    """
    prices_ticks, sizes_lots = book.depth(side, levels)
    return (
        (prices_ticks * instrument.tick_size_f).tolist(),
        (sizes_lots * (instrument.lot_size_f * instrument.multiplier_f)).tolist(),
    )


def two_leg_edge(
    buy_book,
    buy_instrument,
    sell_book,
    sell_instrument,
    buy_lots: int,
    sell_lots: int,
    buy_fee: float | None = None,
    sell_fee: float | None = None,
) -> TwoLegEdge | None:
    """Return the edge of buying ``buy_lots`` on ``buy_book`` and selling ``sell_lots`` on
    ``sell_book`` at their VWAPs, after both taker fees.

    Parameters
    ----------
    buy_book, sell_book : OrderBook
        The books walked: the buy leg takes asks, the sell leg takes bids.
    buy_instrument, sell_instrument : Instrument
        Their instruments (tick size, lot size, taker fee).
    buy_lots, sell_lots : int
        The legs' quantities (> 0), each in its own instrument's lots; normally the same
        amount of the base asset.
    buy_fee, sell_fee : float, optional
        Taker fee rates; each instrument's ``taker_fee`` when None.

    Returns
    -------
    TwoLegEdge or None
        None when either book cannot fill its leg completely.

    Raises
    ------
    ValueError
        If a quantity is not positive.
    """
    buy_vwap_ticks, buy_worst_ticks, buy_filled = buy_book.vwap_ticks(Side.BUY, buy_lots)
    if buy_filled < buy_lots:
        return None
    sell_vwap_ticks, sell_worst_ticks, sell_filled = sell_book.vwap_ticks(Side.SELL, sell_lots)
    if sell_filled < sell_lots:
        return None
    buy_price = buy_vwap_ticks * buy_instrument.tick_size_f
    sell_price = sell_vwap_ticks * sell_instrument.tick_size_f
    return TwoLegEdge(
        buy_lots,
        sell_lots,
        buy_price,
        sell_price,
        buy_worst_ticks,
        sell_worst_ticks,
        (sell_price / buy_price - 1.0) * BPS,
        net_edge_bps(
            buy_price,
            sell_price,
            float(buy_instrument.taker_fee) if buy_fee is None else buy_fee,
            float(sell_instrument.taker_fee) if sell_fee is None else sell_fee,
        ),
    )


def common_lot_size(lot_sizes: Iterable[Decimal]) -> Decimal:
    """Return the smallest size that is a whole number of lots of every lot size given.

    Parameters
    ----------
    lot_sizes : iterable of Decimal
        Positive lot sizes, e.g. ``Decimal("0.00001")`` and ``Decimal("0.00000001")``.

    Returns
    -------
    Decimal
        Their least common multiple, e.g. ``Decimal("0.00001")``.

    Raises
    ------
    ValueError
        If no lot size is given or one is not positive.
    """
    sizes = [Decimal(size) for size in lot_sizes]
    if not sizes:
        raise ValueError("lot_sizes: expected at least one lot size, got none")
    for size in sizes:
        if not size > 0:
            raise ValueError(f"lot_sizes: expected positive decimals, got {size}")
    places = max(-size.as_tuple().exponent for size in sizes)
    scale = Decimal(10) ** places
    multiple = 1
    for size in sizes:
        units = int(size * scale)
        multiple = multiple * units // math.gcd(multiple, units)
    return (Decimal(multiple) / scale).normalize()
