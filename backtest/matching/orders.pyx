"""Orders and commands as the simulated venue holds them.

The venue keeps its own copy of each order (``SimOrder``), taken when the command is sent: the
``Order`` the strategy's OMS holds changes only when reports come back, as it would live.
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.enums cimport TimeInForce
from hftcore.model.order cimport Order

from hftcore.model.enums import OrderType as PyOrderType
from hftcore.model.enums import Side as PySide
from hftcore.model.enums import TimeInForce as PyTimeInForce


# No cyclic GC for orders and commands: they hold only identifiers, numbers and (a command) an
# order, so they can be in no cycle, and each would otherwise count towards a collection.
@cython.no_gc
cdef class SimOrder:
    """One of our orders at the simulated venue (use ``sim_order_from`` in Cython)."""

    cdef int64_t leaves_lots_c(self) noexcept:
        return self.quantity_lots - self.filled_lots

    @property
    def leaves_lots(self):
        """int: Lots still open at the venue."""
        return self.quantity_lots - self.filled_lots

    @property
    def queue_ahead_lots(self):
        """float: Estimated lots ahead of the order in its price level's queue."""
        return self.queue.ahead_lots

    def __repr__(self):
        return (
            f"SimOrder({self.client_order_id.value}, {PySide(self.side).name} "
            f"{PyOrderType(self.order_type).name} {PyTimeInForce(self.time_in_force).name}, "
            f"price_ticks={self.price_ticks}, quantity_lots={self.quantity_lots}, "
            f"filled_lots={self.filled_lots}, queue_ahead_lots={self.queue.ahead_lots:g})"
        )


cdef SimOrder sim_order_from(Order order):
    """Copy what the venue needs of ``order`` (at send time)."""
    cdef SimOrder copy = SimOrder.__new__(SimOrder)
    copy.client_order_id = order.client_order_id
    copy.venue_order_id = None
    copy.strategy_id = order.strategy_id
    copy.instrument_id = order.instrument_id
    copy.side = order.side
    copy.order_type = order.order_type
    copy.time_in_force = order.time_in_force
    copy.is_post_only = order.is_post_only or order.time_in_force == TimeInForce.GTX
    copy.is_reduce_only = order.is_reduce_only
    copy.price_ticks = order.price_ticks
    copy.quantity_lots = order.quantity_lots
    copy.filled_lots = 0
    copy.accepted_ns = 0
    copy.lock_asset = None
    copy.locked_amount = None
    return copy


@cython.no_gc
cdef class SimCommand:
    """A command on its way from the strategy to the simulated venue."""

    def __repr__(self):
        return (
            f"SimCommand({CommandKind(self.kind).name}, {self.client_order_id.value}, "
            f"send_ns={self.send_ns}, arrival_ns={self.arrival_ns})"
        )
