"""Top-of-book (L1, best bid and ask only) order book behind the ``OrderBook`` interface.

An ``L1Book`` holds nothing but the cached best bid and ask of ``OrderBook``. It is fed by
``apply_quote`` (a venue's BBO stream), and it also accepts the L2 events so the same code can
drive either book type, with these semantics:

- ``update_level`` (and ADD/UPDATE deltas) at a price better than or equal to the current best
  sets the top; a price behind the best is ignored, since the book keeps no deeper levels.
- Size 0 (or a DELETE) at the best price empties that side until the next update: the level
  below it is unknown. Size 0 at any other price is ignored.
- ``apply_snapshot`` keeps the first level of non-zero size of each side.
- ``depth`` returns at most one level per side and ``vwap_ticks`` fills at most the best size.
"""

cimport cython
from libc.math cimport NAN
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport MAX_PRICE_TICKS, OrderBook, VwapFill
from hftcore.model.data cimport BookSnapshot, Quote
from hftcore.model.enums cimport Side
from hftcore.model.types cimport NO_PRICE_TICKS

from hftcore.errors import BookIntegrityError


@cython.final
cdef class L1Book(OrderBook):
    """Top-of-book order book: best bid and ask only, in int64 ticks and lots.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument whose events this book accepts.

    Notes
    -----
    Fed by ``apply_quote``; the L2 updates are accepted with top-of-book semantics: an update
    at or better than the best price sets the top, one behind it is ignored, and size 0 at the
    best price empties that side until the next update (the level below is unknown). A
    snapshot keeps the first non-empty level of each side; ``depth`` returns at most one level
    and ``vwap_ticks`` fills at most the best size.
    """

    # -- UPDATES -------------------------------------------------------------------------------

    def apply_quote(self, Quote quote not None):
        """Set the best bid and ask from a quote and record its timestamps.

        A side whose size is 0 becomes empty (its price is then ignored). Quotes carry no
        sequence, so ``sequence`` becomes 0.

        Parameters
        ----------
        quote : Quote
            The quote; its instrument must be this book's.

        Raises
        ------
        BookIntegrityError
            If the quote belongs to another instrument, a size is negative or a price of a
            non-empty side is out of range; the book is left unchanged.
        """
        self._check_quote(quote)
        self._apply_quote(quote)

    cdef int _check_quote(self, Quote quote) except -1:
        self._check_instrument(quote.instrument_id, "Quote")
        if quote.bid_size_lots < 0:
            raise BookIntegrityError(
                f"Quote.bid_size_lots: expected >= 0, got {quote.bid_size_lots}"
            )
        if quote.ask_size_lots < 0:
            raise BookIntegrityError(
                f"Quote.ask_size_lots: expected >= 0, got {quote.ask_size_lots}"
            )
        if quote.bid_size_lots > 0 and not 1 <= quote.bid_price_ticks <= MAX_PRICE_TICKS:
            raise BookIntegrityError(
                f"Quote.bid_price_ticks: expected 1..{MAX_PRICE_TICKS}, "
                f"got {quote.bid_price_ticks}"
            )
        if quote.ask_size_lots > 0 and not 1 <= quote.ask_price_ticks <= MAX_PRICE_TICKS:
            raise BookIntegrityError(
                f"Quote.ask_price_ticks: expected 1..{MAX_PRICE_TICKS}, "
                f"got {quote.ask_price_ticks}"
            )
        return 0

    cdef int _apply_quote(self, Quote quote) except -1:
        if quote.bid_size_lots > 0:
            self.best_bid_price_ticks = quote.bid_price_ticks
            self.best_bid_size_lots = quote.bid_size_lots
        else:
            self.best_bid_price_ticks = NO_PRICE_TICKS
            self.best_bid_size_lots = 0
        if quote.ask_size_lots > 0:
            self.best_ask_price_ticks = quote.ask_price_ticks
            self.best_ask_size_lots = quote.ask_size_lots
        else:
            self.best_ask_price_ticks = NO_PRICE_TICKS
            self.best_ask_size_lots = 0
        self._stamp(0, quote.ts_event, quote.ts_recv)
        return 0

    cdef int _update_level(self, Side side, int64_t price_ticks, int64_t size_lots) except -1:
        if side == Side.BUY:
            if price_ticks == self.best_bid_price_ticks or (
                size_lots > 0 and price_ticks > self.best_bid_price_ticks
            ):
                self.best_bid_price_ticks = price_ticks if size_lots > 0 else NO_PRICE_TICKS
                self.best_bid_size_lots = size_lots
        elif price_ticks == self.best_ask_price_ticks or (
            size_lots > 0
            and (self.best_ask_price_ticks == NO_PRICE_TICKS
                 or price_ticks < self.best_ask_price_ticks)
        ):
            self.best_ask_price_ticks = price_ticks if size_lots > 0 else NO_PRICE_TICKS
            self.best_ask_size_lots = size_lots
        return 0

    cdef int _apply_snapshot(self, BookSnapshot snapshot) except -1:
        cdef const int64_t[:] bid_prices_ticks = snapshot.bid_prices_ticks
        cdef const int64_t[:] bid_sizes_lots = snapshot.bid_sizes_lots
        cdef const int64_t[:] ask_prices_ticks = snapshot.ask_prices_ticks
        cdef const int64_t[:] ask_sizes_lots = snapshot.ask_sizes_lots
        cdef Py_ssize_t i
        self._clear()
        for i in range(bid_prices_ticks.shape[0]):
            if bid_sizes_lots[i] > 0:
                self.best_bid_price_ticks = bid_prices_ticks[i]
                self.best_bid_size_lots = bid_sizes_lots[i]
                break
        for i in range(ask_prices_ticks.shape[0]):
            if ask_sizes_lots[i] > 0:
                self.best_ask_price_ticks = ask_prices_ticks[i]
                self.best_ask_size_lots = ask_sizes_lots[i]
                break
        self._stamp(snapshot.sequence, snapshot.ts_event, snapshot.ts_recv)
        return 0

    cdef void _clear(self) noexcept:
        self.best_bid_price_ticks = NO_PRICE_TICKS
        self.best_bid_size_lots = 0
        self.best_ask_price_ticks = NO_PRICE_TICKS
        self.best_ask_size_lots = 0

    # -- QUERIES -------------------------------------------------------------------------------

    cdef Py_ssize_t _level_count(self, Side side) noexcept:
        if side == Side.BUY:
            return self.best_bid_price_ticks != NO_PRICE_TICKS
        return self.best_ask_price_ticks != NO_PRICE_TICKS

    cdef int64_t _price_at(self, Side side, Py_ssize_t level) noexcept:
        # Only level 0 exists; the caller guarantees ``level < _level_count(side)``.
        return self.best_bid_price_ticks if side == Side.BUY else self.best_ask_price_ticks

    cdef int64_t _size_at(self, Side side, Py_ssize_t level) noexcept:
        # Only level 0 exists; the caller guarantees ``level < _level_count(side)``.
        return self.best_bid_size_lots if side == Side.BUY else self.best_ask_size_lots

    cdef Py_ssize_t _copy_depth(
        self, Side side, Py_ssize_t n, int64_t* prices_ticks, int64_t* sizes_lots
    ) noexcept:
        if n < 1 or self._level_count(side) == 0:
            return 0
        prices_ticks[0] = self._price_at(side, 0)
        sizes_lots[0] = self._size_at(side, 0)
        return 1

    cdef VwapFill _vwap(self, Side taker_side, int64_t qty_lots) noexcept:
        # A BUY taker lifts the ask, a SELL taker hits the bid.
        cdef Side book_side = Side.SELL if taker_side == Side.BUY else Side.BUY
        cdef VwapFill fill
        if self._level_count(book_side) == 0:
            fill.vwap_ticks = NAN
            fill.worst_price_ticks = NO_PRICE_TICKS
            fill.filled_lots = 0
            return fill
        fill.worst_price_ticks = self._price_at(book_side, 0)
        fill.vwap_ticks = <double>fill.worst_price_ticks
        fill.filled_lots = min(qty_lots, self._size_at(book_side, 0))
        return fill
