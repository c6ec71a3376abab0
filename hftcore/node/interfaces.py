"""The seams of a trading node: the components that config plugs in.

Backtest, paper and live differ only in which implementations of these interfaces the node is
given (DESIGN.md section 1): the clock, the data clients and the execution clients. Strategy,
risk, OMS, cache, portfolio and book code are the same objects in all three.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from hftcore.model.identifiers import ClientOrderId, InstrumentId, Venue
    from hftcore.model.order import Order
    from hftcore.model.order_events import OrderDenied


class DataClient(ABC):
    """Source of market data for one venue: publishes normalized events through its node."""

    venue: Venue

    @abstractmethod
    async def connect(self) -> None:
        """Open connections (WebSocket, files...) and start delivering events."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Stop delivering events and release connections."""

    @abstractmethod
    def subscribe_book(self, instrument_id: InstrumentId) -> None:
        """Start the L2 book feed of ``instrument_id`` (snapshot, then deltas)."""

    @abstractmethod
    def subscribe_quotes(self, instrument_id: InstrumentId) -> None:
        """Start the best bid/offer feed of ``instrument_id``."""

    @abstractmethod
    def subscribe_trades(self, instrument_id: InstrumentId) -> None:
        """Start the public trade feed of ``instrument_id``."""


class ExecutionClient(ABC):
    """Order entry for one venue; reports come back as order events through its node."""

    venue: Venue

    @abstractmethod
    def submit_order(self, order: Order) -> None:
        """Send ``order`` to the venue (already approved by the risk engine)."""

    @abstractmethod
    def cancel_order(self, order: Order) -> None:
        """Request cancellation of ``order``."""

    @abstractmethod
    def modify_order(self, order: Order, price_ticks: int, quantity_lots: int) -> None:
        """Request a price and/or quantity change of ``order`` (cancel-replace where needed)."""

    def cancel_all_orders(self, orders: list[Order]) -> None:
        """Cancel every order in ``orders`` (the open orders the cache holds for this venue).

        The default cancels one by one; venues with a native cancel-all endpoint override it.
        """
        for order in orders:
            self.cancel_order(order)


@runtime_checkable
class RiskEngine(Protocol):
    """Pre-trade check of every order and every modify before it reaches an ExecutionClient.

    An engine written before ``check_modify`` existed (``check_order`` only) keeps working: the
    execution engine asks it about a modify through ``check_order`` on a temporary copy of the
    order with the new values (see ``ExecutionEngine.set_risk_engine``). The original is still
    open in the cache next to that copy, so such an engine errs towards denying modifies; new
    engines implement ``check_modify``.
    """

    def check_order(self, order: Order) -> OrderDenied | None:
        """Return ``None`` to approve ``order`` or an ``OrderDenied`` event with the reason."""
        ...

    def check_modify(
        self, order: Order, price_ticks: int, quantity_lots: int
    ) -> OrderDenied | None:
        """Return ``None`` to approve changing ``order`` to a new price and quantity.

        ``price_ticks`` is the new limit price; ``quantity_lots`` the new order quantity, the
        filled part included. A denial is an ``OrderDenied`` with the order's client order id
        and the reason; the order then stays live with its old values.
        """
        ...


@runtime_checkable
class FillModel(Protocol):
    """Decides how a simulated resting order advances in the queue and fills."""

    name: str


@runtime_checkable
class LatencyModel(Protocol):
    """Delay between the strategy and a (simulated) venue, in nanoseconds."""

    def order_entry_latency_ns(self, ts_ns: int) -> int:
        """Return the delay from order submission to the venue seeing it."""
        ...

    def response_latency_ns(self, ts_ns: int) -> int:
        """Return the delay from a venue event to the strategy seeing the report."""
        ...


@runtime_checkable
class Sink(Protocol):
    """Destination for persisted events (Parquet, ClickHouse, PostgreSQL, Redis...)."""

    def write(self, records: list) -> None:
        """Write a batch of records; called from a worker thread, never the hot path."""
        ...

    def close(self) -> None:
        """Flush and release resources."""
        ...


class ClientOrderIdGenerator(Protocol):
    """Produces client order ids unique per venue and across restarts."""

    def generate(self) -> ClientOrderId:
        """Return the next client order id."""
        ...
