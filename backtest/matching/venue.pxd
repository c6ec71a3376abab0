"""One simulated venue: its instruments' matching engines, account, latency and queues."""

cimport cython
from libc.stdint cimport int64_t

from backtest.account cimport SimAccount
from backtest.matching.engine cimport MatchingEngine
from backtest.matching.orders cimport SimCommand
from backtest.matching.reports cimport ReportQueue, VenueIds
from backtest.models.latency cimport LatencyModel
from hftcore.model.identifiers cimport Venue
from hftcore.model.order cimport Order


@cython.final
cdef class SimulatedVenue:
    cdef readonly Venue venue
    """The venue simulated."""
    cdef readonly LatencyModel latency
    """Order-entry and response latency between the strategy and this venue."""
    cdef readonly SimAccount account
    """Our account at this venue."""
    cdef readonly ReportQueue reports
    """Reports on their way to the strategy."""
    cdef readonly VenueIds ids
    """Order and trade id counters."""
    cdef readonly int64_t next_command_ns
    """Venue arrival time of the oldest command in flight, UNIX ns (INT64_MAX when none)."""
    cdef readonly int64_t command_count
    """Commands sent to the venue."""
    cdef readonly int64_t unknown_instrument_count
    """Commands for an instrument the venue does not list (rejected)."""
    cdef dict _engines
    cdef object _commands
    cdef int64_t _last_arrival_ns

    cpdef MatchingEngine engine(self, object instrument_id)
    cdef SimCommand _command(
        self, int kind, object order, int64_t price_ticks, int64_t quantity_lots, int64_t send_ns
    )
    cdef int send(self, SimCommand command) except -1
    cdef int _submit(self, Order order, int64_t send_ns) except -1
    cdef int _cancel(self, Order order, int64_t send_ns) except -1
    cdef int _modify(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, int64_t send_ns
    ) except -1
    cdef int process_next_command(self) except -1
