"""A real trading node with a portfolio, a risk engine, one strategy and recording venues.

Orders go strategy -> ExecutionEngine -> RiskEngine -> RecordingClient exactly as in
production; venue reports are fed back through ``ExecutionEngine.process``. Instruments (from
``tests.builders.instruments``):

* ``SPOT`` BTCUSDT.BINANCE: tick 0.01, lot 0.00001 (1 BTC = 100_000 lots), min notional 5;
* ``PERP`` BTCUSDT-PERP.BINANCE: tick 0.1, lot 0.001 (1 BTC = 1_000 lots), min notional 100;
* ``OKX_SPOT`` BTC-USDT.OKX: tick 0.1, lot 0.00000001 (1 BTC = 100_000_000 lots);
* ``ETH`` ETHUSDT.BINANCE: tick 0.01, lot 0.0001, min quantity 0.01 (100 lots), min notional 10.
"""

from __future__ import annotations

from decimal import Decimal

from hftcore.clock import TestClock
from hftcore.model.enums import Environment, Side
from hftcore.model.identifiers import InstrumentId, Venue
from hftcore.model.money import Money
from hftcore.model.order_events import OrderDenied
from hftcore.node.interfaces import ExecutionClient
from hftcore.node.node import TradingNode
from hftcore.portfolio.config import InitialBalance, PortfolioConfig
from hftcore.portfolio.ledger import Portfolio
from hftcore.risk.config import RiskConfig
from hftcore.risk.engine import RiskEngine
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.events import (
    make_book_deltas,
    make_order_accepted,
    make_order_canceled,
    make_order_filled,
    make_order_rejected,
    make_order_updated,
    make_trade,
)
from tests.builders.instruments import make_instrument, make_perpetual

SPOT = InstrumentId.from_str("BTCUSDT.BINANCE")
PERP = InstrumentId.from_str("BTCUSDT-PERP.BINANCE")
OKX_SPOT = InstrumentId.from_str("BTC-USDT.OKX")
ETH = InstrumentId.from_str("ETHUSDT.BINANCE")
START_NS = 1_700_000_000_000_000_000
"""Clock time the harness starts at (2023-11-14T22:13:20Z)."""


def only(**checks) -> RiskConfig:
    """Return a RiskConfig running only the given checks (defaults switched off).

    Parameters
    ----------
    **checks
        ``max_position=MaxPositionConfig(...)`` etc.

    Returns
    -------
    RiskConfig
    """
    defaults = {"instrument_rules": None, "price_band": None, "self_trade": None}
    defaults.update(checks)
    return RiskConfig(**defaults)


def balances(*entries: tuple[str, str, str]) -> PortfolioConfig:
    """Return a PortfolioConfig with starting balances ``(venue, asset, amount)``.

    Parameters
    ----------
    *entries : tuple of (str, str, str)

    Returns
    -------
    PortfolioConfig
    """
    return PortfolioConfig(
        balances=[
            InitialBalance(venue=venue, asset=asset, amount=Decimal(amount))
            for venue, asset, amount in entries
        ]
    )


class RecordingClient(ExecutionClient):
    """Venue double: records what the OMS sends it."""

    def __init__(self, venue: str = "BINANCE") -> None:
        self.venue = Venue(venue)
        self.submitted = []
        self.canceled = []
        self.modified = []

    def submit_order(self, order) -> None:
        self.submitted.append(order)

    def cancel_order(self, order) -> None:
        self.canceled.append(order)

    def modify_order(self, order, price_ticks, quantity_lots) -> None:
        self.modified.append((order, price_ticks, quantity_lots))


class Harness:
    """A backtest node wired like production, with helpers to drive it.

    Parameters
    ----------
    risk_config : RiskConfig, optional
    portfolio_config : PortfolioConfig, optional
    with_portfolio : bool
        False builds the node without a portfolio.
    """

    def __init__(
        self,
        risk_config: RiskConfig | None = None,
        portfolio_config: PortfolioConfig | None = None,
        with_portfolio: bool = True,
    ) -> None:
        self.clock = TestClock(START_NS)
        self.node = TradingNode(Environment.BACKTEST, clock=self.clock)
        for instrument in (
            make_instrument(),
            make_perpetual(),
            make_instrument(
                "BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001", min_quantity="0"
            ),
            make_instrument("ETHUSDT", lot_size="0.0001", min_quantity="0.01", min_notional="10"),
        ):
            self.node.add_instrument(instrument)
        self.clients = {venue: RecordingClient(venue) for venue in ("BINANCE", "OKX")}
        for client in self.clients.values():
            self.node.add_execution_client(client)
        self.portfolio = None
        if with_portfolio:
            self.portfolio = Portfolio(portfolio_config)
            self.portfolio.register(self.node)
            self.node.portfolio = self.portfolio
        self.risk = RiskEngine(risk_config)
        self.risk.register(self.node)
        self.node.set_risk_engine(self.risk)
        self.events = []
        self.node.bus.subscribe("order.*", self.events.append)
        self.strategy = self.add_strategy("S1")
        self._trade_number = 0
        self._levels = {}

    def add_strategy(self, strategy_id: str) -> Strategy:
        """Add and return a plain strategy with id ``strategy_id``."""
        strategy = Strategy(StrategyConfig(strategy_id=strategy_id))
        self.node.add_strategy(strategy)
        return strategy

    # -- MARKET ---------------------------------------------------------------------------------

    def book(self, bid_ticks: int, ask_ticks: int, instrument_id: InstrumentId = SPOT) -> None:
        """Make the instrument's book one bid and one ask level (the previous ones removed)."""
        levels = [(Side.BUY, bid_ticks, 1_000_000), (Side.SELL, ask_ticks, 1_000_000)]
        previous = self._levels.get(instrument_id)
        if previous is not None:
            levels = [(Side.BUY, previous[0], 0), (Side.SELL, previous[1], 0), *levels]
        self._levels[instrument_id] = (bid_ticks, ask_ticks)
        self.node.data_engine.process(make_book_deltas(levels, instrument_id))

    def trade(self, price_ticks: int, instrument_id: InstrumentId = SPOT) -> None:
        """Publish a public trade at ``price_ticks``."""
        self._trade_number += 1
        self.node.data_engine.process(
            make_trade(instrument_id, price_ticks, 1, trade_id=f"T-{self._trade_number}")
        )

    # -- ORDERS ---------------------------------------------------------------------------------

    def limit(self, side, quantity_lots, price_ticks, instrument_id=SPOT, strategy=None, **kwargs):
        """Submit a limit order through the strategy and return it."""
        strategy = self.strategy if strategy is None else strategy
        return strategy.limit(instrument_id, side, quantity_lots, price_ticks, **kwargs)

    def market(self, side, quantity_lots, instrument_id=SPOT, reduce_only=False):
        """Submit a market order through the strategy and return it."""
        return self.strategy.market(instrument_id, side, quantity_lots, reduce_only)

    def accept(self, order) -> None:
        """Report the venue's acceptance of ``order``."""
        self.node.exec_engine.process(
            make_order_accepted(
                f"V-{order.client_order_id.value}",
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                ts_event=self.clock.timestamp_ns(),
            )
        )

    def fill(self, order, quantity_lots, price_ticks, fee="0", fee_currency="USDT") -> None:
        """Report a fill of ``order`` (accepting it first if needed)."""
        self._trade_number += 1
        self.node.exec_engine.process(
            make_order_filled(
                price_ticks,
                quantity_lots,
                order.side,
                fee=Money.from_str(fee, fee_currency),
                trade_id=f"F-{self._trade_number}",
                venue_order_id=f"V-{order.client_order_id.value}",
                strategy_id=order.strategy_id,
                instrument_id=order.instrument_id,
                client_order_id=order.client_order_id,
                ts_event=self.clock.timestamp_ns(),
            )
        )

    def modify(self, order, price_ticks: int, quantity_lots: int) -> bool:
        """Ask the execution engine to change ``order``; return whether it was approved."""
        return self.node.exec_engine.modify_order(order, price_ticks, quantity_lots)

    def update(self, order, price_ticks: int, quantity_lots: int) -> None:
        """Report the venue's ``OrderUpdated``: ``order`` now has these values at the venue.

        With the order's current values it is the venue's refusal of a modify or cancel.
        """
        self.node.exec_engine.process(
            make_order_updated(
                price_ticks,
                quantity_lots,
                venue_order_id=f"V-{order.client_order_id.value}",
                strategy_id=order.strategy_id,
                instrument_id=order.instrument_id,
                client_order_id=order.client_order_id,
                ts_event=self.clock.timestamp_ns(),
            )
        )

    def confirm_cancel(self, order) -> None:
        """Report the venue's cancellation of ``order``."""
        self.node.exec_engine.process(
            make_order_canceled(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                ts_event=self.clock.timestamp_ns(),
            )
        )

    def reject(self, order) -> None:
        """Report the venue's rejection of ``order``."""
        self.node.exec_engine.process(
            make_order_rejected(
                "-2010 insufficient margin",
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                ts_event=self.clock.timestamp_ns(),
            )
        )

    def position(self, side, quantity_lots, price_ticks, instrument_id=SPOT) -> None:
        """Open a position by a filled order (market set around the price first)."""
        self.book(price_ticks - 1, price_ticks + 1, instrument_id)
        order = self.limit(side, quantity_lots, price_ticks, instrument_id)
        self.fill(order, quantity_lots, price_ticks)

    def denials(self) -> list[OrderDenied]:
        """Return every OrderDenied published so far."""
        return [event for event in self.events if type(event) is OrderDenied]

    def last_denial(self) -> OrderDenied:
        """Return the last OrderDenied published."""
        return self.denials()[-1]
