"""One simulated venue: its instruments' matching engines, account, latency and queues.

``SimExecutionClient`` (``adapters/sim``) hands the venue our commands with the local time they
were sent; each arrives at ``send + entry_latency(send)``, never before the previous command of
the venue (one connection keeps order). The replay engine processes arrivals in venue-time order
with the market data and delivers the reports of ``reports`` when they reach the strategy.
"""

from collections import deque

from libc.stdint cimport INT64_MAX, int64_t

from hftcore.errors import InvalidOrderError

from backtest.account cimport SimAccount
from backtest.matching.engine cimport MatchingEngine
from backtest.matching.orders cimport CommandKind, SimCommand, sim_order_from
from backtest.matching.reports cimport ReportQueue, VenueIds
from backtest.models.fees cimport FeeSchedule
from backtest.models.latency cimport LatencyModel
from backtest.models.queue cimport QueueModel
from hftcore.model.identifiers cimport Venue
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.model.data cimport BookDelta, BookDeltas, Trade
from hftcore.model.enums cimport BookAction
from hftcore.model.order_events cimport OrderRejected


cdef class SimulatedVenue:
    """A venue played by the simulator.

    Parameters
    ----------
    venue : Venue
        The venue simulated, e.g. ``Venue("BINANCE")``.
    latency : LatencyModel
        Order-entry and response latency of this venue.
    account : SimAccount
        Our balances at this venue.
    """

    def __init__(
        self, Venue venue not None, LatencyModel latency not None, SimAccount account not None
    ):
        self.venue = venue
        self.latency = latency
        self.account = account
        self.reports = ReportQueue(latency)
        self.ids = VenueIds(venue.value)
        self.next_command_ns = INT64_MAX
        self.command_count = 0
        self.unknown_instrument_count = 0
        self._engines = {}
        self._commands = deque()
        self._last_arrival_ns = 0

    def __repr__(self):
        return (
            f"SimulatedVenue({self.venue.value}, instruments="
            f"{[iid.value for iid in self._engines]}, latency={self.latency.name})"
        )

    def add_instrument(
        self,
        Instrument instrument not None,
        FeeSchedule fees not None,
        QueueModel queue_model not None,
        local_book=None,
    ):
        """List ``instrument`` on this venue and return its matching engine.

        Parameters
        ----------
        instrument : Instrument
            An instrument of this venue.
        fees : FeeSchedule
            Its fees here.
        queue_model : QueueModel
            Queue-position model of its resting orders.
        local_book : OrderBook, optional
            The strategy-side book (for the mid recorded with each fill).

        Returns
        -------
        MatchingEngine

        Raises
        ------
        InvalidOrderError
            If the instrument belongs to another venue.
        """
        if instrument.id.venue != self.venue:
            raise InvalidOrderError(
                f"instrument {instrument.id.value}: belongs to {instrument.id.venue.value}, "
                f"not {self.venue.value}"
            )
        engine = MatchingEngine(
            instrument, fees, queue_model, self.account, self.reports, self.ids, local_book
        )
        self._engines[instrument.id] = engine
        return engine

    cpdef MatchingEngine engine(self, object instrument_id):
        """Return the matching engine of ``instrument_id`` (None when not listed)."""
        return self._engines.get(instrument_id)

    def engines(self):
        """Return every matching engine, in listing order."""
        return list(self._engines.values())

    # -- COMMANDS (local side) -----------------------------------------------------------------

    cdef SimCommand _command(
        self, int kind, object order, int64_t price_ticks, int64_t quantity_lots, int64_t send_ns
    ):
        cdef Order source = <Order>order
        cdef SimCommand command = SimCommand.__new__(SimCommand)
        command.kind = <CommandKind>kind
        command.send_ns = send_ns
        command.order = sim_order_from(source) if kind == CommandKind.SUBMIT else None
        command.client_order_id = source.client_order_id
        command.instrument_id = source.instrument_id
        command.price_ticks = price_ticks
        command.quantity_lots = quantity_lots
        return command

    cdef int send(self, SimCommand command) except -1:
        cdef int64_t arrival_ns = command.send_ns + self.latency.entry_ns(command.send_ns)
        if arrival_ns < self._last_arrival_ns:
            arrival_ns = self._last_arrival_ns
        self._last_arrival_ns = arrival_ns
        command.arrival_ns = arrival_ns
        if not self._commands:
            self.next_command_ns = arrival_ns
        self._commands.append(command)
        self.command_count += 1
        return 0

    def submit(self, Order order not None, int64_t send_ns):
        """Send a new order, as the strategy's execution client does.

        Parameters
        ----------
        order : Order
            The OMS's order; the venue copies it now.
        send_ns : int
            Local send time, UNIX ns.
        """
        self._submit(order, send_ns)

    cdef int _submit(self, Order order, int64_t send_ns) except -1:
        # Trusting entry for Cython execution clients (``order`` is not None).
        return self.send(self._command(CommandKind.SUBMIT, order, 0, 0, send_ns))

    def cancel(self, Order order not None, int64_t send_ns):
        """Send a cancel request for ``order``.

        Parameters
        ----------
        order : Order
            The order to cancel.
        send_ns : int
            Local send time, UNIX ns.
        """
        self._cancel(order, send_ns)

    cdef int _cancel(self, Order order, int64_t send_ns) except -1:
        # Trusting entry for Cython execution clients (``order`` is not None).
        return self.send(self._command(CommandKind.CANCEL, order, 0, 0, send_ns))

    def modify(
        self, Order order not None, int64_t price_ticks, int64_t quantity_lots, int64_t send_ns
    ):
        """Send a cancel-replace request for ``order``.

        Parameters
        ----------
        order : Order
            The order to change.
        price_ticks : int
            New limit price, ticks.
        quantity_lots : int
            New total quantity, lots.
        send_ns : int
            Local send time, UNIX ns.
        """
        self._modify(order, price_ticks, quantity_lots, send_ns)

    cdef int _modify(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, int64_t send_ns
    ) except -1:
        # Trusting entry for Cython execution clients (``order`` is not None).
        return self.send(
            self._command(CommandKind.MODIFY, order, price_ticks, quantity_lots, send_ns)
        )

    # -- COMMANDS (venue side) -----------------------------------------------------------------

    cdef int process_next_command(self) except -1:
        cdef SimCommand command = self._commands.popleft()
        cdef MatchingEngine engine = self._engines.get(command.instrument_id)
        cdef int64_t venue_ns = command.arrival_ns
        self.next_command_ns = (
            (<SimCommand>self._commands[0]).arrival_ns if self._commands else INT64_MAX
        )
        cdef int64_t recv_ns
        if engine is None:
            self.unknown_instrument_count += 1
            if command.kind == CommandKind.SUBMIT:
                recv_ns = self.reports.report_time(venue_ns)
                self.reports.push(
                    recv_ns,
                    OrderRejected.create(
                        command.order.strategy_id,
                        command.instrument_id,
                        command.client_order_id,
                        f"unknown instrument {command.instrument_id.value}",
                        venue_ns,
                        recv_ns,
                    ),
                )
            return 0
        if command.kind == CommandKind.SUBMIT:
            return engine.submit(command.order, venue_ns)
        if command.kind == CommandKind.CANCEL:
            return engine.cancel(command.client_order_id, venue_ns)
        return engine.modify(
            command.client_order_id, command.price_ticks, command.quantity_lots, venue_ns
        )

    def apply_market_data(self, event):
        """Apply a market data event object on the venue side at its ``ts_event`` (paper mode).

        Parameters
        ----------
        event : BookDeltas, BookDelta or Trade
            An event of a listed instrument; others are ignored.

        Returns
        -------
        bool
            True when the event was applied.
        """
        cdef MatchingEngine engine = self._engines.get(event.instrument_id)
        if engine is None:
            return False
        if type(event) is Trade:
            engine.on_trade(
                (<Trade>event).price_ticks,
                (<Trade>event).size_lots,
                (<Trade>event).aggressor_side,
                (<Trade>event).ts_event,
            )
            return True
        deltas = (<BookDeltas>event).deltas if type(event) is BookDeltas else [event]
        for delta in deltas:
            if (<BookDelta>delta).action == BookAction.CLEAR:
                engine.on_book_clear()
            elif (<BookDelta>delta).action == BookAction.DELETE:
                engine.on_book_level((<BookDelta>delta).side, (<BookDelta>delta).price_ticks, 0)
            else:
                engine.on_book_level(
                    (<BookDelta>delta).side,
                    (<BookDelta>delta).price_ticks,
                    (<BookDelta>delta).size_lots,
                )
            if (<BookDelta>delta).is_last:
                engine.on_book_consistent((<BookDelta>delta).ts_event)
        return True

    def process_commands_until(self, int64_t venue_ns):
        """Process every command that has arrived by ``venue_ns`` (paper mode, tests).

        Parameters
        ----------
        venue_ns : int
            Venue time, UNIX ns.

        Returns
        -------
        int
            Commands processed.
        """
        cdef int count = 0
        while self._commands and self.next_command_ns <= venue_ns:
            self.process_next_command()
            count += 1
        return count
