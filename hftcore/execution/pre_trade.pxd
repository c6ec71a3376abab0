"""The pre-trade check the execution engine calls as C: the base of ``RiskEngine``."""

from libc.stdint cimport int64_t

from hftcore.model.order cimport Order


cdef class PreTradeRisk:
    # -- CHECKS --------------------------------------------------------------------------------
    cpdef object check_order(self, Order order)
    cpdef object check_modify(self, Order order, int64_t price_ticks, int64_t quantity_lots)
