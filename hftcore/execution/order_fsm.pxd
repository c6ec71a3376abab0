"""The order state machine: which status an order may move to from which."""

from hftcore.model.enums cimport OrderStatus
from hftcore.model.order cimport Order


cdef bint is_legal_c(OrderStatus current, OrderStatus target) noexcept nogil
cpdef bint is_legal_transition(OrderStatus current, OrderStatus target)
cdef bint is_final_c(OrderStatus status) noexcept nogil
cdef int transition(Order order, OrderStatus target) except -1
