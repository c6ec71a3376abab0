"""Reservations of open orders: what an order needs of a balance, and what it holds."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport Side
from hftcore.model.instrument cimport Instrument
from hftcore.portfolio.balance cimport AssetBalance
from hftcore.portfolio.position cimport Position


# -- SIZING (inline: the risk engine's balance check runs them on every order) -----------------

cdef inline AssetBalance reserve_balance(Position position, Side side):
    # The balance an order of position's instrument on side reserves from.
    if not position.is_spot:
        return position.settle_balance
    return position.quote_balance if side == Side.BUY else position.base_balance


cdef inline double required_f(
    Position position,
    Side side,
    int64_t quantity_lots,
    double price_ticks,
    bint is_reduce_only,
) noexcept:
    # What an order of quantity_lots at price_ticks needs from reserve_balance().
    cdef int64_t opening_lots
    if position.is_spot:
        if side == Side.BUY:
            return position.instrument.notional_f(1, quantity_lots) * price_ticks
        return quantity_lots * position._units_per_lot_f
    if is_reduce_only:
        return 0.0
    # The part of the order that first reduces the opposite position needs no margin.
    cdef int64_t position_lots = position.quantity_lots
    if side == Side.BUY:
        opening_lots = quantity_lots + (position_lots if position_lots < 0 else 0)
    else:
        opening_lots = quantity_lots - (position_lots if position_lots > 0 else 0)
    if opening_lots <= 0:
        return 0.0
    return position.instrument.notional_f(1, opening_lots) * price_ticks / position._leverage_f


cdef double market_price_ticks_f(
    Cache cache, Instrument instrument, Side side, double buffer_f
) except? -1.0


# -- RESERVATION -------------------------------------------------------------------------------

@cython.final
cdef class Reservation:
    cdef Position position
    cdef AssetBalance balance
    cdef double per_lot_f
    cdef int64_t lots_cap
    cdef double reserved_f

    cdef void hold_c(self) noexcept
    cdef void move_c(self, AssetBalance balance, double per_lot_f, int64_t lots_cap) noexcept
    cdef void refresh_c(self, int64_t leaves_lots) noexcept
    cdef void release_c(self) noexcept
