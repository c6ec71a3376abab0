"""Venue reports into the order state: ``ReportProcessor``, a base of the execution engine.

Reports (from execution clients) go through :meth:`ReportProcessor.process`: the order state
machine (``order_fsm``) moves the order, fills are applied to it, the cache is updated and the
event is published on the owning strategy's order topic. Reports are idempotent and may arrive
out of order; :mod:`hftcore.execution.engine` lists how each kind of surprise is counted.
"""

import logging

from libc.stdint cimport int64_t

from hftcore.execution.oms_state cimport OmsState
from hftcore.execution.order_fsm cimport is_final_c, is_legal_c, transition
from hftcore.model.enums cimport OrderStatus
from hftcore.model.identifiers cimport Venue
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)

from hftcore.errors import InvalidOrderError

log = logging.getLogger(__name__)


# -- REPORT PROCESSOR --------------------------------------------------------------------------

cdef class ReportProcessor(OmsState):
    """Applies venue reports to orders; a base of ``ExecutionEngine``, not used alone."""

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
        if self._has_trade(order.client_order_id, event.trade_id):
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
        self._add_trade(order.client_order_id, event.trade_id)
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
        if venue_order_id is None or order.venue_order_id is venue_order_id or (
            order.venue_order_id is not None and order.venue_order_id == venue_order_id
        ):
            return 0
        order.set_venue_order_id(venue_order_id)
        self.cache.index_venue_order_id(order)
        return 0

    # -- RECONCILIATION ------------------------------------------------------------------------

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
