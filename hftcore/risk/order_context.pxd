"""The per-order context the checks read: instrument state, position, book, open orders."""

from libc.stdint cimport int64_t

from hftcore.cache.cache cimport Cache
from hftcore.model.identifiers cimport InstrumentId
from hftcore.portfolio.ledger cimport Portfolio
from hftcore.risk.checks cimport InstrumentRisk, OrderContext


# -- ORDER CONTEXT -----------------------------------------------------------------------------
cdef InstrumentRisk instrument_state(
    dict states, tuple checks, Cache cache, Portfolio portfolio, InstrumentId instrument_id
)
cdef int fill_context(
    OrderContext ctx, InstrumentRisk state, Cache cache, Portfolio portfolio, int64_t now_ns
) except -1
cdef bint reduces(OrderContext ctx) except -1
