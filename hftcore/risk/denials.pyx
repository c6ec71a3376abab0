"""Risk denials: the ``OrderDenied`` event, modify messages and counts by reason code.

A denial is an ``OrderDenied`` for the order's strategy, instrument and client order id, with
the reason code of the :class:`~hftcore.risk.checks.DenyReason` (see
:data:`hftcore.risk.checks.REASON_CODES`) and a message naming the values. A denied modify says
so first: the order stays live with its old values.
"""

from libc.stdint cimport int64_t

from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderDenied
from hftcore.risk.checks cimport DENY_REASON_COUNT, DenyReason

from hftcore.risk.checks import REASON_CODES


# -- DENIALS -----------------------------------------------------------------------------------

cdef OrderDenied make_denial(Order order, DenyReason reason, str message, int64_t now_ns):
    return OrderDenied.create(
        order.strategy_id,
        order.instrument_id,
        order.client_order_id,
        REASON_CODES[<int>reason],
        message,
        now_ns,
        now_ns,
    )


cdef str modify_denial_message(int64_t quantity_lots, int64_t limit_price_ticks, str message):
    return (
        f"modify to {quantity_lots} lots at {limit_price_ticks} ticks denied; "
        f"the order stays as it was: {message}"
    )


cdef dict denial_counts_by_code(const int64_t* counts):
    # ``counts`` holds DENY_REASON_COUNT entries, indexed by DenyReason.
    cdef int i
    return {REASON_CODES[i]: counts[i] for i in range(DENY_REASON_COUNT)}
