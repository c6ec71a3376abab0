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

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.model.enums cimport OrderType, TradingState
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied, OrderRejected
from hftcore.portfolio.ledger cimport Portfolio
from hftcore.execution.pre_trade cimport PreTradeRisk
from hftcore.risk.check_set cimport build_checks, needs_portfolio, require_portfolio
from hftcore.risk.checks cimport (
    DENY_REASON_COUNT, DenyReason, InstrumentRisk, OrderContext, RiskCheck
)
from hftcore.risk.denials cimport denial_counts_by_code, make_denial, modify_denial_message
from hftcore.risk.modify cimport reserve_modified
from hftcore.risk.order_context cimport fill_context, instrument_state, reduces
from hftcore.risk.trading_state cimport (
    cancel_open_orders,
    open_kill_switch_sources,
    positions_held_on,
    publish_state_change,
)

from hftcore.errors import ConfigError, DataUnavailableError, InvalidOrderError
from hftcore.model.enums import OrderStatus as PyOrderStatus
from hftcore.model.enums import TradingState as PyTradingState
from hftcore.model.identifiers import Venue
from hftcore.risk.config import RiskConfig
from hftcore.risk.kill_switch import KILL, REDUCE
from hftcore.risk.triggers import LossTriggers, RejectTrigger

log = logging.getLogger(__name__)

ORDER_EVENTS_PATTERN = "order.*"
"""Bus pattern of every order topic; the engine counts rejects from it."""
ORDER_EVENTS_PRIORITY = 50
"""Delivery priority of the engine's order-event handler: after the portfolio, before
strategies."""
MONITOR_TIMER_NAME = "risk.monitor"
"""Name of the clock timer polling the kill switch and evaluating the loss triggers."""
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
        require_portfolio(self._needs_portfolio, self._loss_triggers, self.portfolio)

    cdef int _build_checks(self) except -1:
        # The check set (see hftcore.risk.check_set); instrument states are built for it anew.
        self._checks = build_checks(self.config, self.portfolio)
        self._needs_portfolio = needs_portfolio(self.config, self.portfolio)
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
        self._sources.extend(
            open_kill_switch_sources(ks, self._environment, self._redis_client)
        )
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
        cdef InstrumentRisk state = instrument_state(
            self._states, self._checks, self.cache, self.portfolio, order.instrument_id
        )
        fill_context(ctx, state, self.cache, self.portfolio, now_ns)
        if (
            self.trading_state == TradingState.REDUCING
            and not ctx.is_cut
            and not reduces(ctx)
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
                reserve_modified(self.portfolio, ctx)
            else:
                self.portfolio.reserve_c(
                    order, ctx.price_ticks if order.order_type == OrderType.LIMIT else 0.0
                )
        ctx.order = None
        ctx.open_orders = None
        self.approved_count += 1
        return None

    cdef OrderDenied _deny(self, Order order, DenyReason reason, str message, int64_t now_ns):
        cdef OrderContext ctx = self._ctx
        self._denial_counts[<int>reason] += 1
        self.denied_count += 1
        if ctx.is_modify:
            self.modify_denied_count += 1
            message = modify_denial_message(ctx.quantity_lots, ctx.limit_price_ticks, message)
        ctx.order = None
        ctx.open_orders = None
        return make_denial(order, reason, message, now_ns)

    def denial_counts(self):
        """Return how many orders each reason denied.

        Returns
        -------
        dict[str, int]
            Every reason code, including those at 0.
        """
        return denial_counts_by_code(self._denial_counts)

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
            publish_state_change(self.bus, state, previous, reason, source, canceled, now_ns)
        return canceled

    cdef int64_t _cancel_everything(self) except -1:
        # Halted while checking an order: that order is denied by the check; cancel the rest.
        return cancel_open_orders(self.exec_engine, self.cache, self._checking_order)

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

    cpdef object check_triggers(self):
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
        held = positions_held_on(name, self.portfolio, self.cache)
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
