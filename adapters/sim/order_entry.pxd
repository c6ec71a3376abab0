"""The request methods of ``SimExecutionClient``, in Cython: one C call per request."""

from backtest.matching.venue cimport SimulatedVenue
from hftcore.clock.clock cimport Clock


cdef class SimOrderEntry:
    cdef Clock _clock
    cdef SimulatedVenue _venue
