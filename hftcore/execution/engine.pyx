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

The engine is split by job into a chain of base classes: ``oms_state.OmsState`` (components,
counters, ids, bookkeeping), ``report_processor.ReportProcessor`` (venue reports),
``request_sender.RequestSender`` (rate limiting and sending), and ``ExecutionEngine`` here (the
commands and the risk check of a modify).
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.execution.rate_limiter cimport RateEndpoint
from hftcore.execution.request_sender cimport RequestSender
from hftcore.execution.venue_channel cimport CommandKind, VenueChannel, _Command
from hftcore.model.enums cimport OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers cimport InstrumentId, StrategyId
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied

import logging

from hftcore.errors import InvalidOrderError
from hftcore.execution.request_sender import RATE_LIMITED
from hftcore.model.enums import OrderStatus as PyOrderStatus

log = logging.getLogger(__name__)

__all__ = ["RATE_LIMITED", "RISK_CHECK_FAILED", "ExecutionEngine"]

RISK_CHECK_FAILED = "RISK_CHECK_FAILED"
"""``OrderDenied.reason_code`` of an order whose risk check raised (fail closed)."""


# -- ENGINE ------------------------------------------------------------------------------------

@cython.final
cdef class ExecutionEngine(RequestSender):
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

    def __repr__(self):
        return (
            f"ExecutionEngine(venues={[v.value for v in self._channels]}, "
            f"risk_engine={type(self.risk_engine).__name__})"
        )

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
        # The cache's own id object: every lookup by the order's instrument id (cache, risk,
        # portfolio) then matches its key by identity, without an equality call.
        instrument_id = self.cache.instrument(instrument_id).id
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
        # Messages are built only on failure: this runs for every modify.
        if order.order_type == OrderType.MARKET:
            raise InvalidOrderError(
                f"modify_order: order {order.client_order_id.value}: a MARKET order cannot be "
                "modified"
            )
        if price_ticks <= 0:
            raise InvalidOrderError(
                f"modify_order: order {order.client_order_id.value}: price_ticks: expected > 0, "
                f"got {price_ticks}"
            )
        if quantity_lots <= order.filled_lots:
            raise InvalidOrderError(
                f"modify_order: order {order.client_order_id.value}: quantity_lots: expected > "
                f"filled_lots {order.filled_lots}, got {quantity_lots}"
            )
        cdef OrderStatus status = order.status
        if (
            status != OrderStatus.INITIALIZED
            and status != OrderStatus.SUBMITTED
            and status != OrderStatus.ACCEPTED
            and status != OrderStatus.PARTIALLY_FILLED
        ):
            raise InvalidOrderError(
                f"modify_order: order {order.client_order_id.value}: cannot modify in status "
                f"{PyOrderStatus(status).name}; expected SUBMITTED, ACCEPTED or PARTIALLY_FILLED"
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
        cdef list groups = []
        cdef list group = None
        cdef InstrumentId group_instrument_id = None
        cdef Order order
        cdef int count = 0
        cdef VenueChannel channel
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
            # The cache lists open orders instrument by instrument: a group is a run.
            if group is None or (
                order.instrument_id is not group_instrument_id
                and order.instrument_id != group_instrument_id
            ):
                group = []
                group_instrument_id = order.instrument_id
                groups.append(group)
            group.append(order)
        for group in groups:
            channel = self._channel((<Order>group[0]).instrument_id.venue)
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
