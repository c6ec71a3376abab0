"""Queue-position models: where a resting order stands in its price level's queue."""

cimport cython
from libc.stdint cimport int64_t


cdef struct QueuePosition:
    double ahead_lots    # estimated quantity ahead of the order at its price, lots
    double traded_lots   # lots traded at the price since the level's last size change


cdef enum ProbabilityFunction:
    POWER = 1
    LOG = 2


cdef class QueueModel:
    cdef readonly str name
    """Model name and parameters, as given to ``--queue-model`` (written to run.json)."""

    cdef void on_new(self, QueuePosition* position, int64_t level_lots) noexcept
    cdef int64_t on_trade(self, QueuePosition* position, int64_t trade_lots) noexcept
    cdef void on_depth(
        self, QueuePosition* position, int64_t prev_lots, int64_t new_lots, double lot_size
    ) noexcept


@cython.final
cdef class RiskAverseQueueModel(QueueModel):
    pass


@cython.final
cdef class ProbQueueModel(QueueModel):
    cdef readonly ProbabilityFunction function
    """POWER (``f(x) = x**n``) or LOG (``f(x) = log(1 + x)``)."""
    cdef readonly double exponent
    """``n`` of the POWER function."""

    cdef double probability_behind(self, double front, double back) noexcept


@cython.final
cdef class QueueTracker:
    cdef QueueModel _model
    cdef QueuePosition _position
    cdef double _lot_size
