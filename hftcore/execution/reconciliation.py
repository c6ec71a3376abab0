"""Reconciliation after a reconnect: compare what a venue reports with the cache.

While the connection was down, reports may have been lost. The execution client asks the venue
for its open orders (and, where it can, the recent fills and the final state of orders it asked
about), turns the answers into :class:`VenueOrderReport` and :class:`VenueFillReport`, and calls
:meth:`ExecutionEngine.reconcile`. :func:`plan_reconciliation` works out the corrections, as the
same events a live report would have produced:

1. Each fill report not yet applied to its order: ``OrderFilled``.
2. Each venue order matched to a cache order (by client order id, else venue order id):

   * filled more at the venue than the cache knows after step 1: an ``OrderFilled`` for the
     difference, with the trade id ``RECON-<venue order id>-<venue filled lots>`` (so a second
     reconciliation does not apply it again) at the venue's average price;
   * still SUBMITTED in the cache but open at the venue: ``OrderAccepted``;
   * open at the venue with another price or quantity: ``OrderUpdated``;
   * final at the venue: ``OrderCanceled``, ``OrderExpired`` or ``OrderRejected``.

3. Each open cache order of the venue that the venue did not report (and that is not filled by
   step 1): ``OrderCanceled`` -- the venue no longer has it.

Orders the cache changed after the snapshot was taken (``ts_last > ts_snapshot_ns``) are still
in flight and left alone; orders held back by the rate limiter (INITIALIZED) were never sent.
Venue orders and fills that match no cache order are returned, not guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hftcore.cache import Cache
from hftcore.model.enums import LiquiditySide, OrderStatus, Side
from hftcore.model.identifiers import ClientOrderId, InstrumentId, TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order import Order
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)

OPEN_STATUSES = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED})
"""Venue statuses of an order that is still working."""
RECONCILED_TRADE_PREFIX = "RECON"
"""Trade ids of fills the venue's filled quantity implies but no fill report showed."""
REJECTED_REASON = "reconciled: the venue reports the order rejected"
"""``OrderRejected.reason`` of a rejection found by reconciliation."""


@dataclass(frozen=True, slots=True)
class VenueOrderReport:
    """One order as the venue reports it (open orders, or an order-status query).

    Parameters
    ----------
    instrument_id : InstrumentId
        The order's instrument.
    venue_order_id : VenueOrderId
        The venue's id of the order.
    client_order_id : ClientOrderId or None
        Our id, when the venue echoes one (None for orders placed elsewhere).
    side : Side
        BUY or SELL.
    price_ticks : int
        Limit price in ticks (0 for a market order).
    quantity_lots : int
        Order quantity in lots.
    filled_lots : int
        Quantity filled so far, lots.
    status : OrderStatus
        ACCEPTED or PARTIALLY_FILLED (open), or FILLED, CANCELED, EXPIRED, REJECTED (final).
    avg_price_ticks : int, default 0
        Average fill price in ticks when the venue gives it; 0 when unknown.
    ts_event : int, default 0
        Venue time of the order's last change, UNIX ns (0 when unknown).
    """

    instrument_id: InstrumentId
    venue_order_id: VenueOrderId
    client_order_id: ClientOrderId | None
    side: Side
    price_ticks: int
    quantity_lots: int
    filled_lots: int
    status: OrderStatus
    avg_price_ticks: int = 0
    ts_event: int = 0


@dataclass(frozen=True, slots=True)
class VenueFillReport:
    """One fill as the venue reports it (trade history).

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument traded.
    venue_order_id : VenueOrderId
        The venue's id of the order filled.
    client_order_id : ClientOrderId or None
        Our id of the order, when the venue gives it.
    trade_id : TradeId
        The venue's id of the fill.
    last_price_ticks : int
        Fill price in ticks.
    last_qty_lots : int
        Fill quantity in lots.
    liquidity_side : LiquiditySide
        MAKER, TAKER or NO_LIQUIDITY_SIDE.
    fee : Money
        Fee of the fill (negative for a rebate).
    ts_event : int
        Venue time of the fill, UNIX ns.
    """

    instrument_id: InstrumentId
    venue_order_id: VenueOrderId
    client_order_id: ClientOrderId | None
    trade_id: TradeId
    last_price_ticks: int
    last_qty_lots: int
    liquidity_side: LiquiditySide
    fee: Money
    ts_event: int


@dataclass(slots=True)
class ReconciliationResult:
    """What a reconciliation found and the corrections it made.

    Attributes
    ----------
    venue : Venue
        The venue reconciled.
    events : list of OrderEvent
        Corrections, in the order they are applied.
    unknown_orders : list of VenueOrderReport
        Venue orders matching no cache order (placed by hand, by another process, or by an
        earlier run of this one: ``ClientOrderIdGenerator.is_own`` tells).
    unknown_fills : list of VenueFillReport
        Venue fills matching no cache order.
    closed_but_open : list of Order
        Cache orders already final that the venue still reports open (e.g. a send that timed
        out here but reached the venue): they need a cancel at the venue.
    unpriced : list of VenueOrderReport
        Venue orders filled more than the cache knows, with no price to book the difference at.
    in_flight : list of Order
        Cache orders changed after the snapshot; not judged.
    checked_ids : list of ClientOrderId
        Cache orders compared with the venue.
    """

    venue: Venue
    events: list[OrderEvent] = field(default_factory=list)
    unknown_orders: list[VenueOrderReport] = field(default_factory=list)
    unknown_fills: list[VenueFillReport] = field(default_factory=list)
    closed_but_open: list[Order] = field(default_factory=list)
    unpriced: list[VenueOrderReport] = field(default_factory=list)
    in_flight: list[Order] = field(default_factory=list)
    checked_ids: list[ClientOrderId] = field(default_factory=list)


def plan_reconciliation(
    cache: Cache,
    venue: Venue,
    orders: Iterable[VenueOrderReport],
    fills: Iterable[VenueFillReport],
    *,
    has_fill: Callable[[ClientOrderId, TradeId], bool],
    ts_recv_ns: int,
    ts_snapshot_ns: int,
) -> ReconciliationResult:
    """Work out the events that bring the cache in line with the venue's reports.

    Nothing is changed here; :meth:`ExecutionEngine.reconcile` applies the events.

    Parameters
    ----------
    cache : Cache
        The node's cache.
    venue : Venue
        The venue reconciled; ``orders`` must list every open order it has.
    orders : iterable of VenueOrderReport
        The venue's open orders, plus closed orders it reported on request.
    fills : iterable of VenueFillReport
        The venue's fills since the connection was lost.
    has_fill : callable
        ``has_fill(client_order_id, trade_id)``: whether the engine applied that fill.
    ts_recv_ns : int
        Local time of the reconciliation, UNIX ns (``ts_recv`` of the events).
    ts_snapshot_ns : int
        Local time the venue's answers describe, UNIX ns.

    Returns
    -------
    ReconciliationResult
    """
    plan = _Plan(cache, venue, has_fill, ts_recv_ns, ts_snapshot_ns)
    for fill in sorted(fills, key=lambda f: f.ts_event):
        plan.add_fill(fill)
    for report in orders:
        plan.add_order(report)
    plan.cancel_missing()
    return plan.result


class _Plan:
    """Working state of one reconciliation: the planned filled quantity of each order."""

    def __init__(
        self,
        cache: Cache,
        venue: Venue,
        has_fill: Callable[[ClientOrderId, TradeId], bool],
        ts_recv_ns: int,
        ts_snapshot_ns: int,
    ) -> None:
        self.cache = cache
        self.venue = venue
        self.has_fill = has_fill
        self.ts_recv_ns = ts_recv_ns
        self.ts_snapshot_ns = ts_snapshot_ns
        self.result = ReconciliationResult(venue)
        self.filled_lots: dict[ClientOrderId, int] = {}
        self.planned_trades: set[tuple[ClientOrderId, TradeId]] = set()
        self.reported: set[ClientOrderId] = set()
        self.noted: set[ClientOrderId] = set()

    def resolve(
        self, client_order_id: ClientOrderId | None, venue_order_id: VenueOrderId
    ) -> Order | None:
        order = None if client_order_id is None else self.cache.order(client_order_id)
        if order is None:
            order = self.cache.order_by_venue_id(venue_order_id)
        if order is None or order.instrument_id.venue != self.venue:
            return None
        return order

    def note(self, order: Order) -> bool:
        """Record that ``order`` was compared; return False if it changed after the snapshot."""
        is_settled = order.ts_last <= self.ts_snapshot_ns
        if order.client_order_id not in self.noted:
            self.noted.add(order.client_order_id)
            if is_settled:
                self.result.checked_ids.append(order.client_order_id)
            else:
                self.result.in_flight.append(order)
        return is_settled

    def planned_filled(self, order: Order) -> int:
        return self.filled_lots.get(order.client_order_id, order.filled_lots)

    def add_fill(self, fill: VenueFillReport) -> None:
        # Fills are facts: applied whatever the order's state (the engine keeps it legal).
        order = self.resolve(fill.client_order_id, fill.venue_order_id)
        if order is None:
            self.result.unknown_fills.append(fill)
            return
        self.note(order)
        key = (order.client_order_id, fill.trade_id)
        if key in self.planned_trades or self.has_fill(*key):
            return
        self.planned_trades.add(key)
        self.filled_lots[order.client_order_id] = self.planned_filled(order) + fill.last_qty_lots
        self.result.events.append(
            OrderFilled(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                fill.venue_order_id,
                fill.trade_id,
                order.side,
                fill.last_price_ticks,
                fill.last_qty_lots,
                fill.liquidity_side,
                fill.fee,
                fill.ts_event,
                self.ts_recv_ns,
            )
        )

    def add_order(self, report: VenueOrderReport) -> None:
        order = self.resolve(report.client_order_id, report.venue_order_id)
        if order is None:
            self.result.unknown_orders.append(report)
            return
        self.reported.add(order.client_order_id)
        if not self.note(order) or order.status == OrderStatus.INITIALIZED:
            return
        is_open_at_venue = report.status in OPEN_STATUSES
        if order.is_closed:
            if is_open_at_venue:
                self.result.closed_but_open.append(order)
            return
        ts_event = report.ts_event or self.ts_recv_ns
        self.add_missing_fill(order, report, ts_event)
        ids = (order.strategy_id, order.instrument_id, order.client_order_id)
        if is_open_at_venue:
            if order.status == OrderStatus.SUBMITTED:
                self.result.events.append(
                    OrderAccepted(*ids, report.venue_order_id, ts_event, self.ts_recv_ns)
                )
            if (report.price_ticks, report.quantity_lots) != (
                order.price_ticks,
                order.quantity_lots,
            ):
                self.result.events.append(
                    OrderUpdated(
                        *ids,
                        report.venue_order_id,
                        report.price_ticks,
                        report.quantity_lots,
                        ts_event,
                        self.ts_recv_ns,
                    )
                )
        elif report.status == OrderStatus.CANCELED:
            self.result.events.append(OrderCanceled(*ids, ts_event, self.ts_recv_ns))
        elif report.status == OrderStatus.EXPIRED:
            self.result.events.append(OrderExpired(*ids, ts_event, self.ts_recv_ns))
        elif report.status == OrderStatus.REJECTED:
            self.result.events.append(
                OrderRejected(*ids, REJECTED_REASON, ts_event, self.ts_recv_ns)
            )

    def add_missing_fill(self, order: Order, report: VenueOrderReport, ts_event: int) -> None:
        missing_lots = report.filled_lots - self.planned_filled(order)
        if missing_lots <= 0:
            return
        price_ticks = report.avg_price_ticks or report.price_ticks or order.price_ticks
        if price_ticks <= 0:
            self.result.unpriced.append(report)
            return
        trade_id = TradeId(
            f"{RECONCILED_TRADE_PREFIX}-{report.venue_order_id.value}-{report.filled_lots}"
        )
        if self.has_fill(order.client_order_id, trade_id):
            return
        self.filled_lots[order.client_order_id] = report.filled_lots
        quote = self.cache.instrument(order.instrument_id).quote
        self.result.events.append(
            OrderFilled(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                report.venue_order_id,
                trade_id,
                order.side,
                price_ticks,
                missing_lots,
                LiquiditySide.NO_LIQUIDITY_SIDE,
                Money(0, 0, quote),
                ts_event,
                self.ts_recv_ns,
            )
        )

    def cancel_missing(self) -> None:
        for order in self.cache.open_orders():
            if (
                order.instrument_id.venue != self.venue
                or order.client_order_id in self.reported
                or order.status == OrderStatus.INITIALIZED
                or not self.note(order)
                or self.planned_filled(order) >= order.quantity_lots
            ):
                continue
            self.result.events.append(
                OrderCanceled(
                    order.strategy_id,
                    order.instrument_id,
                    order.client_order_id,
                    self.ts_recv_ns,
                    self.ts_recv_ns,
                )
            )
