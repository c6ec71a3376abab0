"""The risk engine: synchronous pre-trade checks, trading state and the kill switch.

The execution engine calls :meth:`RiskEngine.check_order` before every order and
:meth:`RiskEngine.check_modify` before every price or quantity change of an order; each returns
None to approve or an ``OrderDenied`` whose ``reason_code`` says which rule refused it
(``MAX_POSITION``, ``PRICE_BAND``, ``TRADING_HALTED``...; see
:data:`hftcore.risk.checks.REASON_CODES`) and whose ``message`` names the values. Order of
work for one order or modify:

1. every ``kill_switch.poll_every_orders`` orders or modifies, poll the kill-switch sources;
2. HALTED: deny (``TRADING_HALTED``); REDUCING: deny unless the order reduces the position
   with the open orders on its side (``REDUCE_ONLY_STATE``; a modify that only cuts the
   quantity at the same price passes);
3. the enabled checks, in order: instrument rules, max order, max open orders, price band,
   self-trade, max position, balance, order rate; the first failure denies (a cut meets only
   the instrument rules and the order rate);
4. approved: the rate buckets take a token and the portfolio reserves the order's funds (for a
   modify, what the new values need beyond what the order holds).

A modify is checked as a new order with the new values; the order itself is left out of the
open orders and reservations it would otherwise count twice. A denied modify leaves the order
live with its old values: the execution engine publishes the denial and sends nothing.

**Trading state and kill switch.** :meth:`kill` moves to HALTED, cancels every open order on
every venue through the execution engine and denies every order after it, in the same event.
The state can be flipped in-process (:meth:`kill`, :meth:`reduce`, :meth:`resume`), from
another shell (``hft kill`` / ``hft resume`` through the kill-switch file or socket, see
:mod:`hftcore.risk.kill_switch`), and automatically: daily loss limit and drawdown (on the
monitor timer), repeated venue rejects (on each ``OrderRejected``) and a venue disconnect while
holding positions there (:meth:`on_venue_disconnected`). Each change is published as a
``TradingStateChanged`` on ``risk.engine.state``.

Wiring (what ``TradingNode`` does)::

    risk = RiskEngine(config)
    risk.register(node)          # clock, cache, bus, execution engine, node.portfolio
    node.set_risk_engine(risk)   # ExecutionEngine asks it before every order and modify
    risk.start()                 # with node.start(): opens the kill-switch sources, timer
    risk.stop()                  # with node.stop()
"""

import logging

cimport cython
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.model.enums cimport OrderStatus, OrderType, Side, TradingState
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied, OrderRejected
from hftcore.model.types cimport NO_PRICE_TICKS
from hftcore.portfolio.ledger cimport Portfolio
from hftcore.execution.pre_trade cimport PreTradeRisk
from hftcore.risk.checks cimport (
    BalanceCheck,
    DENY_REASON_COUNT,
    DenyReason,
    InstrumentRisk,
    InstrumentRulesCheck,
    MaxOpenOrdersCheck,
    MaxOrderCheck,
    MaxPositionCheck,
    OrderContext,
    OrderRateCheck,
    PriceBandCheck,
    RiskCheck,
    SelfTradeCheck,
)

from hftcore.errors import ConfigError, DataUnavailableError, InvalidOrderError
from hftcore.model.enums import Environment
from hftcore.model.enums import OrderStatus as PyOrderStatus
from hftcore.model.enums import TradingState as PyTradingState
from hftcore.model.identifiers import Venue
from hftcore.risk.checks import REASON_CODES
from hftcore.risk.config import RiskConfig
from hftcore.risk.events import TRADING_STATE_TOPIC, TradingStateChanged
from hftcore.risk.kill_switch import (
    KILL,
    REDUCE,
    FileKillSwitch,
    RedisKillSwitch,
    SocketKillSwitch,
    default_path,
)
from hftcore.risk.triggers import LossTriggers, RejectTrigger

log = logging.getLogger(__name__)

ORDER_EVENTS_PATTERN = "order.*"
"""Bus pattern of every order topic; the engine counts rejects from it."""
ORDER_EVENTS_PRIORITY = 50
"""Delivery priority of the engine's order-event handler: after the portfolio, before
strategies."""
MONITOR_TIMER_NAME = "risk.monitor"
"""Name of the clock timer polling the kill switch and evaluating the loss triggers."""
# What the checks read for an instrument that never had an open order (never written).
_NO_OPEN_ORDERS = {}
IN_PROCESS = "in-process"
"""``TradingStateChanged.source`` of a change made by a method call."""
TRIGGER = "trigger"
"""``TradingStateChanged.source`` of a change made by an automatic trigger."""


@cython.final
cdef class RiskEngine(PreTradeRisk):
    """Pre-trade risk checks, the trading state and the kill switch of one node.

    Parameters
    ----------
    config : RiskConfig, optional
        Checks, kill-switch sources and triggers; defaults apply when omitted.
    clock, cache, bus, exec_engine, portfolio : optional
        The node's components; :meth:`register` takes them from a node instead.
    redis_client : object, optional
        A redis-py compatible client; with ``kill_switch.redis_key`` set, the key is a
        kill-switch source.

    Raises
    ------
    TypeError
        If ``config`` is not a ``RiskConfig``.
    """

    def __init__(
        self,
        config=None,
        *,
        Clock clock=None,
        Cache cache=None,
        MessageBus bus=None,
        exec_engine=None,
        Portfolio portfolio=None,
        redis_client=None,
    ):
        if config is None:
            config = RiskConfig()
        if not isinstance(config, RiskConfig):
            raise TypeError(f"config: expected RiskConfig, got {type(config).__name__}")
        self.config = config
        self._initial_state = PyTradingState[config.initial_state]
        self.trading_state = self._initial_state
        self.state_reason = ""
        self.clock = clock
        self.cache = cache
        self.bus = None
        self.exec_engine = exec_engine
        self.portfolio = portfolio
        self.is_running = False
        self.checked_count = 0
        self.approved_count = 0
        self.denied_count = 0
        self.modify_checked_count = 0
        self.modify_denied_count = 0
        self.halt_count = 0
        self.external_command_count = 0
        self.trigger_error_count = 0
        cdef int i
        for i in range(DENY_REASON_COUNT):
            self._denial_counts[i] = 0
        self._ctx = OrderContext()
        self._checking_order = None
        self._sources = []
        self._redis_client = redis_client
        self._environment = None
        self._poll_every_orders = config.kill_switch.poll_every_orders
        self._orders_until_poll = self._poll_every_orders
        triggers = config.triggers
        self._loss_triggers = LossTriggers(
            triggers.daily_loss_limit, triggers.max_drawdown, triggers.quote_currency
        )
        self._reject_trigger = (
            None if triggers.max_rejects is None
            else RejectTrigger(triggers.max_rejects, triggers.reject_window_ms * 1_000_000)
        )
        self._last_trigger_error = None
        self._build_checks()
        if bus is not None:
            self._subscribe(bus)

    def register(self, node):
        """Take the node's clock, cache, bus, execution engine and portfolio.

        Subscribes to every order topic (venue rejects feed the reject trigger). Call it after
        ``node.portfolio`` is set, then ``node.set_risk_engine(engine)``.

        Parameters
        ----------
        node : TradingNode

        Raises
        ------
        ConfigError
            If a configured check or trigger needs a portfolio and the node has none.
        """
        self.clock = node.clock
        self.cache = node.cache
        self.exec_engine = node.exec_engine
        self._environment = node.environment
        if node.portfolio is not None:
            self.portfolio = node.portfolio
        self._build_checks()
        self._require_portfolio()
        self._subscribe(node.bus)

    def _subscribe(self, MessageBus bus):
        if self.bus is bus:
            return
        if self.bus is not None and self._reject_trigger is not None:
            self.bus.unsubscribe(ORDER_EVENTS_PATTERN, self.on_order_event)
        self.bus = bus
        if self._reject_trigger is not None:
            # Order events feed only the reject trigger: without it, no call per event.
            bus.subscribe(ORDER_EVENTS_PATTERN, self.on_order_event, ORDER_EVENTS_PRIORITY)

    def _require_portfolio(self):
        if self.portfolio is not None:
            return
        if self._needs_portfolio:
            raise ConfigError(
                "risk.balance: the balance check needs a portfolio; give the node one "
                "(TradingNode(portfolio=...)) or set risk.balance.enabled = false"
            )
        if self._loss_triggers.is_enabled:
            raise ConfigError(
                "risk.triggers: daily_loss_limit and max_drawdown need a portfolio (equity); "
                "give the node one or remove them"
            )

    cdef int _build_checks(self) except -1:
        config = self.config
        cdef list checks = []
        self._needs_portfolio = False
        if config.instrument_rules is not None and config.instrument_rules.enabled:
            checks.append(InstrumentRulesCheck(config.instrument_rules))
        if config.max_order is not None and config.max_order.enabled:
            checks.append(MaxOrderCheck(config.max_order))
        if config.max_open_orders is not None and config.max_open_orders.enabled:
            checks.append(MaxOpenOrdersCheck(config.max_open_orders))
        if config.price_band is not None and config.price_band.enabled:
            checks.append(PriceBandCheck(config.price_band))
        if config.self_trade is not None and config.self_trade.enabled:
            checks.append(SelfTradeCheck(config.self_trade))
        if config.max_position is not None and config.max_position.enabled:
            checks.append(MaxPositionCheck(config.max_position, self.portfolio))
        if config.balance is not None and config.balance.enabled:
            if self.portfolio is None:
                self._needs_portfolio = True
            else:
                checks.append(BalanceCheck(self.portfolio))
        if config.order_rate is not None and config.order_rate.enabled:
            checks.append(OrderRateCheck(config.order_rate))
        self._checks = tuple(checks)
        self._states = {}
        return 0

    @property
    def checks(self):
        """tuple[RiskCheck]: The enabled checks, in the order they run."""
        return self._checks

    # -- LIFECYCLE -----------------------------------------------------------------------------

    def start(self):
        """Open the kill-switch sources, apply what they hold and start the monitor timer.

        A kill-switch file that says ``kill`` halts the engine at once: a process started
        while trading is killed starts HALTED.

        Raises
        ------
        ConfigError
            If the engine has no clock, or a trigger needs a portfolio it lacks.
        HftError
            If the kill-switch socket cannot be bound.
        """
        if self.is_running:
            return
        if self.clock is None:
            raise ConfigError("risk engine: no clock; call register(node) before start()")
        self._require_portfolio()
        ks = self.config.kill_switch
        file_path = ks.file
        if file_path is None and self._environment in (Environment.PAPER, Environment.LIVE):
            file_path = str(default_path())
        if file_path:
            self._sources.append(FileKillSwitch(file_path))
        if ks.socket:
            self._sources.append(SocketKillSwitch(ks.socket))
        if ks.redis_key and self._redis_client is not None:
            self._sources.append(RedisKillSwitch(self._redis_client, ks.redis_key))
        self.is_running = True
        self._orders_until_poll = self._poll_every_orders
        self.clock.set_timer(MONITOR_TIMER_NAME, ks.poll_interval_ms * 1_000_000, self._on_monitor)
        self._poll_sources()
        log.info(
            "risk engine started state=%s checks=%s sources=%s",
            PyTradingState(self.trading_state).name,
            ",".join([(<RiskCheck>check).name for check in self._checks]),
            ",".join([repr(source) for source in self._sources]),
        )

    def stop(self):
        """Stop the monitor timer and close the kill-switch sources."""
        if not self.is_running:
            return
        self.is_running = False
        if MONITOR_TIMER_NAME in self.clock.timer_names:
            self.clock.cancel_timer(MONITOR_TIMER_NAME)
        for source in self._sources:
            source.close()
        self._sources = []

    @property
    def kill_switch_sources(self):
        """list: The kill-switch sources polled while running (file, socket, Redis)."""
        return list(self._sources)

    # -- CHECKS --------------------------------------------------------------------------------

    cpdef object check_order(self, Order order):
        """Check ``order`` against the trading state and every enabled check.

        Parameters
        ----------
        order : Order
            The order the execution engine is about to send (in the cache, INITIALIZED).

        Returns
        -------
        OrderDenied or None
            None when approved (its funds are then reserved in the portfolio); otherwise the
            denial with its reason code and message.

        Raises
        ------
        TypeError
            If ``order`` is None.
        ConfigError
            If the engine has no clock or cache, or the balance check is configured and no
            portfolio was given.
        """
        if order is None:
            raise TypeError("check_order: order: expected an Order, got None")
        self._require_ready()
        return self._check(order, order.price_ticks, order.quantity_lots, False)

    cpdef object check_modify(self, Order order, int64_t price_ticks, int64_t quantity_lots):
        """Check a change of ``order`` to ``price_ticks`` and ``quantity_lots`` before it is sent.

        The change is checked as a new order with the new values: trading state, instrument
        rules, max order, max open orders, price band, self-trade, max position, balance and
        order rate. The order itself is left out of the open orders it would otherwise count
        twice (open-order counts, same-side quantity, self-trade), and what it reserves already
        counts as free for it (the balance check needs only the difference). HALTED denies every
        modify. A cut (same price, lower quantity) cannot add exposure: it passes REDUCING and
        the exposure checks, and meets only the instrument rules and the order rate. Any other
        modify in REDUCING must leave an order that reduces the position, as a new order must.

        Parameters
        ----------
        order : Order
            A LIMIT order the execution engine is about to change: sent (SUBMITTED, ACCEPTED,
            PARTIALLY_FILLED), or INITIALIZED while its venue's rate limiter holds it.
        price_ticks : int
            New limit price in ticks, > 0.
        quantity_lots : int
            New order quantity in lots (the filled part included), > the filled quantity.

        Returns
        -------
        OrderDenied or None
            None when approved; the portfolio then reserves for the new values: an order not
            sent yet reserves exactly them; a sent order keeps the larger of its old and new
            needs until the venue's ``OrderUpdated`` (either may still fill until then), which
            re-reserves for what the venue reports. Otherwise the denial: the order's client
            order id, the check's reason code and a message starting ``modify to``; the order is
            left as it was (still live with its old values).

        Raises
        ------
        TypeError
            If ``order`` is None.
        InvalidOrderError
            If ``order`` is a MARKET order or closed, or a new value is out of range.
        ConfigError
            As :meth:`check_order`.
        """
        if order is None:
            raise TypeError("check_modify: order: expected an Order, got None")
        # Messages are built only on failure: this runs for every modify.
        if order.order_type != OrderType.LIMIT:
            raise InvalidOrderError(
                f"check_modify: order {order.client_order_id.value}: only a LIMIT order can be "
                "modified"
            )
        if order.is_closed_c():
            raise InvalidOrderError(
                f"check_modify: order {order.client_order_id.value}: status "
                f"{PyOrderStatus(order.status).name} is final; only an open order can be modified"
            )
        if price_ticks <= 0:
            raise InvalidOrderError(
                f"check_modify: order {order.client_order_id.value}: price_ticks: expected > 0, "
                f"got {price_ticks}"
            )
        if quantity_lots <= order.filled_lots:
            raise InvalidOrderError(
                f"check_modify: order {order.client_order_id.value}: quantity_lots: expected > "
                f"filled_lots {order.filled_lots}, got {quantity_lots}"
            )
        self._require_ready()
        self.modify_checked_count += 1
        return self._check(order, price_ticks, quantity_lots, True)

    cdef int _require_ready(self) except -1:
        if self.clock is None or self.cache is None:
            raise ConfigError(
                "risk engine: no clock or cache; call register(node) or pass clock= and cache="
            )
        if self._needs_portfolio:
            self._require_portfolio()
        return 0

    cdef object _check(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, bint is_modify
    ):
        cdef int64_t now_ns = self.clock.timestamp_ns()
        self.checked_count += 1
        if self.is_running and self._poll_every_orders > 0:
            self._orders_until_poll -= 1
            if self._orders_until_poll <= 0:
                self._orders_until_poll = self._poll_every_orders
                # A halt found now cancels every open order but a new one under check (denied
                # below); an order being modified is live at its venue, so it is canceled too.
                self._checking_order = None if is_modify else order
                try:
                    self._poll_sources()
                finally:
                    self._checking_order = None
        # Filled after the poll: a handler it runs may check another order with the context.
        cdef OrderContext ctx = self._ctx
        ctx.order = order
        ctx.is_modify = is_modify
        ctx.limit_price_ticks = price_ticks
        ctx.quantity_lots = quantity_lots
        ctx.leaves_lots = quantity_lots - order.filled_lots
        ctx.is_cut = (
            is_modify and price_ticks == order.price_ticks and quantity_lots < order.quantity_lots
        )
        if self.trading_state == TradingState.HALTED:
            return self._deny(
                order,
                DenyReason.TRADING_HALTED,
                f"trading is halted ({self.state_reason}); "
                f"{'no modifies' if is_modify else 'no new orders'}",
                now_ns,
            )
        cdef InstrumentRisk state = self._state_for(order.instrument_id)
        self._fill_context(ctx, state, now_ns)
        if (
            self.trading_state == TradingState.REDUCING
            and not ctx.is_cut
            and not self._reduces(ctx)
        ):
            return self._deny(
                order,
                DenyReason.REDUCE_ONLY_STATE,
                f"trading is reducing only ({self.state_reason}): "
                f"{'BUY' if ctx.sign > 0 else 'SELL'} {ctx.leaves_lots} lots with "
                f"{ctx.same_side_open_lots()} lots open on that side does not reduce the "
                f"position of {ctx.position_lots} lots",
                now_ns,
            )
        cdef tuple checks = self._checks
        cdef RiskCheck check
        cdef Py_ssize_t i
        cdef Py_ssize_t count = len(checks)
        for i in range(count):
            check = <RiskCheck>checks[i]
            if (not ctx.is_cut or check.runs_on_cuts) and check.check(ctx):
                return self._deny(order, ctx.reason, ctx.message, now_ns)
        for i in range(count):
            check = <RiskCheck>checks[i]
            if not ctx.is_cut or check.runs_on_cuts:
                check.approve(ctx)
        if self.portfolio is not None:
            if is_modify:
                self._reserve_modified(ctx)
            else:
                self.portfolio.reserve_c(
                    order, ctx.price_ticks if order.order_type == OrderType.LIMIT else 0.0
                )
        ctx.order = None
        ctx.open_orders = None
        self.approved_count += 1
        return None

    cdef int _reserve_modified(self, OrderContext ctx) except -1:
        # Reserve for the new values: exactly for an order not sent yet; for a live order only
        # when they need more than it holds (its old values may fill until the venue confirms).
        cdef Order order = ctx.order
        cdef int64_t old_price_ticks = order.price_ticks
        cdef int64_t old_quantity_lots = order.quantity_lots
        if order.status != OrderStatus.INITIALIZED and self.portfolio.required_f(
            ctx.state.position, order.side, ctx.leaves_lots, ctx.price_ticks, order.is_reduce_only
        ) <= ctx.reserved_f:
            return 0
        # The ledger reserves for an order's own values: lend it the new ones for the call.
        order.set_price_and_quantity(ctx.limit_price_ticks, ctx.quantity_lots)
        try:
            self.portfolio.reserve_c(order, ctx.price_ticks)
        finally:
            order.set_price_and_quantity(old_price_ticks, old_quantity_lots)
        return 0

    cdef OrderDenied _deny(self, Order order, DenyReason reason, str message, int64_t now_ns):
        cdef OrderContext ctx = self._ctx
        self._denial_counts[<int>reason] += 1
        self.denied_count += 1
        if ctx.is_modify:
            self.modify_denied_count += 1
            message = (
                f"modify to {ctx.quantity_lots} lots at {ctx.limit_price_ticks} ticks denied; "
                f"the order stays as it was: {message}"
            )
        ctx.order = None
        ctx.open_orders = None
        return OrderDenied.create(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            REASON_CODES[<int>reason],
            message,
            now_ns,
            now_ns,
        )

    cdef InstrumentRisk _state_for(self, InstrumentId instrument_id):
        cdef InstrumentRisk state = self._states.get(instrument_id)
        cdef Instrument instrument = self.cache.instrument(instrument_id)
        if state is not None and state.instrument is instrument:
            return state
        if state is not None and state.asset is not None:
            state.asset.instruments.remove(state)  # the venue changed the instrument's rules
        state = InstrumentRisk(
            instrument,
            None if self.portfolio is None else self.portfolio.position_c(instrument_id),
        )
        cdef object check
        for check in self._checks:
            (<RiskCheck>check).setup(state)
        self._states[instrument_id] = state
        return state

    cdef int _fill_context(self, OrderContext ctx, InstrumentRisk state, int64_t now_ns) except -1:
        # The order and the values checked are set; add its state and the market around it.
        cdef Order order = ctx.order
        cdef OrderBook book = self.cache.book(order.instrument_id)
        cdef object trade
        cdef object held
        cdef int64_t touch_ticks
        ctx.state = state
        ctx.cache = self.cache
        ctx.now_ns = now_ns
        ctx.sign = 1 if order.side == Side.BUY else -1
        ctx.position_lots = state.position_lots(self.cache)
        cdef dict open_orders = self.cache.open_order_index(order.instrument_id)
        ctx.open_orders = _NO_OPEN_ORDERS if open_orders is None else open_orders
        ctx.reserved_f = 0.0
        if ctx.is_modify and self.portfolio is not None:
            held = self.portfolio.reserved(order.client_order_id)
            if held is not None:
                ctx.reserved_f = held[1]
        if book is None:
            ctx.bid_ticks = NO_PRICE_TICKS
            ctx.ask_ticks = NO_PRICE_TICKS
        else:
            ctx.bid_ticks = book.best_bid_price_ticks
            ctx.ask_ticks = book.best_ask_price_ticks
        ctx.last_ticks = NO_PRICE_TICKS
        if ctx.bid_ticks == NO_PRICE_TICKS or ctx.ask_ticks == NO_PRICE_TICKS:
            trade = self.cache.last_trade(order.instrument_id)
            if trade is not None:
                ctx.last_ticks = trade.price_ticks
        if order.order_type == OrderType.LIMIT:
            ctx.price_ticks = ctx.limit_price_ticks
            return 0
        touch_ticks = ctx.ask_ticks if order.side == Side.BUY else ctx.bid_ticks
        if touch_ticks == NO_PRICE_TICKS:
            touch_ticks = ctx.last_ticks
        ctx.price_ticks = 0.0 if touch_ticks == NO_PRICE_TICKS else <double>touch_ticks
        return 0

    cdef bint _reduces(self, OrderContext ctx) except -1:
        # Reduces: opposite to the position, and with the open orders on its side no larger.
        cdef int64_t position_lots = ctx.position_lots
        if position_lots == 0 or (position_lots > 0) == (ctx.sign > 0):
            return False
        return ctx.leaves_lots + ctx.same_side_open_lots() <= abs(position_lots)

    def denial_counts(self):
        """Return how many orders each reason denied.

        Returns
        -------
        dict[str, int]
            Every reason code, including those at 0.
        """
        return {REASON_CODES[i]: self._denial_counts[i] for i in range(DENY_REASON_COUNT)}

    def counters(self):
        """Return every counter by name (for metrics), denials per reason included.

        Returns
        -------
        dict[str, int]
        """
        counters = {
            "checked_count": self.checked_count,
            "approved_count": self.approved_count,
            "denied_count": self.denied_count,
            "modify_checked_count": self.modify_checked_count,
            "modify_denied_count": self.modify_denied_count,
            "halt_count": self.halt_count,
            "external_command_count": self.external_command_count,
            "trigger_error_count": self.trigger_error_count,
        }
        for code, count in self.denial_counts().items():
            counters[f"denied_{code.lower()}_count"] = count
        return counters

    # -- TRADING STATE -------------------------------------------------------------------------

    @property
    def is_halted(self):
        """bool: True when trading is HALTED."""
        return self.trading_state == TradingState.HALTED

    def kill(self, str reason="kill switch", str source=IN_PROCESS):
        """Halt trading: HALTED, cancel every open order on every venue, deny every new order.

        Parameters
        ----------
        reason : str
            Why; logged and published.
        source : str
            Who flipped it (``TradingStateChanged.source``).

        Returns
        -------
        int
            Open orders asked to cancel.
        """
        return self._set_state(TradingState.HALTED, reason, source)

    def reduce(self, str reason="reduce only", str source=IN_PROCESS):
        """Allow only orders that reduce positions (REDUCING); open orders stay.

        Parameters
        ----------
        reason : str
        source : str
        """
        self._set_state(TradingState.REDUCING, reason, source)

    def resume(self, str reason="resumed", str source=IN_PROCESS):
        """Return to the configured initial state (``risk.initial_state``).

        Parameters
        ----------
        reason : str
        source : str
        """
        self._set_state(self._initial_state, reason, source)

    def set_trading_state(self, state, str reason not None, str source=IN_PROCESS):
        """Move to ``state``; HALTED also cancels every open order (as :meth:`kill`).

        Parameters
        ----------
        state : TradingState or str
            ACTIVE, REDUCING or HALTED.
        reason : str
        source : str
        """
        if isinstance(state, str):
            state = PyTradingState[state]
        self._set_state(state, reason, source)

    cdef int _set_state(self, TradingState state, str reason, str source) except -1:
        cdef TradingState previous = self.trading_state
        cdef int64_t canceled = 0
        cdef int64_t now_ns = 0 if self.clock is None else self.clock.timestamp_ns()
        self.trading_state = state
        self.state_reason = reason
        if state == TradingState.HALTED:
            canceled = self._cancel_everything()
            if previous != TradingState.HALTED:
                self.halt_count += 1
            log.critical(
                "trading halted reason=%s source=%s canceled_orders=%d", reason, source, canceled
            )
        elif state != previous:
            log.warning(
                "trading state changed state=%s previous=%s reason=%s source=%s",
                PyTradingState(state).name,
                PyTradingState(previous).name,
                reason,
                source,
            )
        if self.bus is not None and (state != previous or canceled > 0):
            self.bus.publish(
                TRADING_STATE_TOPIC,
                TradingStateChanged(
                    state=PyTradingState(state).name,
                    previous=PyTradingState(previous).name,
                    reason=reason,
                    source=source,
                    canceled_count=canceled,
                    ts_event=now_ns,
                    ts_recv=now_ns,
                ),
            )
        return canceled

    cdef int64_t _cancel_everything(self) except -1:
        cdef Order order
        cdef int64_t count = 0
        if self.exec_engine is None:
            return 0
        if self._checking_order is None:
            return self.exec_engine.cancel_all_orders()
        # Halted while checking an order: that order is denied by the check; cancel the rest.
        for order in self.cache.open_orders():
            if order is not self._checking_order:
                self.exec_engine.cancel_order(order)
                count += 1
        return count

    # -- KILL SWITCH AND TRIGGERS --------------------------------------------------------------

    def poll_kill_switch(self):
        """Poll the kill-switch sources now and apply their commands.

        Returns
        -------
        int
            Commands applied.
        """
        cdef int64_t before = self.external_command_count
        self._poll_sources()
        return self.external_command_count - before

    cdef int _poll_sources(self) except -1:
        for source in self._sources:
            for command in source.poll():
                self.external_command_count += 1
                reason = f"{command.reason} (pid {command.pid})"
                if command.action == KILL:
                    self._set_state(TradingState.HALTED, reason, source.name)
                elif command.action == REDUCE:
                    self._set_state(TradingState.REDUCING, reason, source.name)
                elif self.trading_state != self._initial_state:
                    self._set_state(self._initial_state, reason, source.name)
        return 0

    def _on_monitor(self, event):
        self._poll_sources()
        self.check_triggers()

    def check_triggers(self):
        """Evaluate the loss triggers (daily loss, drawdown) on the portfolio's equity now.

        Runs on the monitor timer; a trigger that fires halts trading.

        Returns
        -------
        str or None
            The halt reason when a trigger fired.
        """
        if not self._loss_triggers.is_enabled or self.trading_state == TradingState.HALTED:
            return None
        if self.portfolio is None:
            return None
        cdef int64_t now_ns = self.clock.timestamp_ns()
        try:
            equity = self.portfolio.equity(self.config.triggers.quote_currency)
        except DataUnavailableError as exc:
            self.trigger_error_count += 1
            if str(exc) != self._last_trigger_error:
                self._last_trigger_error = str(exc)
                log.error("loss triggers cannot value the portfolio problem=%s", exc)
            return None
        self._last_trigger_error = None
        reason = self._loss_triggers.evaluate(equity, now_ns)
        if reason is not None:
            self._set_state(TradingState.HALTED, reason, TRIGGER)
        return reason

    def on_order_event(self, event):
        """Count venue rejects for the reject trigger (subscribed to every order topic).

        Parameters
        ----------
        event : OrderEvent
        """
        if self._reject_trigger is None or type(event) is not OrderRejected:
            return
        reason = self._reject_trigger.on_reject(self.clock.timestamp_ns())
        if reason is not None and self.trading_state != TradingState.HALTED:
            self._set_state(TradingState.HALTED, reason, TRIGGER)

    def on_venue_disconnected(self, venue):
        """Halt when ``venue`` disconnected while we hold a position on it (adapters call this).

        Parameters
        ----------
        venue : Venue or str
            The venue whose connection was lost.

        Returns
        -------
        bool
            True when trading was halted.
        """
        if not self.config.triggers.halt_on_disconnect_with_position:
            return False
        name = venue.value if isinstance(venue, Venue) else venue
        held = []
        if self.portfolio is not None:
            for position in self.portfolio.positions():
                if position.instrument_id.venue.value == name and position.quantity_lots != 0:
                    held.append(f"{position.instrument_id.value}={position.quantity_lots}")
        elif self.cache is not None:
            for update in self.cache.positions():
                if update.instrument_id.venue.value == name and update.quantity_lots != 0:
                    held.append(f"{update.instrument_id.value}={update.quantity_lots}")
        if not held:
            log.warning("venue disconnected with no position venue=%s", name)
            return False
        self._set_state(
            TradingState.HALTED,
            f"venue {name} disconnected while holding positions ({', '.join(held)} lots)",
            TRIGGER,
        )
        return True

    def __repr__(self):
        return (
            f"RiskEngine(state={PyTradingState(self.trading_state).name}, "
            f"checks={[(<RiskCheck>check).name for check in self._checks]}, "
            f"checked={self.checked_count}, denied={self.denied_count})"
        )
