"""The execution engine (OMS): orders from strategies to venues, reports from venues back.

Commands (from strategies, through the node)::

    submit_order -> Order (client order id) -> cache -> risk_engine.check_order
        denied:   DENIED, OrderDenied published
        approved: rate limiter -> SUBMITTED, OrderSubmitted published -> client.submit_order
    cancel_order -> PENDING_CANCEL -> rate limiter -> client.cancel_order
    modify_order -> risk_engine.check_modify(order, price_ticks, quantity_lots)
        denied:   order unchanged (still live), OrderDenied published, nothing sent
        approved: PENDING_UPDATE -> rate limiter -> client.modify_order
    cancel_all_orders -> PENDING_CANCEL each -> client.cancel_all_orders per instrument

Reports (from execution clients) go through :meth:`ExecutionEngine.process`: the order state
machine (``order_fsm``) moves the order, fills are applied to it, the cache is updated and the
event is published on the owning strategy's order topic. Reports are idempotent and may arrive
out of order:

* a fill whose trade id was already applied, an accept of an accepted order, a cancel of a
  canceled order: ignored, ``duplicate_report_count``;
* a fill before the accept moves SUBMITTED -> PARTIALLY_FILLED/FILLED; the accept that follows
  only records the venue order id (``out_of_order_report_count``);
* a cancel or expiry after the fill: ignored (``late_report_count``); a new fill after a cancel
  is applied to the order's filled quantity and published (the trade happened) while the status
  stays final, and the order is flagged for reconciliation;
* a fill past the order quantity is never applied (``overfill_report_count``, flagged);
* a report that is impossible in the order's state is counted, logged and flagged, never
  raised into the engine.

Rate limiting: a venue's :class:`~hftcore.execution.rate_limiter.RateLimiter` (the client's
``rate_limiter`` attribute, or :meth:`ExecutionEngine.set_rate_limiter`) is asked before each
request. When it cannot admit a request now, cancels wait in an urgent queue (sent first),
modifies and new orders in a normal queue; a clock alert drains the queues when the limiter
allows. A new order that would wait longer than ``max_rate_limit_wait_ns``, or find
``max_queued_orders`` orders already waiting, is denied with reason ``RATE_LIMITED``: nothing is
sent into a certain 429. A held order stays INITIALIZED; canceling it cancels it locally.
"""

import logging
from functools import partial

cimport cython
from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus, TopicHandle
from hftcore.bus.topics cimport topic_for
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.execution.client_order_id cimport MAX_TAG_LENGTH, ClientOrderIdGenerator
from hftcore.execution.order_fsm cimport is_final_c, is_legal_c, transition
from hftcore.execution.rate_limiter cimport RateEndpoint, RateLimiter
from hftcore.execution.venue_channel cimport CommandKind, VenueChannel, _Command
from hftcore.model.enums cimport OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers cimport InstrumentId, StrategyId, Venue
from hftcore.model.order cimport Order
from hftcore.execution.pre_trade cimport PreTradeRisk
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)

from hftcore.errors import ConfigError, InvalidOrderError
from hftcore.execution.venue_channel import ENDPOINT_NAMES
from hftcore.model.enums import OrderStatus as PyOrderStatus

log = logging.getLogger(__name__)

ORDER_TOPIC_KIND = "order"
"""First part of every order topic: ``order.strategy.<strategy id>``."""
DEFAULT_MAX_RATE_LIMIT_WAIT_NS = 100_000_000
"""New orders that would wait longer than 100 ms for the rate limiter are denied."""
DEFAULT_MAX_QUEUED_ORDERS = 100
"""New orders that may wait for the rate limiter per venue by default."""
RATE_LIMITED = "RATE_LIMITED"
"""``OrderDenied.reason_code`` of an order the rate limiter could not admit in time."""
RISK_CHECK_FAILED = "RISK_CHECK_FAILED"
"""``OrderDenied.reason_code`` of an order whose risk check raised (fail closed)."""


# -- ENGINE ------------------------------------------------------------------------------------

@cython.final
cdef class ExecutionEngine:
    """The order management system of one trading node.

    Parameters
    ----------
    clock : Clock
        The node clock (``TestClock`` in backtests, ``LiveClock`` live).
    bus : MessageBus
        Where order events are published, on :meth:`order_topic` of the owning strategy.
    cache : Cache
        Holds every order; the engine adds them and keeps the open-order index current.
    risk_engine : RiskEngine, optional
        ``check_order(order) -> OrderDenied | None``, asked before every order is sent, and
        ``check_modify(order, price_ticks, quantity_lots)`` before every modify (see
        :meth:`set_risk_engine`).
    max_rate_limit_wait_ns : int, default 100 ms
        A new order the rate limiter would hold longer is denied (``RATE_LIMITED``), ns, >= 0.
    max_queued_orders : int, default 100
        New orders that may wait for the rate limiter per venue, >= 0.

    Raises
    ------
    ConfigError
        If a limit is invalid.
    TypeError
        If ``risk_engine`` has no ``check_order`` method.

    Notes
    -----
    Client order ids are ``<strategy id><boot><counter>`` (see
    :mod:`hftcore.execution.client_order_id`): the strategy id is the tag, so it must be 1..16
    ASCII letters and digits (``StrategyConfig`` allows 8), and the boot time is the clock's time
    when the engine was created, so a backtest makes the same ids on every run.
    """

    def __init__(
        self,
        Clock clock not None,
        MessageBus bus not None,
        Cache cache not None,
        risk_engine=None,
        int64_t max_rate_limit_wait_ns=DEFAULT_MAX_RATE_LIMIT_WAIT_NS,
        int64_t max_queued_orders=DEFAULT_MAX_QUEUED_ORDERS,
    ):
        if max_rate_limit_wait_ns < 0:
            raise ConfigError(
                f"ExecutionEngine.max_rate_limit_wait_ns: expected >= 0, "
                f"got {max_rate_limit_wait_ns}"
            )
        if max_queued_orders < 0:
            raise ConfigError(
                f"ExecutionEngine.max_queued_orders: expected >= 0, got {max_queued_orders}"
            )
        self.clock = clock
        self.bus = bus
        self.cache = cache
        self.boot_time_ns = clock.timestamp_ns()
        self.max_rate_limit_wait_ns = max_rate_limit_wait_ns
        self.max_queued_orders = max_queued_orders
        self._channels = {}
        self._id_generators = {}
        self._topic_handles = {}
        self._trade_ids = {}
        self._needs_reconciliation = set()
        self.set_risk_engine(risk_engine)

    def __repr__(self):
        return (
            f"ExecutionEngine(venues={[v.value for v in self._channels]}, "
            f"risk_engine={type(self.risk_engine).__name__})"
        )

    # -- CONFIGURATION -------------------------------------------------------------------------

    def register_client(self, client not None):
        """Register the execution client of one venue (``client.venue``).

        A ``client.rate_limiter`` attribute holding a ``RateLimiter`` becomes the venue's
        limiter.

        Parameters
        ----------
        client : ExecutionClient

        Raises
        ------
        ConfigError
            If a client of the same venue is registered already.
        TypeError
            If ``client.venue`` is not a Venue, a method is missing, or ``client.rate_limiter``
            is not a RateLimiter.
        """
        cdef object venue = getattr(client, "venue", None)
        if not isinstance(venue, Venue):
            raise TypeError(
                f"register_client: client.venue: expected a Venue, got {type(venue).__name__}"
            )
        if venue in self._channels:
            raise ConfigError(f"register_client: an execution client for {venue} is registered")
        for name in ENDPOINT_NAMES.values():
            if not callable(getattr(client, name, None)):
                raise TypeError(
                    f"register_client: {type(client).__name__} has no method {name}()"
                )
        cdef VenueChannel channel = VenueChannel(
            venue, client, partial(self._on_rate_limit_timer, venue)
        )
        channel.set_rate_limiter(getattr(client, "rate_limiter", None))
        self._channels[venue] = channel

    def set_rate_limiter(self, Venue venue not None, RateLimiter rate_limiter):
        """Limit the requests to ``venue`` with ``rate_limiter`` (None: no limit here).

        The engine charges its ``submit_order``, ``cancel_order``, ``modify_order`` and
        ``cancel_all_orders`` endpoints; requests whose endpoint the limiter lacks are not
        limited.

        Parameters
        ----------
        venue : Venue
        rate_limiter : RateLimiter or None

        Raises
        ------
        ConfigError
            If no client is registered for ``venue``.
        """
        self._channel(venue).set_rate_limiter(rate_limiter)

    def set_risk_engine(self, risk_engine):
        """Ask ``risk_engine`` before every order and every modify from now on (None: none).

        ``check_order(order)`` is asked before an order is sent and
        ``check_modify(order, price_ticks, quantity_lots)`` before a change of price or quantity
        is. An engine without ``check_modify`` is still asked about every modify: its
        ``check_order`` gets a temporary copy of the order with the new values (same ids and
        flags, INITIALIZED, no fills, not in the cache). The original is still open in the
        cache, so that engine counts its open quantity and reservation next to the copy's: the
        rule errs towards denying, never towards sending unchecked. Side effects of its
        ``check_order`` (reservations, rate tokens) apply to the copy's client order id, which
        is the order's.

        Parameters
        ----------
        risk_engine : RiskEngine or None

        Raises
        ------
        TypeError
            If ``risk_engine`` has no callable ``check_order``.
        """
        if risk_engine is not None and not callable(getattr(risk_engine, "check_order", None)):
            raise TypeError(
                f"set_risk_engine: {type(risk_engine).__name__} has no check_order(order) method"
            )
        self.risk_engine = risk_engine
        # A PreTradeRisk (the node's RiskEngine) is called as C; others through Python.
        self._risk = risk_engine if isinstance(risk_engine, PreTradeRisk) else None

    def channel(self, Venue venue not None):
        """Return the venue's channel (client, rate limiter, waiting requests).

        Raises
        ------
        ConfigError
            If no client is registered for ``venue``.
        """
        return self._channel(venue)

    cdef VenueChannel _channel(self, Venue venue):
        cdef VenueChannel channel = self._channels.get(venue)
        if channel is None:
            raise ConfigError(
                f"venue {venue}: no execution client registered; "
                f"registered: {sorted(v.value for v in self._channels)}"
            )
        return channel

    cpdef str order_topic(self, StrategyId strategy_id):
        """Return the bus topic the events of ``strategy_id``'s orders are published on.

        Parameters
        ----------
        strategy_id : StrategyId

        Returns
        -------
        str
            ``order.strategy.<strategy id in lowercase>``.

        Raises
        ------
        BusError
            If the strategy id contains a dot or a wildcard character.
        """
        if strategy_id is None:
            raise TypeError("order_topic: strategy_id: expected a StrategyId, got None")
        return topic_for(ORDER_TOPIC_KIND, "strategy", strategy_id.value)

    cdef TopicHandle _handle(self, StrategyId strategy_id):
        if strategy_id is self._last_topic_strategy_id:
            return self._last_topic_handle
        cdef TopicHandle handle = self._topic_handles.get(strategy_id)
        if handle is None:
            handle = self.bus.topic_handle(self.order_topic(strategy_id))
            self._topic_handles[strategy_id] = handle
        self._last_topic_strategy_id = strategy_id
        self._last_topic_handle = handle
        return handle

    cdef ClientOrderIdGenerator _id_generator(self, StrategyId strategy_id):
        cdef ClientOrderIdGenerator generator = self._last_id_generator
        if generator is not None and self._last_strategy_id is strategy_id:
            return generator
        generator = self._id_generators.get(strategy_id)
        if generator is None:
            try:
                generator = ClientOrderIdGenerator(strategy_id.value, self.boot_time_ns)
            except ConfigError:
                raise InvalidOrderError(
                    f"submit_order: strategy_id {strategy_id.value!r}: client order ids need "
                    f"1..{MAX_TAG_LENGTH} ASCII letters and digits"
                ) from None
            self._id_generators[strategy_id] = generator
        self._last_strategy_id = strategy_id
        self._last_id_generator = generator
        return generator

    def is_own_client_order_id(self, str value not None):
        """Return whether ``value`` looks like a client order id of one of our strategies.

        Ids of earlier runs match too (the boot part is not compared): reconciliation uses it
        to tell our orphaned orders from orders placed by hand or by other software.

        Parameters
        ----------
        value : str
            A client order id as a venue reports it.

        Returns
        -------
        bool
        """
        cdef ClientOrderIdGenerator generator
        for generator in self._id_generators.values():
            if generator.is_own(value):
                return True
        return False
    # -- COMMANDS ------------------------------------------------------------------------------

    cpdef Order submit_order(
        self,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        Side side,
        OrderType order_type,
        int64_t quantity_lots,
        int64_t price_ticks,
        TimeInForce time_in_force,
        bint post_only,
        bint reduce_only,
    ):
        """Create an order, check it with the risk engine and send it to its venue.

        Parameters
        ----------
        strategy_id : StrategyId
            The owning strategy; events go to its :meth:`order_topic`.
        instrument_id : InstrumentId
            An instrument of the cache whose venue has a registered client.
        side : Side
            BUY or SELL.
        order_type : OrderType
            LIMIT or MARKET.
        quantity_lots : int
            Quantity in lots, > 0.
        price_ticks : int
            Limit price in ticks, > 0 for LIMIT, 0 for MARKET.
        time_in_force : TimeInForce
            GTC, IOC, FOK or GTX.
        post_only : bool
            Only add liquidity (LIMIT with GTC or GTX).
        reduce_only : bool
            Only reduce a position.

        Returns
        -------
        Order
            The new order: SUBMITTED when sent, DENIED when the risk engine or the rate limiter
            refused it (an ``OrderDenied`` was published), INITIALIZED while it waits for the
            rate limiter, REJECTED (or later) if the client failed or reported at once.

        Raises
        ------
        InvalidOrderError
            If an id is None, no client is registered for the venue, or the order's fields are
            invalid (the message names the field and value).
        UnknownInstrumentError
            If the instrument is not in the cache.
        """
        if strategy_id is None:
            raise InvalidOrderError("submit_order: strategy_id: expected a StrategyId, got None")
        if instrument_id is None:
            raise InvalidOrderError(
                "submit_order: instrument_id: expected an InstrumentId, got None"
            )
        cdef VenueChannel channel = self._channels.get(instrument_id.venue)
        if channel is None:
            raise InvalidOrderError(
                f"submit_order: instrument_id {instrument_id}: no execution client registered "
                f"for venue {instrument_id.venue}"
            )
        self.cache.instrument(instrument_id)
        cdef int64_t now_ns = self.clock.timestamp_ns()
        cdef Order order = Order.create(
            self._id_generator(strategy_id).generate(),
            strategy_id,
            instrument_id,
            side,
            order_type,
            quantity_lots,
            price_ticks,
            time_in_force,
            post_only,
            reduce_only,
            now_ns,
        )
        self.cache.add_order(order)
        cdef object denial
        if self.risk_engine is not None:
            try:
                if self._risk is not None:
                    denial = self._risk.check_order(order)
                else:
                    denial = self.risk_engine.check_order(order)
            except Exception as exc:
                log.exception(
                    "risk check raised; order denied client_order_id=%s error=%s",
                    order.client_order_id.value,
                    type(exc).__name__,
                )
                self._deny(
                    order,
                    RISK_CHECK_FAILED,
                    f"risk engine raised {type(exc).__name__}; order denied (fail closed)",
                    now_ns,
                )
                return order
            if denial is not None:
                if type(denial) is not OrderDenied:
                    self._deny(
                        order,
                        RISK_CHECK_FAILED,
                        f"risk engine returned {type(denial).__name__}, not OrderDenied or None",
                        now_ns,
                    )
                    return order
                self._apply(order, OrderStatus.DENIED, now_ns)
                self.denied_count += 1
                self._publish(order, denial)
                return order
        cdef RateEndpoint endpoint = channel._submit_endpoint
        if endpoint is None or (
            not channel.has_queue(False)
            and channel.rate_limiter.acquire_c(endpoint, now_ns) == 0
        ):
            self._send_submit(channel, order, now_ns)
            return order
        self._dispatch(
            channel, _Command(CommandKind.SUBMIT, order, None, 0, 0, now_ns), now_ns
        )
        return order

    cpdef bint cancel_order(self, Order order) except -1:
        """Request cancellation of ``order``.

        An order held back by the rate limiter (INITIALIZED) is canceled at once, locally. A
        sent order moves to PENDING_CANCEL and the venue's answer completes it; canceling it
        again re-sends the request.

        Parameters
        ----------
        order : Order
            An order of this engine's cache.

        Returns
        -------
        bool
            False when the order was already closed (nothing done), True otherwise.

        Raises
        ------
        InvalidOrderError
            If ``order`` is None or not in the cache.
        """
        self._check_own(order, "cancel_order")
        if order.is_closed_c():
            return False
        cdef int64_t now_ns = self.clock.timestamp_ns()
        if order.status == OrderStatus.INITIALIZED:
            self._cancel_locally(order, now_ns)
            return True
        if order.status != OrderStatus.PENDING_CANCEL:
            self._apply(order, OrderStatus.PENDING_CANCEL, now_ns)
        cdef VenueChannel channel = self._channel(order.instrument_id.venue)
        if channel.rate_limiter is None:
            self._send_cancel(channel, order)
            return True
        self._dispatch(channel, _Command(CommandKind.CANCEL, order, None, 0, 0, now_ns), now_ns)
        return True

    cpdef bint modify_order(
        self, Order order, int64_t price_ticks, int64_t quantity_lots
    ) except -1:
        """Request a new price and/or quantity for ``order``.

        The risk engine checks the change first (``check_modify``; see
        :meth:`set_risk_engine` for an engine without it). Approved, a sent order moves to
        PENDING_UPDATE and the venue's ``OrderUpdated`` applies the new values; an order held
        back by the rate limiter is changed at once (it was not sent). Denied, nothing is sent
        and the order keeps its status and values (it stays live): the ``OrderDenied`` (the
        order's client order id, the check's reason code) is published on the strategy's order
        topic, so ``on_order_update`` tells the strategy why.

        Parameters
        ----------
        order : Order
            A LIMIT order of this engine's cache: SUBMITTED, ACCEPTED or PARTIALLY_FILLED.
        price_ticks : int
            New limit price in ticks, > 0.
        quantity_lots : int
            New quantity in lots, greater than the filled quantity.

        Returns
        -------
        bool
            True when the change was approved (sent, queued for the rate limiter, or applied to
            a held order); False when nothing was done: price and quantity unchanged, or the
            risk engine denied the change.

        Raises
        ------
        InvalidOrderError
            If the order is not ours, is a MARKET order, is in another status (closed, or a
            cancel or modify is pending), or a new value is out of range.
        """
        self._check_own(order, "modify_order")
        cdef str where = f"modify_order: order {order.client_order_id.value}"
        if order.order_type == OrderType.MARKET:
            raise InvalidOrderError(f"{where}: a MARKET order cannot be modified")
        if price_ticks <= 0:
            raise InvalidOrderError(f"{where}: price_ticks: expected > 0, got {price_ticks}")
        if quantity_lots <= order.filled_lots:
            raise InvalidOrderError(
                f"{where}: quantity_lots: expected > filled_lots {order.filled_lots}, "
                f"got {quantity_lots}"
            )
        cdef OrderStatus status = order.status
        if (
            status != OrderStatus.INITIALIZED
            and status != OrderStatus.SUBMITTED
            and status != OrderStatus.ACCEPTED
            and status != OrderStatus.PARTIALLY_FILLED
        ):
            raise InvalidOrderError(
                f"{where}: cannot modify in status {PyOrderStatus(status).name}; expected "
                "SUBMITTED, ACCEPTED or PARTIALLY_FILLED"
            )
        if price_ticks == order.price_ticks and quantity_lots == order.quantity_lots:
            return False
        cdef int64_t now_ns = self.clock.timestamp_ns()
        if not self._modify_approved(order, price_ticks, quantity_lots, now_ns):
            return False
        if status == OrderStatus.INITIALIZED:
            order.set_price_and_quantity(price_ticks, quantity_lots)
            return True
        self._apply(order, OrderStatus.PENDING_UPDATE, now_ns)
        cdef VenueChannel channel = self._channel(order.instrument_id.venue)
        if channel.rate_limiter is None:
            self._send_modify(channel, order, price_ticks, quantity_lots)
            return True
        self._dispatch(
            channel,
            _Command(CommandKind.MODIFY, order, None, price_ticks, quantity_lots, now_ns),
            now_ns,
        )
        return True

    cpdef int cancel_all_orders(
        self, StrategyId strategy_id=None, InstrumentId instrument_id=None
    ) except -1:
        """Cancel every open order (of one strategy and/or one instrument, or all).

        Orders held back by the rate limiter are canceled locally; the others move to
        PENDING_CANCEL and go to their client's ``cancel_all_orders``, one call per instrument
        (or one cancel each when the venue's rate limiter has no ``cancel_all_orders`` rule).

        Parameters
        ----------
        strategy_id : StrategyId, optional
            Only this strategy's orders.
        instrument_id : InstrumentId, optional
            Only this instrument's orders.

        Returns
        -------
        int
            Orders canceled or asked to cancel.
        """
        cdef int64_t now_ns = self.clock.timestamp_ns()
        cdef dict groups = {}
        cdef list group
        cdef Order order
        cdef int count = 0
        cdef VenueChannel channel
        cdef object iid
        for order in self.cache.open_orders(instrument_id):
            if (
                strategy_id is not None
                and order.strategy_id is not strategy_id
                and order.strategy_id != strategy_id
            ):
                continue
            count += 1
            if order.status == OrderStatus.INITIALIZED:
                self._cancel_locally(order, now_ns)
                continue
            if order.status != OrderStatus.PENDING_CANCEL:
                self._apply(order, OrderStatus.PENDING_CANCEL, now_ns)
            group = groups.get(order.instrument_id)
            if group is None:
                group = []
                groups[order.instrument_id] = group
            group.append(order)
        for iid, group in groups.items():
            channel = self._channel((<InstrumentId>iid).venue)
            if channel.rate_limiter is None:
                # Nothing to wait for: the orders were just made PENDING_CANCEL, none is closed.
                self._send_cancel_all(channel, group)
            elif channel._cancel_all_endpoint is None:
                for order in group:
                    self._dispatch(
                        channel, _Command(CommandKind.CANCEL, order, None, 0, 0, now_ns), now_ns
                    )
            else:
                self._dispatch(
                    channel, _Command(CommandKind.CANCEL_ALL, None, group, 0, 0, now_ns), now_ns
                )
        return count

    cdef int _check_own(self, Order order, str field) except -1:
        if order is None:
            raise InvalidOrderError(f"{field}: order: expected an Order, got None")
        if self.cache.order(order.client_order_id) is not order:
            raise InvalidOrderError(
                f"{field}: order {order.client_order_id.value} is not in this engine's cache"
            )
        return 0

    cdef int _deny(self, Order order, str reason_code, str message, int64_t now_ns) except -1:
        self._apply(order, OrderStatus.DENIED, now_ns)
        self.denied_count += 1
        self._publish(
            order,
            OrderDenied.create(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                reason_code,
                message,
                now_ns,
                now_ns,
            ),
        )
        return 0

    cdef int _cancel_locally(self, Order order, int64_t now_ns) except -1:
        self._apply(order, OrderStatus.CANCELED, now_ns)
        self.canceled_count += 1
        self._publish(
            order,
            OrderCanceled.create(
                order.strategy_id, order.instrument_id, order.client_order_id, now_ns, now_ns
            ),
        )
        return 0

    # -- RATE LIMITING -------------------------------------------------------------------------

    cdef int _dispatch(self, VenueChannel channel, _Command command, int64_t now_ns) except -1:
        cdef RateEndpoint endpoint = channel.endpoint_for(command.kind)
        if endpoint is None:
            return self._execute(channel, command, now_ns)
        cdef bint is_urgent = (
            command.kind == CommandKind.CANCEL or command.kind == CommandKind.CANCEL_ALL
        )
        cdef int64_t wait_ns
        if channel.has_queue(is_urgent):
            wait_ns = channel.rate_limiter.wait_ns(endpoint, now_ns)
        else:
            wait_ns = channel.rate_limiter.acquire_c(endpoint, now_ns)
            if wait_ns == 0:
                return self._execute(channel, command, now_ns)
        if command.kind == CommandKind.SUBMIT and (
            wait_ns > self.max_rate_limit_wait_ns
            or len(channel._normal) >= self.max_queued_orders
        ):
            self.rate_limited_count += 1
            return self._deny(
                command.order,
                RATE_LIMITED,
                f"venue {channel.venue.value}: rate limit admits the order in {wait_ns} ns "
                f"with {len(channel._normal)} orders waiting; limits "
                f"{self.max_rate_limit_wait_ns} ns, {self.max_queued_orders} orders",
                now_ns,
            )
        if is_urgent:
            channel._urgent.append(command)
        else:
            channel._normal.append(command)
        channel.queued_count += 1
        return self._arm_timer(channel, now_ns + (wait_ns if wait_ns > 0 else 1))

    cdef int _execute(self, VenueChannel channel, _Command command, int64_t now_ns) except -1:
        cdef list orders
        cdef Order order
        if command.kind == CommandKind.SUBMIT:
            return self._send_submit(channel, command.order, now_ns)
        if command.kind == CommandKind.CANCEL:
            if not command.order.is_closed_c():
                self._send_cancel(channel, command.order)
            return 0
        if command.kind == CommandKind.MODIFY:
            if command.order.status == OrderStatus.PENDING_UPDATE:
                self._send_modify(
                    channel, command.order, command.price_ticks, command.quantity_lots
                )
            return 0
        orders = [order for order in command.orders if not order.is_closed_c()]
        if orders:
            self._send_cancel_all(channel, orders)
        return 0

    cdef int _drain(self, VenueChannel channel) except -1:
        cdef int64_t now_ns = self.clock.timestamp_ns()
        cdef object queue
        cdef _Command command
        cdef RateEndpoint endpoint
        cdef int64_t wait_ns
        channel._timer_at_ns = 0
        while True:
            if channel._urgent:
                queue = channel._urgent
            elif channel._normal:
                queue = channel._normal
            else:
                return 0
            command = queue[0]
            if command.kind == CommandKind.SUBMIT:
                if command.order.status != OrderStatus.INITIALIZED:
                    queue.popleft()  # canceled while it waited
                    continue
                if now_ns - command.queued_ns > self.max_rate_limit_wait_ns:
                    queue.popleft()
                    self.rate_limited_count += 1
                    self._deny(
                        command.order,
                        RATE_LIMITED,
                        f"venue {channel.venue.value}: waited {now_ns - command.queued_ns} ns "
                        f"for the rate limit; limit {self.max_rate_limit_wait_ns} ns",
                        now_ns,
                    )
                    continue
            endpoint = channel.endpoint_for(command.kind)
            if endpoint is not None:
                wait_ns = channel.rate_limiter.acquire_c(endpoint, now_ns)
                if wait_ns > 0:
                    return self._arm_timer(channel, now_ns + wait_ns)
            queue.popleft()
            self._execute(channel, command, now_ns)

    cdef int _arm_timer(self, VenueChannel channel, int64_t at_ns) except -1:
        cdef bint is_pending = channel._timer_name in self.clock.timer_names
        if is_pending and channel._timer_at_ns <= at_ns:
            return 0
        if is_pending:
            self.clock.cancel_timer(channel._timer_name)
        self.clock.set_time_alert(channel._timer_name, at_ns, channel._timer_callback)
        channel._timer_at_ns = at_ns
        return 0

    def _on_rate_limit_timer(self, Venue venue, event):
        self._drain(self._channel(venue))

    # -- SENDING -------------------------------------------------------------------------------

    cdef int _send_submit(self, VenueChannel channel, Order order, int64_t now_ns) except -1:
        self._apply(order, OrderStatus.SUBMITTED, now_ns)
        self.submitted_count += 1
        self._publish(
            order,
            OrderSubmitted.create(
                order.strategy_id, order.instrument_id, order.client_order_id, now_ns, now_ns
            ),
        )
        try:
            channel._submit_order(order)
        except Exception as exc:
            self.send_error_count += 1
            self._needs_reconciliation.add(order.client_order_id)
            # The exception text may hold a signed URL: log and report its type only.
            log.error(
                "submit failed venue=%s client_order_id=%s error=%s",
                channel.venue.value,
                order.client_order_id.value,
                type(exc).__name__,
            )
            if order.status == OrderStatus.SUBMITTED:
                self._apply(order, OrderStatus.REJECTED, now_ns)
                self.rejected_count += 1
                self._publish(
                    order,
                    OrderRejected.create(
                        order.strategy_id,
                        order.instrument_id,
                        order.client_order_id,
                        f"send failed: {type(exc).__name__}",
                        now_ns,
                        now_ns,
                    ),
                )
        return 0

    cdef int _send_cancel(self, VenueChannel channel, Order order) except -1:
        try:
            channel._cancel_order(order)
        except Exception as exc:
            self._send_failed(channel, "cancel", [order], exc)
        return 0

    cdef int _send_modify(
        self, VenueChannel channel, Order order, int64_t price_ticks, int64_t quantity_lots
    ) except -1:
        try:
            channel._modify_order(order, price_ticks, quantity_lots)
        except Exception as exc:
            self._send_failed(channel, "modify", [order], exc)
        return 0

    cdef int _send_cancel_all(self, VenueChannel channel, list orders) except -1:
        try:
            channel._cancel_all_orders(orders)
        except Exception as exc:
            self._send_failed(channel, "cancel_all", orders, exc)
        return 0

    cdef int _send_failed(
        self, VenueChannel channel, str request, list orders, object exc
    ) except -1:
        # The order stays PENDING_*: reconciliation (or a repeated request) settles it.
        self.send_error_count += 1
        cdef Order order
        for order in orders:
            self._needs_reconciliation.add(order.client_order_id)
        log.error(
            "%s failed venue=%s orders=%d first_client_order_id=%s error=%s",
            request,
            channel.venue.value,
            len(orders),
            (<Order>orders[0]).client_order_id.value,
            type(exc).__name__,
        )
        return 0

    # -- REPORTS -------------------------------------------------------------------------------

    cpdef bint process(self, OrderEvent event) except -1:
        """Apply one order report from an execution client and publish it.

        Parameters
        ----------
        event : OrderEvent
            OrderAccepted, OrderRejected, OrderFilled, OrderUpdated, OrderCanceled or
            OrderExpired. ``OrderUpdated`` also reports a rejected modify or cancel: the
            order's values as the venue still has them, and the order returns to ACCEPTED
            (PARTIALLY_FILLED when it has fills).

        Returns
        -------
        bool
            True when the report changed the order and was published; False when it was a
            duplicate, late, out of order, impossible or for an unknown order (each counted).

        Raises
        ------
        TypeError
            If ``event`` is None, OrderSubmitted or OrderDenied (those the engine makes itself).
        """
        if event is None:
            raise TypeError("process: event: expected an OrderEvent, got None")
        cdef Order order = self.cache.order(event.client_order_id)
        if order is None:
            self.unknown_report_count += 1
            log.warning(
                "report for an unknown order client_order_id=%s event=%s",
                event.client_order_id.value,
                type(event).__name__,
            )
            return False
        cdef type kind = type(event)
        if kind is OrderFilled:
            return self._on_filled(order, <OrderFilled>event)
        if kind is OrderAccepted:
            return self._on_accepted(order, <OrderAccepted>event)
        if kind is OrderCanceled:
            return self._on_closed(order, event, OrderStatus.CANCELED)
        if kind is OrderUpdated:
            return self._on_updated(order, <OrderUpdated>event)
        if kind is OrderExpired:
            return self._on_closed(order, event, OrderStatus.EXPIRED)
        if kind is OrderRejected:
            return self._on_rejected(order, <OrderRejected>event)
        raise TypeError(
            f"process: {kind.__name__} is made by the execution engine, not reported by a venue"
        )

    cdef bint _on_accepted(self, Order order, OrderAccepted event) except -1:
        cdef OrderStatus status = order.status
        if status == OrderStatus.SUBMITTED or (
            order.venue_order_id is None
            and (status == OrderStatus.PENDING_UPDATE or status == OrderStatus.PENDING_CANCEL)
        ):
            # A cancel or modify sent before the accept keeps its pending status.
            self._set_venue_order_id(order, event.venue_order_id)
            if status == OrderStatus.SUBMITTED:
                self._apply(order, OrderStatus.ACCEPTED, event.ts_event)
            self.accepted_count += 1
            self._publish(order, event)
            return True
        if (
            status == OrderStatus.ACCEPTED
            or status == OrderStatus.PENDING_UPDATE
            or status == OrderStatus.PENDING_CANCEL
        ):
            self.duplicate_report_count += 1
            return False
        if status == OrderStatus.PARTIALLY_FILLED or status == OrderStatus.FILLED:
            self.out_of_order_report_count += 1
            self._set_venue_order_id(order, event.venue_order_id)
            return False
        if status == OrderStatus.CANCELED or status == OrderStatus.EXPIRED:
            self.late_report_count += 1
            self._set_venue_order_id(order, event.venue_order_id)
            return False
        if status == OrderStatus.REJECTED:
            # E.g. a send that timed out (REJECTED here) reached the venue after all.
            self.late_report_count += 1
            self._set_venue_order_id(order, event.venue_order_id)
            self._flag(order, "accepted by the venue after it was rejected here", event)
            return False
        self.invalid_report_count += 1
        self._flag(order, "accept for an order that was never sent", event)
        return False

    cdef bint _on_rejected(self, Order order, OrderRejected event) except -1:
        cdef OrderStatus status = order.status
        if status == OrderStatus.SUBMITTED:
            self._apply(order, OrderStatus.REJECTED, event.ts_event)
            self.rejected_count += 1
            self._publish(order, event)
            return True
        if status == OrderStatus.REJECTED:
            self.duplicate_report_count += 1
            return False
        if is_final_c(status) and status != OrderStatus.DENIED:
            self.late_report_count += 1
            return False
        self.invalid_report_count += 1
        self._flag(order, "reject of an order that is not waiting for the venue's answer", event)
        return False

    cdef bint _on_filled(self, Order order, OrderFilled event) except -1:
        cdef set trade_ids = self._trade_ids.get(order.client_order_id)
        if trade_ids is not None and event.trade_id in trade_ids:
            self.duplicate_report_count += 1
            return False
        cdef OrderStatus status = order.status
        if status == OrderStatus.INITIALIZED or status == OrderStatus.DENIED:
            self.invalid_report_count += 1
            self._flag(order, "fill for an order that was never sent", event)
            return False
        cdef int64_t leaves_lots = order.leaves_lots_c()
        if event.last_qty_lots > leaves_lots:
            self.overfill_report_count += 1
            self._flag(
                order,
                f"fill of {event.last_qty_lots} lots past the {leaves_lots} lots left; not applied",
                event,
            )
            return False
        cdef bint is_late = is_final_c(status)
        cdef OrderStatus target = (
            OrderStatus.FILLED if event.last_qty_lots == leaves_lots
            else OrderStatus.PARTIALLY_FILLED
        )
        if not is_late and not is_legal_c(status, target):
            self.invalid_report_count += 1
            self._flag(order, "fill not legal in this status", event)
            return False
        self._set_venue_order_id(order, event.venue_order_id)
        order.add_fill(event.last_qty_lots, event.last_price_ticks, event.ts_event)
        if trade_ids is None:
            trade_ids = set()
            self._trade_ids[order.client_order_id] = trade_ids
        trade_ids.add(event.trade_id)
        self.fill_count += 1
        if is_late:
            # The trade happened: apply it (positions must see it), keep the final status.
            self.late_report_count += 1
            self._flag(order, "fill after a final status; applied, status kept", event)
        else:
            transition(order, target)
            if target == OrderStatus.FILLED:
                self.cache.update_order_state(order)  # leaves the open-order index
        self._publish(order, event)
        return True

    cdef bint _on_updated(self, Order order, OrderUpdated event) except -1:
        cdef OrderStatus status = order.status
        if status == OrderStatus.INITIALIZED or status == OrderStatus.DENIED:
            self.invalid_report_count += 1
            self._flag(order, "update for an order that was never sent", event)
            return False
        if is_final_c(status):
            self.late_report_count += 1
            return False
        cdef bint is_changed = (
            event.price_ticks != order.price_ticks or event.quantity_lots != order.quantity_lots
        )
        if not is_changed and (
            status == OrderStatus.ACCEPTED or status == OrderStatus.PARTIALLY_FILLED
        ):
            self.duplicate_report_count += 1
            return False
        if is_changed:
            try:
                order.set_price_and_quantity(event.price_ticks, event.quantity_lots)
            except InvalidOrderError:
                self.invalid_report_count += 1
                self._flag(order, "update with impossible price or quantity", event)
                return False
        self._set_venue_order_id(order, event.venue_order_id)
        if order.filled_lots == order.quantity_lots:
            # The venue cut the quantity to what had filled: the order is done.
            self._apply(order, OrderStatus.FILLED, event.ts_event)
        elif (
            status == OrderStatus.SUBMITTED
            or status == OrderStatus.PENDING_UPDATE
            or status == OrderStatus.PENDING_CANCEL
        ):
            self._apply(
                order,
                OrderStatus.PARTIALLY_FILLED if order.filled_lots > 0 else OrderStatus.ACCEPTED,
                event.ts_event,
            )
        else:
            order.set_ts_last(event.ts_event)
        self.updated_count += 1
        self._publish(order, event)
        return True

    cdef bint _on_closed(self, Order order, OrderEvent event, OrderStatus target) except -1:
        cdef OrderStatus status = order.status
        if status == target:
            self.duplicate_report_count += 1
            return False
        if status == OrderStatus.INITIALIZED or status == OrderStatus.DENIED:
            self.invalid_report_count += 1
            self._flag(order, "cancel or expiry of an order that was never sent", event)
            return False
        if is_final_c(status):
            self.late_report_count += 1  # e.g. the cancel confirmation after the last fill
            return False
        self._apply(order, target, event.ts_event)
        if target == OrderStatus.CANCELED:
            self.canceled_count += 1
        else:
            self.expired_count += 1
        self._publish(order, event)
        return True

    cdef int _set_venue_order_id(self, Order order, object venue_order_id) except -1:
        if (
            venue_order_id is None
            or order.venue_order_id is venue_order_id
            or order.venue_order_id == venue_order_id
        ):
            return 0
        order.set_venue_order_id(venue_order_id)
        self.cache.index_venue_order_id(order)
        return 0

    cdef int _apply(self, Order order, OrderStatus target, int64_t ts_ns) except -1:
        cdef bint was_closed = order.is_closed_c()
        transition(order, target)
        order.set_ts_last(ts_ns)
        if was_closed or order.is_closed_c():
            # The open-order index changes only when the order closes (or, never, reopens).
            self.cache.update_order_state(order)
        return 0

    cdef int _publish(self, Order order, object event) except -1:
        return self.bus.publish_c(self._handle(order.strategy_id), event)

    cdef int _flag(self, Order order, str problem, object event) except -1:
        self._needs_reconciliation.add(order.client_order_id)
        log.warning(
            "order report needs reconciliation client_order_id=%s status=%s problem=%s event=%r",
            order.client_order_id.value,
            PyOrderStatus(order.status).name,
            problem,
            event,
        )
        return 0

    cpdef bint has_fill(self, object client_order_id, object trade_id):
        """Return whether the fill ``trade_id`` of ``client_order_id`` was applied.

        Parameters
        ----------
        client_order_id : ClientOrderId
        trade_id : TradeId

        Returns
        -------
        bool
        """
        cdef set trade_ids = self._trade_ids.get(client_order_id)
        return trade_ids is not None and trade_id in trade_ids

    # -- RECONCILIATION ------------------------------------------------------------------------

    def needs_reconciliation(self):
        """Return the ids of orders whose reports did not fit their state, oldest flag first.

        Returns
        -------
        list[ClientOrderId]
        """
        return sorted(self._needs_reconciliation, key=lambda cid: cid.value)

    def reconcile(self, Venue venue not None, orders, fills=(), ts_snapshot_ns=None):
        """Bring the cache in line with what ``venue`` reports after a reconnect.

        Corrections are made as events and applied through :meth:`process` (so they are
        published like live reports): missing fills as ``OrderFilled``, lost accepts as
        ``OrderAccepted``, changed price or quantity as ``OrderUpdated``, final venue states as
        ``OrderCanceled`` / ``OrderExpired`` / ``OrderRejected``, and open orders of the cache
        that the venue no longer has as ``OrderCanceled``. See
        :func:`hftcore.execution.reconciliation.plan_reconciliation`.

        Parameters
        ----------
        venue : Venue
            The venue reconciled.
        orders : iterable of VenueOrderReport
            The venue's open orders, and any closed orders it reported on request.
        fills : iterable of VenueFillReport, default ()
            The venue's fills since the connection was lost.
        ts_snapshot_ns : int, optional
            Local clock time the venue's answers describe; orders changed after it are left
            alone (still in flight). Default: now.

        Returns
        -------
        ReconciliationResult
            The corrections applied and what could not be matched.
        """
        from hftcore.execution.reconciliation import plan_reconciliation

        cdef int64_t now_ns = self.clock.timestamp_ns()
        result = plan_reconciliation(
            self.cache,
            venue,
            orders,
            fills,
            has_fill=(<object>self).has_fill,
            ts_recv_ns=now_ns,
            ts_snapshot_ns=now_ns if ts_snapshot_ns is None else ts_snapshot_ns,
        )
        for event in result.events:
            self.process(event)
        for cid in result.checked_ids:
            self._needs_reconciliation.discard(cid)
        for report in result.unknown_orders:
            log.warning(
                "venue order unknown to the cache venue=%s venue_order_id=%s "
                "client_order_id=%s own_format=%s",
                venue.value,
                report.venue_order_id,
                report.client_order_id,
                self.is_own_client_order_id(str(report.client_order_id or "")),
            )
        for fill in result.unknown_fills:
            log.warning(
                "venue fill of an order unknown to the cache venue=%s venue_order_id=%s "
                "trade_id=%s",
                venue.value,
                fill.venue_order_id,
                fill.trade_id,
            )
        for order in result.closed_but_open:
            log.error(
                "venue has an open order the cache holds closed venue=%s client_order_id=%s",
                venue.value,
                order.client_order_id.value,
            )
        return result

    # -- COUNTERS ------------------------------------------------------------------------------

    def counters(self):
        """Return every counter by name (for metrics).

        Returns
        -------
        dict[str, int]
        """
        return {
            "submitted_count": self.submitted_count,
            "denied_count": self.denied_count,
            "rate_limited_count": self.rate_limited_count,
            "accepted_count": self.accepted_count,
            "rejected_count": self.rejected_count,
            "fill_count": self.fill_count,
            "canceled_count": self.canceled_count,
            "expired_count": self.expired_count,
            "updated_count": self.updated_count,
            "duplicate_report_count": self.duplicate_report_count,
            "out_of_order_report_count": self.out_of_order_report_count,
            "late_report_count": self.late_report_count,
            "invalid_report_count": self.invalid_report_count,
            "overfill_report_count": self.overfill_report_count,
            "unknown_report_count": self.unknown_report_count,
            "send_error_count": self.send_error_count,
        }

    # -- RISK OF A MODIFY ----------------------------------------------------------------------

    cdef bint _modify_approved(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, int64_t now_ns
    ) except -1:
        # Ask the risk engine about a change; denied, publish why and leave the order as it is.
        cdef object risk_engine = self.risk_engine
        cdef object denial
        if risk_engine is None:
            return True
        cdef object check_modify = None
        if self._risk is None:
            check_modify = getattr(risk_engine, "check_modify", None)
        try:
            if self._risk is not None:
                denial = self._risk.check_modify(order, price_ticks, quantity_lots)
            elif check_modify is not None:
                denial = check_modify(order, price_ticks, quantity_lots)
            else:
                denial = risk_engine.check_order(
                    Order(
                        order.client_order_id,
                        order.strategy_id,
                        order.instrument_id,
                        order.side,
                        order.order_type,
                        quantity_lots,
                        price_ticks,
                        order.time_in_force,
                        order.is_post_only,
                        order.is_reduce_only,
                        now_ns,
                    )
                )
        except Exception as exc:
            log.exception(
                "risk check of a modify raised; modify denied client_order_id=%s error=%s",
                order.client_order_id.value,
                type(exc).__name__,
            )
            denial = self._modify_denial(
                order, f"risk engine raised {type(exc).__name__}", now_ns
            )
        else:
            if denial is None:
                return True
            if type(denial) is not OrderDenied:
                denial = self._modify_denial(
                    order,
                    f"risk engine returned {type(denial).__name__}, not OrderDenied or None",
                    now_ns,
                )
        self.denied_count += 1
        self._publish(order, denial)
        return False

    cdef OrderDenied _modify_denial(self, Order order, str problem, int64_t now_ns):
        return OrderDenied.create(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            RISK_CHECK_FAILED,
            f"{problem}; modify denied (fail closed), the order stays as it was",
            now_ns,
            now_ns,
        )
