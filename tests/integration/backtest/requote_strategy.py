"""A two-sided quoter used by the backtest integration tests and benchmarks.

Every ``interval_ms`` it cancels its orders and quotes ``size`` at the best bid and ask of every
instrument of its config (the ``[strategy]`` table).
"""

from hftcore import Side, Strategy, StrategyConfig


class RequoteConfig(StrategyConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Settings of ``Requoter``: quote size (base units, decimal string) and period."""

    size: str = "0.001"
    interval_ms: int = 100


class Requoter(Strategy):
    """Cancel and requote both sides of every instrument on a timer."""

    config_type = RequoteConfig

    def on_start(self) -> None:
        """Resolve instruments and sizes, start the requote timer."""
        self.ids = [self.instrument(i).id for i in self.config.instruments]
        self.lots = {iid: self.instrument(iid).size_to_lots(self.config.size) for iid in self.ids}
        self.set_timer("requote", self.config.interval_ms * 1_000_000)

    def on_timer(self, event) -> None:
        """Cancel everything, then join the best bid and ask again."""
        self.cancel_all()
        for iid in self.ids:
            book = self.book(iid)
            if book.has_bid and book.has_ask:
                self.limit(iid, Side.BUY, self.lots[iid], book.best_bid_price_ticks)
                self.limit(iid, Side.SELL, self.lots[iid], book.best_ask_price_ticks)
