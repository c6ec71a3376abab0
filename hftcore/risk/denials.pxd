"""Risk denials: the ``OrderDenied`` event, modify messages and counts by reason code."""

from libc.stdint cimport int64_t

from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied
from hftcore.risk.checks cimport DenyReason


# -- DENIALS -----------------------------------------------------------------------------------
cdef OrderDenied make_denial(Order order, DenyReason reason, str message, int64_t now_ns)
cdef str modify_denial_message(int64_t quantity_lots, int64_t limit_price_ticks, str message)
cdef dict denial_counts_by_code(const int64_t* counts)
