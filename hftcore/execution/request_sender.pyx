"""Requests to the venues: rate limiting, queues and sending (``RequestSender``).

A base of :class:`~hftcore.execution.engine.ExecutionEngine`. A venue's
:class:`~hftcore.execution.rate_limiter.RateLimiter` (the client's ``rate_limiter`` attribute, or
``set_rate_limiter``) is asked before each request. When it cannot admit a request now, cancels
wait in an urgent queue (sent first), modifies and new orders in a normal queue; a clock alert
drains the queues when the limiter allows. A new order that would wait longer than
``max_rate_limit_wait_ns``, or find ``max_queued_orders`` orders already waiting, is denied with
reason ``RATE_LIMITED``. A request the client raises on is counted, logged by type only (the
text may hold a signed URL) and flagged for reconciliation.
"""

import logging
from functools import partial

from libc.stdint cimport int64_t

from hftcore.execution.rate_limiter cimport RateEndpoint, RateLimiter
from hftcore.execution.report_processor cimport ReportProcessor
from hftcore.execution.venue_channel cimport CommandKind, VenueChannel, _Command
from hftcore.model.enums cimport OrderStatus
from hftcore.model.identifiers cimport Venue
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderRejected, OrderSubmitted

from hftcore.errors import ConfigError
from hftcore.execution.venue_channel import ENDPOINT_NAMES

log = logging.getLogger(__name__)

RATE_LIMITED = "RATE_LIMITED"
"""``OrderDenied.reason_code`` of an order the rate limiter could not admit in time."""


# -- REQUESTS ----------------------------------------------------------------------------------

cdef class RequestSender(ReportProcessor):
    """Sends requests to the venues' clients; a base of ``ExecutionEngine``, not used alone."""

    # -- CLIENTS -------------------------------------------------------------------------------

    def register_client(self, client not None):
        """Register the execution client of one venue (``client.venue``).

        A ``client.rate_limiter`` attribute holding a ``RateLimiter`` becomes the venue's
        limiter. The client's four request methods are bound here, once: methods replaced on
        the client later are not called.

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
