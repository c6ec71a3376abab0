"""The execution engine (OMS): orders from strategies to venues, reports from venues back."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.execution.request_sender cimport RequestSender
from hftcore.model.enums cimport OrderType, Side, TimeInForce
from hftcore.model.identifiers cimport InstrumentId, StrategyId
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied


# -- ENGINE ------------------------------------------------------------------------------------

@cython.final
cdef class ExecutionEngine(RequestSender):
    # -- COMMANDS ------------------------------------------------------------------------------
    cpdef Order submit_order(
        self,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        Side side,
        OrderType order_type,
        int64_t quantity_lots,
        int64_t price_ticks,
        TimeInForce time_in_force,
        bint post_only,
        bint reduce_only,
    )
    cpdef bint cancel_order(self, Order order) except -1
    cpdef bint modify_order(self, Order order, int64_t price_ticks, int64_t quantity_lots) except -1
    cpdef int cancel_all_orders(
        self, StrategyId strategy_id=*, InstrumentId instrument_id=*
    ) except -1
    cdef int _check_own(self, Order order, str field) except -1

    # -- RISK OF A MODIFY ----------------------------------------------------------------------
    cdef bint _modify_approved(
        self, Order order, int64_t price_ticks, int64_t quantity_lots, int64_t now_ns
    ) except -1
    cdef OrderDenied _modify_denial(self, Order order, str problem, int64_t now_ns)
