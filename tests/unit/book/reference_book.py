"""A trivially correct pure-Python L2 book that the property tests compare ``L2Book`` against.

Levels live in two dicts keyed by price in ticks; every query sorts them again. Nothing here is
fast, and nothing here is clever, so its answers can be trusted.
"""

from hftcore.model.enums import Side


class ReferenceBook:
    """Price levels of both sides in plain dicts, ``{price_ticks: size_lots}``."""

    def __init__(self) -> None:
        self.bids: dict[int, int] = {}
        self.asks: dict[int, int] = {}

    def update_level(self, side: Side, price_ticks: int, size_lots: int) -> None:
        """Set one level's size; size 0 removes the level.

        Parameters
        ----------
        side : Side
            BUY for a bid, SELL for an ask.
        price_ticks : int
            Level price in ticks.
        size_lots : int
            New size in lots, 0 to delete.
        """
        levels = self.bids if side == Side.BUY else self.asks
        if size_lots == 0:
            levels.pop(price_ticks, None)
        else:
            levels[price_ticks] = size_lots

    def apply_snapshot(self, bids: list[tuple[int, int]], asks: list[tuple[int, int]]) -> None:
        """Replace the book with ``(price_ticks, size_lots)`` levels; size-0 levels are skipped.

        Parameters
        ----------
        bids, asks : list of tuple of (int, int)
            The levels of each side, in any order.
        """
        self.bids = {price: size for price, size in bids if size > 0}
        self.asks = {price: size for price, size in asks if size > 0}

    def clear(self) -> None:
        """Remove every level."""
        self.bids.clear()
        self.asks.clear()

    def levels(self, side: Side) -> list[tuple[int, int]]:
        """Return ``(price_ticks, size_lots)`` levels of one side, best first.

        Parameters
        ----------
        side : Side
            BUY for bids (highest first), SELL for asks (lowest first).

        Returns
        -------
        list of tuple of (int, int)
        """
        if side == Side.BUY:
            return sorted(self.bids.items(), reverse=True)
        return sorted(self.asks.items())

    def best(self, side: Side) -> tuple[int, int] | None:
        """Return the best ``(price_ticks, size_lots)`` of one side, or None when it is empty.

        Parameters
        ----------
        side : Side
            BUY for the best bid, SELL for the best ask.

        Returns
        -------
        tuple of (int, int) or None
        """
        levels = self.levels(side)
        return levels[0] if levels else None

    def vwap(self, taker_side: Side, qty_lots: int) -> tuple[float, int | None, int]:
        """Return ``(vwap_ticks, worst_price_ticks, filled_lots)`` of a market order.

        A BUY taker walks the asks, a SELL taker the bids. The average is the exact notional
        divided by the exact fill (Python's correctly rounded ``int / int``).

        Parameters
        ----------
        taker_side : Side
            Side of the aggressing order.
        qty_lots : int
            Quantity wanted, positive.

        Returns
        -------
        tuple of (float, int or None, int)
            NaN, None and 0 when the opposite side is empty.
        """
        book_side = Side.SELL if taker_side == Side.BUY else Side.BUY
        notional = 0
        filled = 0
        worst = None
        for price, size in self.levels(book_side):
            if filled == qty_lots:
                break
            take = min(size, qty_lots - filled)
            notional += price * take
            filled += take
            worst = price
        return (notional / filled if filled else float("nan")), worst, filled
