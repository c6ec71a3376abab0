"""``SimExecutionClient``: the execution client of a simulated venue.

It implements ``hftcore.node.interfaces.ExecutionClient`` exactly as a live adapter does, so the
OMS, risk engine and strategy cannot tell backtest from live: each request is handed to the
``SimulatedVenue`` with the node clock's time as its send time; the venue's reports come back
through the OMS (``ExecutionEngine.process``) when they reach the strategy (driven by the
backtest engine, or by ``deliver_reports`` in a paper loop).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hftcore.node.interfaces import ExecutionClient

if TYPE_CHECKING:
    from backtest.matching.venue import SimulatedVenue
    from hftcore.model.order import Order


class SimExecutionClient(ExecutionClient):
    """Order entry for one simulated venue.

    Parameters
    ----------
    sim_venue : SimulatedVenue
        The simulated venue orders go to.
    clock : Clock
        The node clock: its time is each request's send time.
    """

    def __init__(self, sim_venue: SimulatedVenue, clock) -> None:
        self.venue = sim_venue.venue
        self.sim_venue = sim_venue
        self._clock = clock
        # Bound once: every order and cancel of a backtest goes through these.
        self._submit = sim_venue.submit
        self._cancel = sim_venue.cancel
        self._modify = sim_venue.modify
        self._now_ns = clock.timestamp_ns

    def submit_order(self, order: Order) -> None:
        """Send ``order`` to the simulated venue."""
        self._submit(order, self._now_ns())

    def cancel_order(self, order: Order) -> None:
        """Send a cancel request for ``order``."""
        self._cancel(order, self._now_ns())

    def modify_order(self, order: Order, price_ticks: int, quantity_lots: int) -> None:
        """Send a cancel-replace request for ``order``."""
        self._modify(order, price_ticks, quantity_lots, self._now_ns())

    def cancel_all_orders(self, orders: list[Order]) -> None:
        """Send one cancel request per order, in the given order."""
        # One clock read and one bound method for the batch (the requote path sends 2-4).
        now_ns = self._now_ns()
        cancel = self._cancel
        for order in orders:
            cancel(order, now_ns)

    def deliver_reports(self, exec_engine, local_ns: int) -> int:
        """Hand the OMS every report that has reached the strategy by ``local_ns`` (paper loop).

        Parameters
        ----------
        exec_engine : ExecutionEngine
            The node's OMS.
        local_ns : int
            Local time, UNIX ns.

        Returns
        -------
        int
            Reports delivered.
        """
        events = self.sim_venue.reports.pop_until(local_ns)
        for event in events:
            exec_engine.process(event)
        return len(events)

    def __repr__(self) -> str:
        return f"SimExecutionClient({self.venue.value})"
