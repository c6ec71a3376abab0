"""The reservation of an approved modify: the portfolio holds funds for the new values.

:meth:`RiskEngine.check_modify <hftcore.risk.engine.RiskEngine.check_modify>` checks a change
of a live order as a new order with the new values; once approved, :func:`reserve_modified`
reserves what they need: exactly for an order not sent yet, and for a sent order the larger of
its old and new needs until the venue confirms (either may still fill until then).
"""

from libc.stdint cimport int64_t

from hftcore.model.enums cimport OrderStatus
from hftcore.model.order cimport Order
from hftcore.portfolio.ledger cimport Portfolio
from hftcore.risk.checks cimport OrderContext


# -- MODIFY ------------------------------------------------------------------------------------

cdef int reserve_modified(Portfolio portfolio, OrderContext ctx) except -1:
    # Reserve for the new values: exactly for an order not sent yet; for a live order only
    # when they need more than it holds (its old values may fill until the venue confirms).
    cdef Order order = ctx.order
    cdef int64_t old_price_ticks = order.price_ticks
    cdef int64_t old_quantity_lots = order.quantity_lots
    if order.status != OrderStatus.INITIALIZED and portfolio.required_f(
        ctx.state.position, order.side, ctx.leaves_lots, ctx.price_ticks, order.is_reduce_only
    ) <= ctx.reserved_f:
        return 0
    # The ledger reserves for an order's own values: lend it the new ones for the call.
    order.set_price_and_quantity(ctx.limit_price_ticks, ctx.quantity_lots)
    try:
        portfolio.reserve_c(order, ctx.price_ticks)
    finally:
        order.set_price_and_quantity(old_price_ticks, old_quantity_lots)
    return 0
