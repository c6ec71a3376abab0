"""``SimExecutionClient``: the execution client of a simulated venue.

It implements ``hftcore.node.interfaces.ExecutionClient`` exactly as a live adapter does, so the
OMS, risk engine and strategy cannot tell backtest from live: each request is handed to the
``SimulatedVenue`` with the node clock's time as its send time; the venue's reports come back
through the OMS (``ExecutionEngine.process``) when they reach the strategy (driven by the
backtest engine, or by ``deliver_reports`` in a paper loop).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.sim.order_entry import SimOrderEntry
from hftcore.node.interfaces import ExecutionClient

if TYPE_CHECKING:
    from backtest.matching.venue import SimulatedVenue


class SimExecutionClient(SimOrderEntry, ExecutionClient):
    """Order entry for one simulated venue.

    ``submit_order``, ``cancel_order``, ``modify_order`` and ``cancel_all_orders`` come from
    :class:`~adapters.sim.order_entry.SimOrderEntry` (C methods: the OMS calls one per
    request); each stamps the request with the node clock's time and hands it to the venue.

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
