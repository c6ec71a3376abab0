"""A trading node for strategy tests: real engines, a recording venue double per venue.

Books go in through ``node.data_engine.process``; what the strategy sends is read from each
venue's `RecordingClient`; venue answers (accept, fill, cancel, expire) go back in through
``node.exec_engine.process`` with the helpers below.
"""

from hftcore.model.enums import Environment, LiquiditySide
from hftcore.model.identifiers import TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderUpdated,
)
from hftcore.node.interfaces import ExecutionClient
from hftcore.node.node import TradingNode
from tests.builders.events import TS_EVENT, make_book_snapshot


class RecordingClient(ExecutionClient):
    """Venue double: records what the OMS sends it and answers nothing by itself.

    ``requests`` holds every request in the order sent: ``("submit", order, price_ticks,
    quantity_lots)``, ``("modify", order, price_ticks, quantity_lots)`` or ``("cancel", order,
    None, None)``.
    """

    def __init__(self, venue: str) -> None:
        self.venue = Venue(venue)
        self.submitted = []
        self.canceled = []
        self.modified = []
        self.requests = []

    def submit_order(self, order) -> None:
        self.submitted.append(order)
        self.requests.append(("submit", order, order.price_ticks, order.quantity_lots))

    def cancel_order(self, order) -> None:
        self.canceled.append(order)
        self.requests.append(("cancel", order, None, None))

    def modify_order(self, order, price_ticks, quantity_lots) -> None:
        self.modified.append((order, price_ticks, quantity_lots))
        self.requests.append(("modify", order, price_ticks, quantity_lots))


def make_node(instruments, strategy, start_ns: int = TS_EVENT, portfolio=None) -> TradingNode:
    """Return a started backtest node holding ``instruments`` and running ``strategy``.

    Parameters
    ----------
    instruments : iterable of Instrument
        Every instrument the test uses; one `RecordingClient` is added per venue.
    strategy : Strategy
        The strategy under test.
    start_ns : int
        Clock time at start, UNIX ns.
    portfolio : Portfolio, optional
        A shadow ledger to register with the node before the strategy is added.

    Returns
    -------
    TradingNode
    """
    node = TradingNode(Environment.BACKTEST)
    node.clock.set_time(start_ns)
    for instrument in instruments:
        node.add_instrument(instrument)
        venue = instrument.id.venue.value
        if venue not in node.exec_clients:
            node.add_execution_client(RecordingClient(venue))
    if portfolio is not None:
        portfolio.register(node)
        node.portfolio = portfolio
    node.add_strategy(strategy)
    node.start()
    return node


def submitted(node, venue: str = "BINANCE") -> list:
    """Return the orders sent to ``venue``, oldest first."""
    return node.exec_clients[venue].submitted


def canceled(node, venue: str = "BINANCE") -> list:
    """Return the orders whose cancellation was requested at ``venue``, oldest first."""
    return node.exec_clients[venue].canceled


def modified(node, venue: str = "BINANCE") -> list:
    """Return the ``(order, price_ticks, quantity_lots)`` amends sent to ``venue``, oldest
    first."""
    return node.exec_clients[venue].modified


def quoted_prices(node, venue: str = "BINANCE") -> dict:
    """Return the newest price, ticks, requested per side at ``venue`` by a new order or an
    amend (``{Side.BUY: ..., Side.SELL: ...}``)."""
    prices = {}
    for kind, order, price_ticks, _ in node.exec_clients[venue].requests:
        if kind != "cancel":
            prices[order.side] = price_ticks
    return prices


def updated(node, order, price_ticks=None, quantity_lots=None) -> None:
    """Report that the venue applied an amend of ``order`` (its newest one by default)."""
    change = next(
        (price, quantity)
        for sent, price, quantity in reversed(
            node.exec_clients[order.instrument_id.venue.value].modified
        )
        if sent is order
    )
    node.exec_engine.process(
        OrderUpdated(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            VenueOrderId(f"V-{order.client_order_id.value}"),
            change[0] if price_ticks is None else price_ticks,
            change[1] if quantity_lots is None else quantity_lots,
        )
    )


def feed_book(node, instrument_id, bids, asks, ts_event=None, ts_recv=None) -> None:
    """Replace the book of ``instrument_id`` with ``bids``/``asks`` (``(ticks, lots)``, best
    first), stamped at the clock's time unless ``ts_event``/``ts_recv`` are given."""
    now_ns = node.clock.timestamp_ns()
    node.data_engine.process(
        make_book_snapshot(
            bids,
            asks,
            instrument_id,
            ts_event=now_ns if ts_event is None else ts_event,
            ts_recv=now_ns if ts_recv is None else ts_recv,
        )
    )


def accept(node, order) -> None:
    """Report that the venue accepted ``order``."""
    node.exec_engine.process(
        OrderAccepted(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            VenueOrderId(f"V-{order.client_order_id.value}"),
        )
    )


_trade_ids = iter(range(1, 10**9))


def fill(node, order, qty_lots=None, price_ticks=None, liquidity_side=LiquiditySide.TAKER) -> None:
    """Report a fill of ``order`` (all of its leaves at its limit price by default)."""
    node.exec_engine.process(
        OrderFilled(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            VenueOrderId(f"V-{order.client_order_id.value}"),
            TradeId(f"T-{next(_trade_ids)}"),
            order.side,
            order.price_ticks if price_ticks is None else price_ticks,
            order.leaves_lots if qty_lots is None else qty_lots,
            liquidity_side,
            Money.from_str("0", "USDT"),
        )
    )


def cancel_done(node, order) -> None:
    """Report that the venue canceled ``order``."""
    node.exec_engine.process(
        OrderCanceled(order.strategy_id, order.instrument_id, order.client_order_id)
    )


def expire(node, order) -> None:
    """Report that ``order`` (an IOC) expired with its leaves unfilled."""
    node.exec_engine.process(
        OrderExpired(order.strategy_id, order.instrument_id, order.client_order_id)
    )
