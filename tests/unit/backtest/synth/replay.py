"""A plain-dict L2 book for checking generated book rows (independent of hftcore.book)."""

from dataclasses import dataclass, field

CLEAR = 4
BID = 1


@dataclass
class DictBook:
    """Price-level book applying catalog book rows one at a time."""

    bids: dict = field(default_factory=dict)
    asks: dict = field(default_factory=dict)

    def apply(self, side: int, price_ticks: int, size_lots: int, action: int) -> None:
        """Apply one catalog book row."""
        if action == CLEAR:
            self.bids.clear()
            self.asks.clear()
            return
        levels = self.bids if side == BID else self.asks
        if size_lots == 0:
            levels.pop(price_ticks, None)
        else:
            levels[price_ticks] = size_lots

    def best_bid(self) -> int | None:
        """Highest bid price, ticks."""
        return max(self.bids) if self.bids else None

    def best_ask(self) -> int | None:
        """Lowest ask price, ticks."""
        return min(self.asks) if self.asks else None

    def is_crossed(self) -> bool:
        """Whether the best bid is at or above the best ask."""
        bid, ask = self.best_bid(), self.best_ask()
        return bid is not None and ask is not None and bid >= ask
