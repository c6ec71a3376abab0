"""Our best open limit prices per instrument, read from the OMS's open orders.

Each equity sample records our best bid and ask; reading the orders' enums from Python would
build an enum member per field read, so the scan reads the C fields here.
"""

from hftcore.model.enums cimport OrderType, Side
from hftcore.model.order cimport Order


cpdef dict best_limit_prices(list orders):
    """Return our best bid and ask of each instrument with open limit orders.

    Parameters
    ----------
    orders : list of Order
        Open orders (``Cache.open_orders()``); orders other than LIMIT are skipped.

    Returns
    -------
    dict
        Instrument id text -> ``(bid_ticks, ask_ticks)``, each None when no order rests on
        that side; instruments in the order their first limit order appears.
    """
    cdef dict best = {}
    cdef Order order
    cdef list entry
    for order in orders:
        if order.order_type != OrderType.LIMIT:
            continue
        entry = best.get(order.instrument_id.value)
        if entry is None:
            entry = [None, None]
            best[order.instrument_id.value] = entry
        if order.side == Side.BUY:
            if entry[0] is None or order.price_ticks > entry[0]:
                entry[0] = order.price_ticks
        elif entry[1] is None or order.price_ticks < entry[1]:
            entry[1] = order.price_ticks
    return {iid: (entry[0], entry[1]) for iid, entry in best.items()}
