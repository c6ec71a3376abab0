"""The per-order context the checks read: instrument state, position, book, open orders.

For each order or modify the :class:`~hftcore.risk.engine.RiskEngine` sets the order and the
values checked on its one :class:`~hftcore.risk.checks.OrderContext`, then
:func:`fill_context` adds the instrument's :class:`~hftcore.risk.checks.InstrumentRisk` (built
once per instrument by :func:`instrument_state`, again when the venue changes its rules), the
position, the reservation a modified order holds, the touch and the price checked.
:func:`reduces` answers the REDUCING state's question on a filled context.
"""

from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport OrderType, Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.model.types cimport NO_PRICE_TICKS
from hftcore.portfolio.ledger cimport Portfolio
from hftcore.risk.checks cimport InstrumentRisk, OrderContext, RiskCheck

# What the checks read for an instrument that never had an open order (never written).
_NO_OPEN_ORDERS = {}


# -- ORDER CONTEXT -----------------------------------------------------------------------------

cdef InstrumentRisk instrument_state(
    dict states, tuple checks, Cache cache, Portfolio portfolio, InstrumentId instrument_id
):
    # The instrument's state in ``states``, set up by every check; rebuilt when the cache holds
    # a new Instrument for the id.
    cdef InstrumentRisk state = states.get(instrument_id)
    cdef Instrument instrument = cache.instrument(instrument_id)
    if state is not None and state.instrument is instrument:
        return state
    if state is not None and state.asset is not None:
        state.asset.instruments.remove(state)  # the venue changed the instrument's rules
    state = InstrumentRisk(
        instrument,
        None if portfolio is None else portfolio.position_c(instrument_id),
    )
    cdef object check
    for check in checks:
        (<RiskCheck>check).setup(state)
    states[instrument_id] = state
    return state


cdef int fill_context(
    OrderContext ctx, InstrumentRisk state, Cache cache, Portfolio portfolio, int64_t now_ns
) except -1:
    # The order and the values checked are set; add its state and the market around it.
    cdef Order order = ctx.order
    cdef OrderBook book = cache.book(order.instrument_id)
    cdef object trade
    cdef object held
    cdef int64_t touch_ticks
    ctx.state = state
    ctx.cache = cache
    ctx.now_ns = now_ns
    ctx.sign = 1 if order.side == Side.BUY else -1
    ctx.position_lots = state.position_lots(cache)
    cdef dict open_orders = cache.open_order_index(order.instrument_id)
    ctx.open_orders = _NO_OPEN_ORDERS if open_orders is None else open_orders
    ctx.reserved_f = 0.0
    if ctx.is_modify and portfolio is not None:
        held = portfolio.reserved(order.client_order_id)
        if held is not None:
            ctx.reserved_f = held[1]
    if book is None:
        ctx.bid_ticks = NO_PRICE_TICKS
        ctx.ask_ticks = NO_PRICE_TICKS
    else:
        ctx.bid_ticks = book.best_bid_price_ticks
        ctx.ask_ticks = book.best_ask_price_ticks
    ctx.last_ticks = NO_PRICE_TICKS
    if ctx.bid_ticks == NO_PRICE_TICKS or ctx.ask_ticks == NO_PRICE_TICKS:
        trade = cache.last_trade(order.instrument_id)
        if trade is not None:
            ctx.last_ticks = trade.price_ticks
    if order.order_type == OrderType.LIMIT:
        ctx.price_ticks = ctx.limit_price_ticks
        return 0
    touch_ticks = ctx.ask_ticks if order.side == Side.BUY else ctx.bid_ticks
    if touch_ticks == NO_PRICE_TICKS:
        touch_ticks = ctx.last_ticks
    ctx.price_ticks = 0.0 if touch_ticks == NO_PRICE_TICKS else <double>touch_ticks
    return 0


cdef bint reduces(OrderContext ctx) except -1:
    # Reduces: opposite to the position, and with the open orders on its side no larger.
    cdef int64_t position_lots = ctx.position_lots
    if position_lots == 0 or (position_lots > 0) == (ctx.sign > 0):
        return False
    return ctx.leaves_lots + ctx.same_side_open_lots() <= abs(position_lots)
