"""The ``Strategy`` base class users subclass.

A strategy never knows whether it runs in backtest, paper or live: it reads ``self.cache``,
``self.portfolio`` and ``self.clock``, reacts in its ``on_*`` hooks, and acts through the order
methods below, which go through the risk engine and the OMS of its node.

Prices are int64 ticks and sizes int64 lots of the instrument (``instrument.price_to_ticks``
and ``size_to_lots`` convert from decimal strings at the edges).
"""

from __future__ import annotations

import logging
from typing import ClassVar

from hftcore.errors import HftError
from hftcore.model.enums import OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, InstrumentId, StrategyId
from hftcore.model.order import Order
from hftcore.strategy.config import StrategyConfig

# Module constants: a global read is cheaper than an enum attribute on every order.
_LIMIT = OrderType.LIMIT
_MARKET = OrderType.MARKET
_IOC = TimeInForce.IOC
_GTX = TimeInForce.GTX


class StrategyNotRunningError(HftError):
    """A strategy action was called before the strategy was added to a node."""


def as_instrument_id(value: InstrumentId | str) -> InstrumentId:
    """Return ``value`` as an interned ``InstrumentId`` (accepts ``"BTCUSDT.BINANCE"``)."""
    if isinstance(value, InstrumentId):
        return value
    return InstrumentId.from_str(value)


class Strategy:
    """Base class of every trading strategy.

    Subclass it, set ``config_type`` to your ``StrategyConfig`` subclass, and override the
    ``on_*`` hooks you need. The node calls ``on_start`` once data and execution are connected
    and ``on_stop`` before it shuts down.

    Parameters
    ----------
    config : StrategyConfig, optional
        The strategy's configuration; ``config_type()`` (all defaults) when omitted.
    """

    config_type: ClassVar[type[StrategyConfig]] = StrategyConfig

    def __init__(self, config: StrategyConfig | None = None) -> None:
        if config is None:
            config = self.config_type()
        if not isinstance(config, self.config_type):
            raise TypeError(
                f"config: expected {self.config_type.__name__}, got {type(config).__name__}"
            )
        self.config = config
        self.id = StrategyId(config.strategy_id)
        self.log = logging.getLogger(f"hftcore.strategy.{config.strategy_id}")
        self.clock = None
        self.cache = None
        self.portfolio = None
        self._node = None
        # The OMS entry points, bound at ``register``: an order is one call into Cython.
        self._submit_order = None
        self._cancel_order = None
        self._modify_order = None
        self._cancel_all_orders = None

    # -- LIFECYCLE (called by the node) ---------------------------------------------------------

    def register(self, node) -> None:
        """Attach the strategy to ``node`` (its clock, cache, portfolio and engines)."""
        self._node = node
        self.clock = node.clock
        self.cache = node.cache
        self.portfolio = node.portfolio
        self._submit_order = node.exec_engine.submit_order
        self._cancel_order = node.exec_engine.cancel_order
        self._modify_order = node.exec_engine.modify_order
        self._cancel_all_orders = node.exec_engine.cancel_all_orders

    @property
    def is_registered(self) -> bool:
        """Whether the strategy was added to a node."""
        return self._node is not None

    # -- HOOKS (override) -----------------------------------------------------------------------

    def on_start(self) -> None:
        """Called once when the node starts: subscribe to data and set timers here."""

    def on_stop(self) -> None:
        """Called once when the node stops; open orders are canceled after it returns."""

    def on_book(self, book) -> None:
        """Called after each consistent update of a subscribed order book (``L2Book``)."""

    def on_quote(self, quote) -> None:
        """Called when the best bid or offer of a subscribed instrument changes (``Quote``)."""

    def on_trade(self, trade) -> None:
        """Called for each public trade of a subscribed instrument (``Trade``)."""

    def on_order_update(self, event) -> None:
        """Called for every event of one of this strategy's orders (``OrderAccepted``...)."""

    def on_fill(self, fill) -> None:
        """Called for each fill of one of this strategy's orders (``OrderFilled``)."""

    def on_timer(self, event) -> None:
        """Called when a timer set with ``set_timer`` or ``set_time_alert`` fires."""

    # -- DATA -----------------------------------------------------------------------------------

    def subscribe_book(self, instrument_id: InstrumentId | str) -> None:
        """Receive ``on_book`` for every consistent update of the instrument's L2 book."""
        self._require_node().subscribe(self, "book", as_instrument_id(instrument_id))

    def subscribe_quotes(self, instrument_id: InstrumentId | str) -> None:
        """Receive ``on_quote`` each time the instrument's best bid or offer changes."""
        self._require_node().subscribe(self, "quote", as_instrument_id(instrument_id))

    def subscribe_trades(self, instrument_id: InstrumentId | str) -> None:
        """Receive ``on_trade`` for each public trade of the instrument."""
        self._require_node().subscribe(self, "trade", as_instrument_id(instrument_id))

    def instrument(self, instrument_id: InstrumentId | str):
        """Return the ``Instrument`` of ``instrument_id`` from the cache."""
        cache = self.cache
        if cache is None:
            self._require_node()
        if type(instrument_id) is not InstrumentId:
            instrument_id = as_instrument_id(instrument_id)
        return cache.instrument(instrument_id)

    def book(self, instrument_id: InstrumentId | str):
        """Return the order book of ``instrument_id`` (``None`` if not subscribed)."""
        cache = self.cache
        if cache is None:
            self._require_node()
        if type(instrument_id) is not InstrumentId:
            instrument_id = as_instrument_id(instrument_id)
        return cache.book(instrument_id)

    # -- TIMERS ---------------------------------------------------------------------------------

    def set_timer(self, name: str, interval_ns: int, start_ns: int | None = None) -> None:
        """Call ``on_timer`` every ``interval_ns`` nanoseconds of clock time."""
        self._require_node().clock.set_timer(name, interval_ns, self.on_timer, start_ns=start_ns)

    def set_time_alert(self, name: str, at_ns: int) -> None:
        """Call ``on_timer`` once when the clock reaches ``at_ns`` (UNIX ns)."""
        self._require_node().clock.set_time_alert(name, at_ns, self.on_timer)

    def cancel_timer(self, name: str) -> None:
        """Cancel the timer or alert ``name``."""
        self._require_node().clock.cancel_timer(name)

    # -- ORDERS ---------------------------------------------------------------------------------

    def limit(
        self,
        instrument_id: InstrumentId | str,
        side: Side,
        quantity_lots: int,
        price_ticks: int,
        time_in_force: TimeInForce = TimeInForce.GTC,
        post_only: bool = False,
        reduce_only: bool = False,
    ) -> Order:
        """Submit a limit order; returns the ``Order`` (``status`` DENIED if risk refused it).

        Parameters
        ----------
        instrument_id : InstrumentId or str
            What to trade.
        side : Side
            BUY or SELL.
        quantity_lots : int
            Size in lots of the instrument (> 0).
        price_ticks : int
            Limit price in ticks of the instrument (> 0).
        time_in_force : TimeInForce
            GTC (default), IOC, FOK or GTX (post-only).
        post_only : bool
            Reject instead of taking liquidity.
        reduce_only : bool
            Only reduce an open position.
        """
        submit_order = self._submit_order
        if submit_order is None:
            self._require_node()
        if type(instrument_id) is not InstrumentId:
            instrument_id = as_instrument_id(instrument_id)
        return submit_order(
            self.id,
            instrument_id,
            side,
            _LIMIT,
            quantity_lots,
            price_ticks,
            time_in_force,
            post_only,
            reduce_only,
        )

    def post_only(
        self,
        instrument_id: InstrumentId | str,
        side: Side,
        quantity_lots: int,
        price_ticks: int,
    ) -> Order:
        """Submit a post-only limit order (rejected by the venue if it would cross)."""
        submit_order = self._submit_order
        if submit_order is None:
            self._require_node()
        if type(instrument_id) is not InstrumentId:
            instrument_id = as_instrument_id(instrument_id)
        return submit_order(
            self.id, instrument_id, side, _LIMIT, quantity_lots, price_ticks, _GTX, True, False
        )

    def market(
        self,
        instrument_id: InstrumentId | str,
        side: Side,
        quantity_lots: int,
        reduce_only: bool = False,
    ) -> Order:
        """Submit a market order (IOC against displayed depth)."""
        submit_order = self._submit_order
        if submit_order is None:
            self._require_node()
        if type(instrument_id) is not InstrumentId:
            instrument_id = as_instrument_id(instrument_id)
        return submit_order(
            self.id,
            instrument_id,
            side,
            _MARKET,
            quantity_lots,
            0,
            _IOC,
            False,
            reduce_only,
        )

    def buy(
        self,
        instrument_id: InstrumentId | str,
        quantity_lots: int,
        price_ticks: int | None = None,
        time_in_force: TimeInForce = TimeInForce.GTC,
    ) -> Order:
        """Buy: a limit order at ``price_ticks``, or a market order when it is ``None``."""
        if price_ticks is None:
            return self.market(instrument_id, Side.BUY, quantity_lots)
        return self.limit(instrument_id, Side.BUY, quantity_lots, price_ticks, time_in_force)

    def sell(
        self,
        instrument_id: InstrumentId | str,
        quantity_lots: int,
        price_ticks: int | None = None,
        time_in_force: TimeInForce = TimeInForce.GTC,
    ) -> Order:
        """Sell: a limit order at ``price_ticks``, or a market order when it is ``None``."""
        if price_ticks is None:
            return self.market(instrument_id, Side.SELL, quantity_lots)
        return self.limit(instrument_id, Side.SELL, quantity_lots, price_ticks, time_in_force)

    def cancel(self, order: Order | ClientOrderId) -> None:
        """Request cancellation of an open order (ignored, with a warning, if already closed)."""
        if type(order) is Order and order.strategy_id is self.id and not order.is_closed:
            self._cancel_order(order)  # our own open order: straight to the OMS
            return
        self._require_node().cancel_order(self, order)

    def cancel_all(self, instrument_id: InstrumentId | str | None = None) -> None:
        """Cancel every open order of this strategy (of one instrument, or all)."""
        cancel_all_orders = self._cancel_all_orders
        if cancel_all_orders is None:
            self._require_node()
        cancel_all_orders(
            self.id,
            instrument_id
            if instrument_id is None or type(instrument_id) is InstrumentId
            else as_instrument_id(instrument_id),
        )

    def modify(
        self,
        order: Order | ClientOrderId,
        price_ticks: int | None = None,
        quantity_lots: int | None = None,
    ) -> None:
        """Change the price and/or quantity of an open order (unchanged when ``None``)."""
        if type(order) is Order and order.strategy_id is self.id and not order.is_closed:
            self._modify_order(  # our own open order: straight to the OMS
                order,
                order.price_ticks if price_ticks is None else price_ticks,
                order.quantity_lots if quantity_lots is None else quantity_lots,
            )
            return
        self._require_node().modify_order(self, order, price_ticks, quantity_lots)

    def open_orders(self, instrument_id: InstrumentId | str | None = None) -> list[Order]:
        """Return this strategy's open orders (of one instrument, or all)."""
        node = self._require_node()
        iid = None if instrument_id is None else as_instrument_id(instrument_id)
        return [o for o in node.cache.open_orders(iid) if o.strategy_id == self.id]

    # -- INTERNAL -------------------------------------------------------------------------------

    def _require_node(self):
        if self._node is None:
            raise StrategyNotRunningError(
                f"strategy {self.id}: not added to a node; call node.add_strategy() first"
            )
        return self._node

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id.value!r})"
