"""Reservations of open orders: what an order needs of a balance, and what it holds.

The hot-path arithmetic behind the reservations of :class:`hftcore.portfolio.ledger.Portfolio`,
which keeps one :class:`Reservation` per open order and moves it on every order event.

* **Which balance**: a spot buy reserves quote, a spot sell base, a perpetual or future its
  settlement asset (``reserve_balance``, inline in the ``.pxd``).
* **How much**: a spot order its leaves at the price (notional for a buy, units for a sell);
  a derivative the margin ``notional / leverage`` of the part that opens or adds to the
  position, nothing for a reduce-only order (``required_f``, inline in the ``.pxd``).
* **At which price**: a limit order at its limit; a market order at the touch moved by
  ``market_order_buffer_bps`` against it, else the last trade (:func:`market_price_ticks_f`).

Reservations are float estimates held in ``AssetBalance.locked``; a partial fill shrinks one to
the order's leaves, never above what it reserved when priced.
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook
from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport Side
from hftcore.model.instrument cimport Instrument
from hftcore.model.types cimport NO_PRICE_TICKS
from hftcore.portfolio.balance cimport AssetBalance
from hftcore.portfolio.position cimport Position


# -- SIZING ------------------------------------------------------------------------------------

cdef double market_price_ticks_f(
    Cache cache, Instrument instrument, Side side, double buffer_f
) except? -1.0:
    # The price a market order reserves at: the touch moved by buffer_f (a fraction), else the
    # last trade; 0.0 when the instrument has neither.
    cdef OrderBook book = cache.book(instrument.id)
    cdef int64_t touch_ticks = NO_PRICE_TICKS
    cdef object trade
    if book is not None:
        touch_ticks = book.best_ask_price_ticks if side == Side.BUY else book.best_bid_price_ticks
    if touch_ticks == NO_PRICE_TICKS:
        trade = cache.last_trade(instrument.id)
        if trade is None:
            return 0.0
        touch_ticks = trade.price_ticks
    if side == Side.BUY:
        return touch_ticks * (1.0 + buffer_f)
    return touch_ticks * (1.0 - buffer_f)


# -- RESERVATION -------------------------------------------------------------------------------

@cython.final
cdef class Reservation:
    # What one open order holds of a balance: per_lot_f for each leaves lot, up to lots_cap.
    # Created holding nothing; hold_c() locks it in the balance.

    def __cinit__(
        self, Position position, AssetBalance balance, double per_lot_f, int64_t lots_cap
    ):
        self.position = position
        self.balance = balance
        self.per_lot_f = per_lot_f
        self.lots_cap = lots_cap
        self.reserved_f = 0.0

    cdef void hold_c(self) noexcept:
        self.reserved_f = self.per_lot_f * self.lots_cap
        self.balance._add_locked(self.reserved_f)

    cdef void move_c(self, AssetBalance balance, double per_lot_f, int64_t lots_cap) noexcept:
        # Re-price: release what is held, then hold per_lot_f for each of lots_cap in balance.
        self.balance._add_locked(-self.reserved_f)
        self.balance = balance
        self.per_lot_f = per_lot_f
        self.lots_cap = lots_cap
        self.hold_c()

    cdef void refresh_c(self, int64_t leaves_lots) noexcept:
        # Follow the order's leaves down (a fill); never above lots_cap.
        cdef double reserved_f = self.per_lot_f * (
            leaves_lots if leaves_lots < self.lots_cap else self.lots_cap
        )
        self.balance._add_locked(reserved_f - self.reserved_f)
        self.reserved_f = reserved_f

    cdef void release_c(self) noexcept:
        self.balance._add_locked(-self.reserved_f)
