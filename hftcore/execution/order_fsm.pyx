"""The order state machine: which status an order may move to from which.

::

    INITIALIZED -> SUBMITTED | DENIED | CANCELED
    SUBMITTED -> ACCEPTED | REJECTED | PARTIALLY_FILLED | FILLED | CANCELED | EXPIRED
                 | PENDING_CANCEL | PENDING_UPDATE
    ACCEPTED -> PENDING_UPDATE | PENDING_CANCEL | PARTIALLY_FILLED | FILLED | CANCELED | EXPIRED
    PENDING_UPDATE -> ACCEPTED | PENDING_CANCEL | PARTIALLY_FILLED | FILLED | CANCELED | EXPIRED
    PENDING_CANCEL -> ACCEPTED | PARTIALLY_FILLED | FILLED | CANCELED | EXPIRED
    PARTIALLY_FILLED -> PARTIALLY_FILLED | PENDING_UPDATE | PENDING_CANCEL | FILLED | CANCELED
                        | EXPIRED
    DENIED, REJECTED, FILLED, CANCELED, EXPIRED: final

A fill may arrive before the accept (SUBMITTED -> PARTIALLY_FILLED), and a fill may race a
cancel or a modify (PENDING_* -> FILLED); a rejected cancel or modify returns to ACCEPTED (or
PARTIALLY_FILLED when the order had fills). INITIALIZED -> CANCELED is an order the execution
engine held back (rate limit) and canceled before it was sent. PARTIALLY_FILLED ->
PARTIALLY_FILLED is each further partial fill. Which report causes which transition, and what
happens to reports that arrive twice or late, is the execution engine's business
(``hftcore/execution/engine.pyx``); this module only says what is legal.
"""

from hftcore.errors import InvalidTransition
from hftcore.model.enums import OrderStatus as PyOrderStatus

from hftcore.model.enums cimport OrderStatus
from hftcore.model.order cimport Order

cdef enum:
    STATUS_SLOTS = 12

cdef bint _LEGAL[STATUS_SLOTS][STATUS_SLOTS]


cdef int _allow(OrderStatus current, tuple targets) except -1:
    cdef object target
    for target in targets:
        _LEGAL[<int>current][<int>target] = True
    return 0


cdef int _build_table() except -1:
    cdef int i, j
    for i in range(STATUS_SLOTS):
        for j in range(STATUS_SLOTS):
            _LEGAL[i][j] = False
    _allow(
        OrderStatus.INITIALIZED,
        (OrderStatus.SUBMITTED, OrderStatus.DENIED, OrderStatus.CANCELED),
    )
    _allow(
        OrderStatus.SUBMITTED,
        (
            OrderStatus.ACCEPTED,
            OrderStatus.REJECTED,
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELED,
            OrderStatus.EXPIRED,
            OrderStatus.PENDING_CANCEL,
            OrderStatus.PENDING_UPDATE,
        ),
    )
    _allow(
        OrderStatus.ACCEPTED,
        (
            OrderStatus.PENDING_UPDATE,
            OrderStatus.PENDING_CANCEL,
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELED,
            OrderStatus.EXPIRED,
        ),
    )
    _allow(
        OrderStatus.PENDING_UPDATE,
        (
            OrderStatus.ACCEPTED,
            OrderStatus.PENDING_CANCEL,
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELED,
            OrderStatus.EXPIRED,
        ),
    )
    _allow(
        OrderStatus.PENDING_CANCEL,
        (
            OrderStatus.ACCEPTED,
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELED,
            OrderStatus.EXPIRED,
        ),
    )
    _allow(
        OrderStatus.PARTIALLY_FILLED,
        (
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.PENDING_UPDATE,
            OrderStatus.PENDING_CANCEL,
            OrderStatus.FILLED,
            OrderStatus.CANCELED,
            OrderStatus.EXPIRED,
        ),
    )
    return 0


_build_table()


cdef bint is_legal_c(OrderStatus current, OrderStatus target) noexcept nogil:
    if <int>current < 0 or <int>current >= STATUS_SLOTS:
        return False
    if <int>target < 0 or <int>target >= STATUS_SLOTS:
        return False
    return _LEGAL[<int>current][<int>target]


cpdef bint is_legal_transition(OrderStatus current, OrderStatus target):
    """Return whether an order in status ``current`` may move to ``target``.

    Parameters
    ----------
    current, target : OrderStatus

    Returns
    -------
    bool
    """
    return is_legal_c(current, target)


def legal_targets(OrderStatus current):
    """Return the statuses an order in ``current`` may move to, in enum order.

    Parameters
    ----------
    current : OrderStatus

    Returns
    -------
    tuple of OrderStatus
        Empty for a final status (DENIED, REJECTED, FILLED, CANCELED, EXPIRED).
    """
    return tuple(status for status in PyOrderStatus if is_legal_c(current, status))


def is_final(OrderStatus status):
    """Return whether ``status`` is final: no transition leaves it.

    Parameters
    ----------
    status : OrderStatus

    Returns
    -------
    bool
    """
    return is_final_c(status)


cdef bint is_final_c(OrderStatus status) noexcept nogil:
    return (
        status == OrderStatus.DENIED
        or status == OrderStatus.REJECTED
        or status == OrderStatus.FILLED
        or status == OrderStatus.CANCELED
        or status == OrderStatus.EXPIRED
    )


cdef int transition(Order order, OrderStatus target) except -1:
    if not is_legal_c(order.status, target):
        raise InvalidTransition(
            f"order {order.client_order_id}: illegal transition "
            f"{PyOrderStatus(order.status).name} -> {PyOrderStatus(target).name}"
        )
    order.set_status(target)
    return 0
