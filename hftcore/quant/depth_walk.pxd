"""Walk two order books together: how much of a cross pays a minimum edge, without allocating."""

from hftcore.book.order_book cimport OrderBook


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
) noexcept
