"""Venue reports into the order state: ``ReportProcessor``, a base of the execution engine."""

from hftcore.execution.oms_state cimport OmsState
from hftcore.model.enums cimport OrderStatus
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderEvent,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)


# -- REPORT PROCESSOR --------------------------------------------------------------------------

cdef class ReportProcessor(OmsState):
    cpdef bint process(self, OrderEvent event) except -1
    cdef bint _on_accepted(self, Order order, OrderAccepted event) except -1
    cdef bint _on_rejected(self, Order order, OrderRejected event) except -1
    cdef bint _on_filled(self, Order order, OrderFilled event) except -1
    cdef bint _on_updated(self, Order order, OrderUpdated event) except -1
    cdef bint _on_closed(self, Order order, OrderEvent event, OrderStatus target) except -1
    cdef int _set_venue_order_id(self, Order order, object venue_order_id) except -1
