"""Walk two order books together: how much of a cross pays a minimum edge, without allocating.

`profitable_book_quantity` is `hftcore.quant.arb_edge.profitable_quantity` read straight from the
books' C level arrays (``OrderBook._price_at`` / ``_size_at``): no numpy copy, no Python list, so a
cross-venue arbitrage is sized in well under a microsecond once it is seen. Both walks give the
same quantity (``tests/unit/quant/test_depth_walk.py`` checks it on random books).
"""

from libc.math cimport isfinite

from hftcore.book.order_book cimport OrderBook
from hftcore.model.enums cimport Side
from hftcore.model.instrument cimport Instrument

cdef double _BPS = 1e4


cdef double crossed_quantity(
    OrderBook ask_book,
    double ask_tick,
    double ask_unit,
    double buy_fee,
    OrderBook bid_book,
    double bid_tick,
    double bid_unit,
    double sell_fee,
    double min_edge_bps,
    double max_quantity,
    Py_ssize_t max_levels,
) noexcept:
    cdef Py_ssize_t ask_levels = min(ask_book._level_count(Side.SELL), max_levels)
    cdef Py_ssize_t bid_levels = min(bid_book._level_count(Side.BUY), max_levels)
    cdef Py_ssize_t ask_index = 0
    cdef Py_ssize_t bid_index = 0
    cdef double ask_left
    cdef double bid_left
    cdef double ask_cost
    cdef double bid_proceeds
    cdef double take
    cdef double quantity = 0.0
    if ask_levels == 0 or bid_levels == 0:
        return 0.0
    ask_left = ask_book._size_at(Side.SELL, 0) * ask_unit
    bid_left = bid_book._size_at(Side.BUY, 0) * bid_unit
    while quantity < max_quantity:
        ask_cost = ask_book._price_at(Side.SELL, ask_index) * ask_tick * (1.0 + buy_fee)
        bid_proceeds = bid_book._price_at(Side.BUY, bid_index) * bid_tick * (1.0 - sell_fee)
        if (bid_proceeds / ask_cost - 1.0) * _BPS < min_edge_bps:
            break
        take = min(ask_left, bid_left, max_quantity - quantity)
        quantity += take
        ask_left -= take
        bid_left -= take
        if ask_left <= 0.0:
            ask_index += 1
            if ask_index == ask_levels:
                break
            ask_left = ask_book._size_at(Side.SELL, ask_index) * ask_unit
        if bid_left <= 0.0:
            bid_index += 1
            if bid_index == bid_levels:
                break
            bid_left = bid_book._size_at(Side.BUY, bid_index) * bid_unit
    return quantity


def profitable_book_quantity(
    OrderBook ask_book not None,
    Instrument ask_instrument not None,
    double buy_fee,
    OrderBook bid_book not None,
    Instrument bid_instrument not None,
    double sell_fee,
    double min_edge_bps,
    double max_quantity,
    Py_ssize_t max_levels,
):
    """Return how much can be bought on ``ask_book`` and sold on ``bid_book`` with every unit
    earning at least ``min_edge_bps`` after fees, walking at most ``max_levels`` a side.

    Parameters
    ----------
    ask_book : OrderBook
        The book bought from (its asks are walked).
    ask_instrument : Instrument
        Its instrument (tick, lot size and multiplier turn levels into price and base units).
    buy_fee : float
        Taker fee rate of the buy leg.
    bid_book : OrderBook
        The book sold into (its bids are walked).
    bid_instrument : Instrument
        Its instrument.
    sell_fee : float
        Taker fee rate of the sell leg.
    min_edge_bps : float
        Smallest acceptable marginal return after fees, bps.
    max_quantity : float
        Largest quantity wanted, base units (>= 0).
    max_levels : int
        Levels of each side walked at most (>= 1).

    Returns
    -------
    float
        Base units; 0.0 when either side is empty or the touch pays too little.

    Raises
    ------
    ValueError
        If ``max_quantity`` is negative or not finite, or ``max_levels`` < 1.
    """
    if not (isfinite(max_quantity) and max_quantity >= 0.0):
        raise ValueError(f"max_quantity: expected a finite number >= 0, got {max_quantity!r}")
    if max_levels < 1:
        raise ValueError(f"max_levels: expected >= 1, got {max_levels}")
    return crossed_quantity(
        ask_book,
        ask_instrument.tick_size_f,
        ask_instrument.lot_size_f * ask_instrument.multiplier_f,
        buy_fee,
        bid_book,
        bid_instrument.tick_size_f,
        bid_instrument.lot_size_f * bid_instrument.multiplier_f,
        sell_fee,
        min_edge_bps,
        max_quantity,
        max_levels,
    )
