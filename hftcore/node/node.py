"""``TradingNode``: wires clock, bus, cache, engines, clients and strategies for one environment.

Backtest, paper and live nodes are the same class; they differ only in the clock, the data
clients and the execution clients they are given. Every order a strategy sends goes
strategy -> ``ExecutionEngine.submit_order`` -> risk engine -> ``ExecutionClient``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from hftcore.bus import MessageBus, topic_for
from hftcore.cache import Cache
from hftcore.clock import LiveClock, TestClock
from hftcore.errors import ConfigError, HftError
from hftcore.execution.engine import ExecutionEngine
from hftcore.model.enums import Environment, OrderStatus
from hftcore.model.identifiers import ClientOrderId, InstrumentId
from hftcore.model.order_events import OrderFilled
from hftcore.node.data_engine import DataEngine
from hftcore.node.interfaces import DataClient, ExecutionClient, RiskEngine
from hftcore.strategy.strategy import Strategy

log = logging.getLogger(__name__)

# kind -> (strategy hook, DataClient method)
_SUBSCRIPTION_KINDS = {
    "book": ("on_book", "subscribe_book"),
    "quote": ("on_quote", "subscribe_quotes"),
    "trade": ("on_trade", "subscribe_trades"),
}


class TradingNode:
    """One trading process: the components of DESIGN.md section 3, wired together.

    Parameters
    ----------
    environment : Environment
        BACKTEST, PAPER or LIVE; chooses the default clock (``TestClock`` for backtests).
    clock : Clock, optional
        Overrides the default clock.
    risk_engine : RiskEngine, optional
        Checks every order before it reaches an execution client.
    portfolio : Portfolio, optional
        The shadow ledger (``hftcore.portfolio.Portfolio``) strategies read as
        ``self.portfolio``; registered before any strategy so it sees every fill.
    """

    def __init__(
        self,
        environment: Environment,
        clock=None,
        risk_engine: RiskEngine | None = None,
        portfolio=None,
    ) -> None:
        self.environment = Environment(environment)
        if clock is None:
            clock = TestClock() if self.environment == Environment.BACKTEST else LiveClock()
        self.clock = clock
        self.bus = MessageBus(clock)
        self.cache = Cache()
        self.data_engine = DataEngine(self.bus, self.cache)
        self.exec_engine = ExecutionEngine(self.clock, self.bus, self.cache)
        self.portfolio = portfolio
        if portfolio is not None and hasattr(portfolio, "register"):
            portfolio.register(self)
        self.risk_engine = None
        if risk_engine is not None:
            self.set_risk_engine(risk_engine)
        self.strategies: list[Strategy] = []
        self.data_clients: dict[str, DataClient] = {}
        self.exec_clients: dict[str, ExecutionClient] = {}
        self.is_running = False

    # -- COMPONENTS -----------------------------------------------------------------------------

    def add_instrument(self, instrument, l1_only: bool = False) -> None:
        """Add ``instrument`` to the cache and create its book and data topics."""
        self.cache.add_instrument(instrument)
        self.data_engine.add_feed(instrument.id, l1_only)

    def add_instruments(self, instruments: Iterable) -> None:
        """Add every instrument of ``instruments``."""
        for instrument in instruments:
            self.add_instrument(instrument)

    def set_risk_engine(self, risk_engine: RiskEngine) -> None:
        """Put ``risk_engine`` in front of every order from now on.

        An engine with a ``register(node)`` method (``hftcore.risk.RiskEngine``) is given the
        node's clock, cache, bus, execution engine and portfolio first.
        """
        if hasattr(risk_engine, "register"):
            risk_engine.register(self)
        self.risk_engine = risk_engine
        self.exec_engine.set_risk_engine(risk_engine)

    def add_data_client(self, client: DataClient) -> None:
        """Register the market data client of one venue."""
        venue = client.venue.value
        if venue in self.data_clients:
            raise ConfigError(f"data client for venue {venue} added twice")
        self.data_clients[venue] = client

    def add_execution_client(self, client: ExecutionClient) -> None:
        """Register the execution client of one venue."""
        venue = client.venue.value
        if venue in self.exec_clients:
            raise ConfigError(f"execution client for venue {venue} added twice")
        self.exec_clients[venue] = client
        self.exec_engine.register_client(client)

    def add_strategy(self, strategy: Strategy) -> None:
        """Register ``strategy``: it receives its order events and may subscribe to data."""
        if any(s.id == strategy.id for s in self.strategies):
            raise ConfigError(f"strategy_id: {strategy.id.value} is used by two strategies")
        strategy.register(self)
        self.strategies.append(strategy)
        handler = _order_event_handler(strategy)
        if handler is not None:
            self.bus.subscribe(self.exec_engine.order_topic(strategy.id), handler)

    # -- DATA SUBSCRIPTIONS ---------------------------------------------------------------------

    def subscribe(self, strategy: Strategy, kind: str, instrument_id: InstrumentId) -> None:
        """Deliver ``kind`` ("book", "quote" or "trade") of ``instrument_id`` to ``strategy``."""
        methods = _SUBSCRIPTION_KINDS.get(kind)
        if methods is None:
            raise ValueError(f"kind: expected one of {sorted(_SUBSCRIPTION_KINDS)}, got {kind!r}")
        if self.data_engine.feed(instrument_id) is None:
            raise HftError(
                f"strategy {strategy.id.value}: {instrument_id.value} is not an instrument of "
                "this node; add it to the node (or the backtest data) first"
            )
        topic = topic_for(kind, instrument_id.venue.value, instrument_id.symbol.value)
        hook, client_method = methods
        self.bus.subscribe(topic, getattr(strategy, hook))
        client = self.data_clients.get(instrument_id.venue.value)
        if client is not None:
            getattr(client, client_method)(instrument_id)

    # -- ORDERS (called by Strategy) ------------------------------------------------------------

    def submit_order(
        self,
        strategy: Strategy,
        instrument_id: InstrumentId,
        side,
        order_type,
        quantity_lots: int,
        price_ticks: int,
        time_in_force,
        post_only: bool,
        reduce_only: bool,
    ):
        """Create an order for ``strategy`` and send it through risk and the OMS."""
        return self.exec_engine.submit_order(
            strategy.id,
            instrument_id,
            side,
            order_type,
            quantity_lots,
            price_ticks,
            time_in_force,
            post_only,
            reduce_only,
        )

    def cancel_order(self, strategy: Strategy, order) -> None:
        """Cancel one of ``strategy``'s orders (an ``Order`` or its ``ClientOrderId``)."""
        resolved = self._own_order(strategy, order)
        if resolved is not None:
            self.exec_engine.cancel_order(resolved)

    def cancel_all_orders(self, strategy: Strategy, instrument_id: InstrumentId | None) -> None:
        """Cancel every open order of ``strategy`` (of one instrument, or all)."""
        self.exec_engine.cancel_all_orders(strategy.id, instrument_id)

    def modify_order(
        self, strategy: Strategy, order, price_ticks: int | None, quantity_lots: int | None
    ) -> None:
        """Change the price and/or quantity of one of ``strategy``'s open orders."""
        resolved = self._own_order(strategy, order)
        if resolved is None:
            return
        self.exec_engine.modify_order(
            resolved,
            resolved.price_ticks if price_ticks is None else price_ticks,
            resolved.quantity_lots if quantity_lots is None else quantity_lots,
        )

    def _own_order(self, strategy: Strategy, order):
        if isinstance(order, ClientOrderId):
            found = self.cache.order(order)
            if found is None:
                raise HftError(f"client_order_id: {order.value} is not a known order")
            order = found
        if order.strategy_id is not strategy.id and order.strategy_id != strategy.id:
            raise HftError(
                f"order {order.client_order_id.value} belongs to strategy "
                f"{order.strategy_id.value}, not {strategy.id.value}"
            )
        if order.is_closed:
            log.warning(
                "order already closed strategy=%s client_order_id=%s status=%s",
                strategy.id.value,
                order.client_order_id.value,
                OrderStatus(order.status).name,
            )
            return None
        return order

    # -- LIFECYCLE ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start every strategy (``on_start``), in the order they were added."""
        if self.is_running:
            return
        self.is_running = True
        if hasattr(self.risk_engine, "start"):
            self.risk_engine.start()
        log.info("node started environment=%s", self.environment.name)
        for strategy in self.strategies:
            strategy.on_start()

    def stop(self) -> None:
        """Stop every strategy (``on_stop``), then cancel the orders they left open."""
        if not self.is_running:
            return
        for strategy in self.strategies:
            strategy.on_stop()
            self.exec_engine.cancel_all_orders(strategy.id, None)
        if hasattr(self.risk_engine, "stop"):
            self.risk_engine.stop()
        self.clock.cancel_timers()
        self.is_running = False
        log.info("node stopped environment=%s", self.environment.name)


def _overrides(strategy: Strategy, name: str) -> bool:
    """Whether ``strategy`` replaces the no-op ``Strategy.<name>`` (in its class or instance)."""
    return getattr(getattr(strategy, name), "__func__", None) is not getattr(Strategy, name)


def _order_event_handler(strategy: Strategy):
    """The bus handler of ``strategy``'s order events; None when both callbacks are no-ops."""
    has_update = _overrides(strategy, "on_order_update")
    if _overrides(strategy, "on_fill"):
        return _OrderEventDispatcher(strategy)
    return strategy.on_order_update if has_update else None


class _OrderEventDispatcher:
    """Bus handler calling a strategy's ``on_order_update``, and ``on_fill`` for fills."""

    __slots__ = ("_on_fill", "_on_order_update")

    def __init__(self, strategy: Strategy) -> None:
        self._on_order_update = strategy.on_order_update
        self._on_fill = strategy.on_fill

    def __call__(self, event) -> None:
        self._on_order_update(event)
        if type(event) is OrderFilled:
            self._on_fill(event)
