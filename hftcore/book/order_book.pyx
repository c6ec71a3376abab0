"""The interface every order book shares (L2 and L1), and its cached top of book.

``OrderBook`` keeps what every book type has: the instrument, the best bid and ask (price in ticks,
size in lots) as plain C fields, and the sequence and timestamps of the last applied event. Its
``def`` methods validate their arguments and then call trusting ``cdef`` methods, which Cython
callers (the matching simulator, adapters' book sync, strategies' Cython helpers) call directly.
``L2Book`` and ``L1Book`` implement the storage.

An empty side reads as price ``NO_PRICE_TICKS`` (the int64 minimum) and size 0; ``has_bid`` and
``has_ask`` say so without comparing against the sentinel.
"""

cimport cython
cimport numpy as cnp
from libc.math cimport NAN
from libc.stdint cimport int64_t, uint64_t

from hftcore.model.data cimport BookDelta, BookDeltas, BookSnapshot
from hftcore.model.enums cimport BookAction, Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.types cimport NO_PRICE_TICKS

from hftcore.errors import BookIntegrityError

cnp.import_array()


cdef class OrderBook:
    """Order book interface: updates, top of book, depth and VWAP queries.

    Abstract: construct an ``L2Book`` (every price level) or an ``L1Book`` (best bid and ask
    only). Prices are int64 ticks and sizes int64 lots of ``instrument_id``.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument whose events this book accepts.

    Raises
    ------
    TypeError
        If ``OrderBook`` itself is instantiated.
    """

    def __cinit__(self, InstrumentId instrument_id not None, *args, **kwargs):
        if type(self) is OrderBook:
            raise TypeError("OrderBook is abstract; construct an L2Book or an L1Book")
        self.instrument_id = instrument_id
        self.best_bid_price_ticks = NO_PRICE_TICKS
        self.best_bid_size_lots = 0
        self.best_ask_price_ticks = NO_PRICE_TICKS
        self.best_ask_size_lots = 0

    def __repr__(self):
        return (
            f"{type(self).__name__}(instrument_id={self.instrument_id.value}, "
            f"bid={self.best_bid_size_lots}@{_format_price(self.best_bid_price_ticks)}, "
            f"ask={self.best_ask_size_lots}@{_format_price(self.best_ask_price_ticks)}, "
            f"levels={self._level_count(Side.BUY)}x{self._level_count(Side.SELL)}, "
            f"sequence={self.sequence})"
        )

    # -- VALIDATION ----------------------------------------------------------------------------

    cdef int _check_level(
        self, Side side, int64_t price_ticks, int64_t size_lots, str owner
    ) except -1:
        if side != Side.BUY and side != Side.SELL:
            raise BookIntegrityError(f"{owner}side: expected BUY or SELL, got {side!r}")
        if price_ticks < 1 or price_ticks > MAX_PRICE_TICKS:
            raise BookIntegrityError(
                f"{owner}price_ticks: expected 1..{MAX_PRICE_TICKS}, got {price_ticks}"
            )
        if size_lots < 0:
            raise BookIntegrityError(f"{owner}size_lots: expected >= 0, got {size_lots}")
        return 0

    cdef bint _is_valid_delta(self, BookDelta delta) noexcept:
        # The checks of _check_delta without building an error, for the per-delta fast path.
        if not self.instrument_id.same_as(delta.instrument_id):
            return False
        if delta.action == BookAction.CLEAR:
            return True
        return (
            (
                delta.action == BookAction.ADD
                or delta.action == BookAction.UPDATE
                or delta.action == BookAction.DELETE
            )
            and (delta.side == Side.BUY or delta.side == Side.SELL)
            and 1 <= delta.price_ticks <= MAX_PRICE_TICKS
            and delta.size_lots >= 0
        )

    cdef int _check_delta(self, BookDelta delta) except -1:
        if self._is_valid_delta(delta):
            return 0
        self._check_instrument(delta.instrument_id, "BookDelta")
        if delta.action == BookAction.CLEAR:
            return 0
        if (
            delta.action != BookAction.ADD
            and delta.action != BookAction.UPDATE
            and delta.action != BookAction.DELETE
        ):
            raise BookIntegrityError(
                f"BookDelta.action: expected ADD, UPDATE, DELETE or CLEAR, got {delta.action!r}"
            )
        self._check_level(delta.side, delta.price_ticks, delta.size_lots, "BookDelta.")
        return 0

    cdef int _check_instrument(self, InstrumentId instrument_id, str event_name) except -1:
        if instrument_id is None:
            raise BookIntegrityError(f"{event_name}.instrument_id: expected an id, got None")
        if not self.instrument_id.same_as(instrument_id):
            raise BookIntegrityError(
                f"{event_name}.instrument_id: expected {self.instrument_id.value}, "
                f"got {instrument_id.value}"
            )
        return 0

    cdef int _check_snapshot(self, BookSnapshot snapshot) except -1:
        self._check_instrument(snapshot.instrument_id, "BookSnapshot")
        _check_snapshot_side(
            snapshot.bid_prices_ticks, snapshot.bid_sizes_lots, Side.BUY, "bid"
        )
        _check_snapshot_side(
            snapshot.ask_prices_ticks, snapshot.ask_sizes_lots, Side.SELL, "ask"
        )
        return 0

    # -- UPDATES -------------------------------------------------------------------------------

    def update_level(self, Side side, int64_t price_ticks, int64_t size_lots):
        """Set the total size of one price level; size 0 deletes the level.

        Parameters
        ----------
        side : Side
            BUY for a bid level, SELL for an ask level.
        price_ticks : int
            Level price in ticks, 1 to ``MAX_PRICE_TICKS``.
        size_lots : int
            New total size of the level in lots; 0 deletes it (a no-op for an absent level).

        Raises
        ------
        BookIntegrityError
            If ``side`` is not BUY or SELL, the price is out of range or the size is negative;
            the book is left unchanged.
        """
        self._check_level(side, price_ticks, size_lots, "")
        self._update_level(side, price_ticks, size_lots)
        self.update_count += 1

    def apply_delta(self, BookDelta delta not None):
        """Apply one delta and record its sequence and timestamps.

        ADD and UPDATE set the level's size (0 deletes it), DELETE removes the level and CLEAR
        empties the whole book.

        Parameters
        ----------
        delta : BookDelta
            The delta; its instrument must be this book's.

        Raises
        ------
        BookIntegrityError
            If the delta belongs to another instrument, has an unknown action, a side other than
            BUY or SELL, a price out of range or a negative size; the book is left unchanged.
        """
        self._check_delta(delta)
        self._apply_delta(delta)

    def apply_deltas(self, BookDeltas deltas not None):
        """Apply a batch of deltas in order, then record the batch's sequence and timestamps.

        Every delta is validated before any is applied, so a bad batch leaves the book unchanged.

        Parameters
        ----------
        deltas : BookDeltas
            The batch; its instrument and every delta's must be this book's.

        Raises
        ------
        BookIntegrityError
            If the batch or any delta fails the checks of ``apply_delta``, or an item of
            ``deltas.deltas`` is not a ``BookDelta``; the message names the item's index.
        """
        cdef Py_ssize_t index = 0
        self._check_instrument(deltas.instrument_id, "BookDeltas")
        if deltas.deltas is None:
            raise BookIntegrityError("BookDeltas.deltas: expected a list, got None")
        for item in deltas.deltas:
            if type(item) is not BookDelta:
                raise BookIntegrityError(
                    f"BookDeltas.deltas[{index}]: expected BookDelta, got {type(item).__name__}"
                )
            if not self._is_valid_delta(<BookDelta>item):
                try:
                    self._check_delta(<BookDelta>item)
                except BookIntegrityError as error:
                    raise BookIntegrityError(f"BookDeltas.deltas[{index}]: {error}") from None
            index += 1
        self._apply_deltas(deltas)

    def apply_snapshot(self, BookSnapshot snapshot not None):
        """Replace the whole book with a snapshot and record its sequence and timestamps.

        Levels of size 0 in the snapshot are skipped.

        Parameters
        ----------
        snapshot : BookSnapshot
            The snapshot; its instrument must be this book's. Each side is a pair of 1-D int64
            arrays, best level first: bid prices strictly decreasing, ask prices strictly
            increasing.

        Raises
        ------
        BookIntegrityError
            If the snapshot belongs to another instrument, an array is not 1-D int64, the
            arrays of a side differ in length, prices are out of range or out of order, or a
            size is negative; the book is left unchanged.
        """
        self._check_snapshot(snapshot)
        self._apply_snapshot(snapshot)

    def clear(self):
        """Remove every level; sequence, timestamps and ``update_count`` are kept."""
        self._clear()

    cdef int _update_level(self, Side side, int64_t price_ticks, int64_t size_lots) except -1:
        raise NotImplementedError("OrderBook._update_level")

    cdef int _apply_change(self, BookDelta delta) except -1:
        if delta.action == BookAction.CLEAR:
            self._clear()
        elif delta.action == BookAction.DELETE:
            self._update_level(delta.side, delta.price_ticks, 0)
        else:
            self._update_level(delta.side, delta.price_ticks, delta.size_lots)
        return 0

    cdef int _apply_delta(self, BookDelta delta) except -1:
        self._apply_change(delta)
        self._stamp(delta.sequence, delta.ts_event, delta.ts_recv)
        return 0

    @cython.boundscheck(False)  # i runs over range(len(items))
    @cython.wraparound(False)
    cdef int _apply_deltas(self, BookDeltas deltas) except -1:
        cdef list items = deltas.deltas
        cdef Py_ssize_t i
        for i in range(len(items)):
            self._apply_change(<BookDelta>items[i])
        self._stamp(deltas.sequence, deltas.ts_event, deltas.ts_recv)
        return 0

    cdef int _apply_snapshot(self, BookSnapshot snapshot) except -1:
        raise NotImplementedError("OrderBook._apply_snapshot")

    cdef void _clear(self) noexcept:
        # Never reached: OrderBook cannot be instantiated and every book type overrides it.
        pass

    cdef void _stamp(self, uint64_t sequence, int64_t ts_event, int64_t ts_recv) noexcept:
        self.sequence = sequence
        self.ts_event = ts_event
        self.ts_recv = ts_recv
        self.update_count += 1

    # -- QUERIES -------------------------------------------------------------------------------

    @property
    def has_bid(self):
        """bool: True when the book has at least one bid level."""
        return self._has_bid()

    @property
    def has_ask(self):
        """bool: True when the book has at least one ask level."""
        return self._has_ask()

    @property
    def spread_ticks(self):
        """int: Best ask minus best bid in ticks (negative when crossed); ``NO_PRICE_TICKS``
        when either side is empty."""
        return self._spread_ticks()

    @property
    def mid_price_ticks_x2(self):
        """int: Best bid plus best ask in ticks (twice the mid, exact); ``NO_PRICE_TICKS`` when
        either side is empty."""
        return self._mid_price_ticks_x2()

    @property
    def mid_price_ticks(self):
        """float: Mid price in ticks, ``(bid + ask) / 2``; NaN when either side is empty."""
        cdef int64_t mid_x2 = self._mid_price_ticks_x2()
        if mid_x2 == NO_PRICE_TICKS:
            return NAN
        return mid_x2 / 2.0

    @property
    def bid_level_count(self):
        """int: Number of bid levels held."""
        return self._level_count(Side.BUY)

    @property
    def ask_level_count(self):
        """int: Number of ask levels held."""
        return self._level_count(Side.SELL)

    def is_crossed(self):
        """Return whether the best bid is at or above the best ask.

        Returns
        -------
        bool
            True when both sides are present and ``best_bid_price_ticks >=
            best_ask_price_ticks``. Venues cross transiently; the book reports it and does not
            reject the update.
        """
        return self._is_crossed()

    def depth(self, Side side, Py_ssize_t n):
        """Return up to ``n`` levels of one side, best level first.

        Parameters
        ----------
        side : Side
            BUY for bids (highest first), SELL for asks (lowest first).
        n : int
            Maximum number of levels; fewer are returned when the side holds fewer.

        Returns
        -------
        prices_ticks : numpy.ndarray
            int64 level prices in ticks (a copy).
        sizes_lots : numpy.ndarray
            int64 level sizes in lots, aligned with ``prices_ticks`` (a copy).

        Raises
        ------
        ValueError
            If ``side`` is not BUY or SELL or ``n`` is negative.
        """
        cdef cnp.npy_intp count
        if side != Side.BUY and side != Side.SELL:
            raise ValueError(f"side: expected BUY or SELL, got {side!r}")
        if n < 0:
            raise ValueError(f"n: expected >= 0, got {n}")
        count = min(n, self._level_count(side))
        prices_ticks = cnp.PyArray_EMPTY(1, &count, cnp.NPY_INT64, 0)
        sizes_lots = cnp.PyArray_EMPTY(1, &count, cnp.NPY_INT64, 0)
        self._copy_depth(
            side,
            count,
            <int64_t*>cnp.PyArray_DATA(prices_ticks),
            <int64_t*>cnp.PyArray_DATA(sizes_lots),
        )
        return prices_ticks, sizes_lots

    def vwap_ticks(self, Side taker_side, int64_t qty_lots):
        """Return the average price, worst price and fill of a market order walking the book.

        A BUY taker walks the asks from the lowest price up; a SELL taker walks the bids from
        the highest price down. The book itself is not changed.

        Parameters
        ----------
        taker_side : Side
            Side of the aggressing order.
        qty_lots : int
            Quantity to fill in lots, positive.

        Returns
        -------
        vwap_ticks : float
            Volume-weighted average fill price in ticks; NaN when the opposite side is empty.
        worst_price_ticks : int
            Price of the last (worst) level touched; ``NO_PRICE_TICKS`` when nothing fills.
        filled_lots : int
            Lots filled: ``qty_lots``, or less when the opposite side is too thin.

        Raises
        ------
        ValueError
            If ``taker_side`` is not BUY or SELL or ``qty_lots`` is not positive.
        """
        if taker_side != Side.BUY and taker_side != Side.SELL:
            raise ValueError(f"taker_side: expected BUY or SELL, got {taker_side!r}")
        if qty_lots <= 0:
            raise ValueError(f"qty_lots: expected > 0, got {qty_lots}")
        cdef VwapFill fill = self._vwap(taker_side, qty_lots)
        return fill.vwap_ticks, fill.worst_price_ticks, fill.filled_lots

    cdef Py_ssize_t _level_count(self, Side side) noexcept:
        # Never reached: OrderBook cannot be instantiated and every book type overrides it.
        return 0

    cdef int64_t _price_at(self, Side side, Py_ssize_t level) noexcept:
        # Never reached: OrderBook cannot be instantiated and every book type overrides it.
        return NO_PRICE_TICKS

    cdef int64_t _size_at(self, Side side, Py_ssize_t level) noexcept:
        # Never reached: OrderBook cannot be instantiated and every book type overrides it.
        return 0

    cdef Py_ssize_t _copy_depth(
        self, Side side, Py_ssize_t n, int64_t* prices_ticks, int64_t* sizes_lots
    ) noexcept:
        # Never reached: OrderBook cannot be instantiated and every book type overrides it.
        return 0

    cdef VwapFill _vwap(self, Side taker_side, int64_t qty_lots) noexcept:
        # Never reached: OrderBook cannot be instantiated and every book type overrides it.
        return _empty_fill()

    # -- TOP OF BOOK ---------------------------------------------------------------------------

    cdef bint _has_bid(self) noexcept:
        return self.best_bid_price_ticks != NO_PRICE_TICKS

    cdef bint _has_ask(self) noexcept:
        return self.best_ask_price_ticks != NO_PRICE_TICKS

    cdef bint _is_crossed(self) noexcept:
        return (
            self.best_bid_price_ticks != NO_PRICE_TICKS
            and self.best_ask_price_ticks != NO_PRICE_TICKS
            and self.best_bid_price_ticks >= self.best_ask_price_ticks
        )

    cdef int64_t _spread_ticks(self) noexcept:
        if (
            self.best_bid_price_ticks == NO_PRICE_TICKS
            or self.best_ask_price_ticks == NO_PRICE_TICKS
        ):
            return NO_PRICE_TICKS
        return self.best_ask_price_ticks - self.best_bid_price_ticks

    cdef int64_t _mid_price_ticks_x2(self) noexcept:
        if (
            self.best_bid_price_ticks == NO_PRICE_TICKS
            or self.best_ask_price_ticks == NO_PRICE_TICKS
        ):
            return NO_PRICE_TICKS
        return self.best_bid_price_ticks + self.best_ask_price_ticks


# -- HELPERS -----------------------------------------------------------------------------------

def _format_price(int64_t price_ticks):
    return "none" if price_ticks == NO_PRICE_TICKS else str(price_ticks)


cdef VwapFill _empty_fill() noexcept:
    cdef VwapFill fill
    fill.vwap_ticks = NAN
    fill.worst_price_ticks = NO_PRICE_TICKS
    fill.filled_lots = 0
    return fill


cdef int _check_snapshot_side(
    object prices_obj, object sizes_obj, Side side, str name
) except -1:
    cdef const int64_t[:] prices_ticks = _int64_view(prices_obj, f"{name}_prices_ticks")
    cdef const int64_t[:] sizes_lots = _int64_view(sizes_obj, f"{name}_sizes_lots")
    cdef Py_ssize_t i
    cdef int64_t price
    if prices_ticks.shape[0] != sizes_lots.shape[0]:
        raise BookIntegrityError(
            f"BookSnapshot.{name}_sizes_lots: expected {prices_ticks.shape[0]} sizes to match "
            f"{name}_prices_ticks, got {sizes_lots.shape[0]}"
        )
    for i in range(prices_ticks.shape[0]):
        price = prices_ticks[i]
        if price < 1 or price > MAX_PRICE_TICKS:
            raise BookIntegrityError(
                f"BookSnapshot.{name}_prices_ticks[{i}]: expected 1..{MAX_PRICE_TICKS}, "
                f"got {price}"
            )
        if i > 0 and side == Side.BUY and price >= prices_ticks[i - 1]:
            raise BookIntegrityError(
                f"BookSnapshot.bid_prices_ticks[{i}]: expected below {prices_ticks[i - 1]} "
                f"(best first, strictly decreasing), got {price}"
            )
        if i > 0 and side == Side.SELL and price <= prices_ticks[i - 1]:
            raise BookIntegrityError(
                f"BookSnapshot.ask_prices_ticks[{i}]: expected above {prices_ticks[i - 1]} "
                f"(best first, strictly increasing), got {price}"
            )
        if sizes_lots[i] < 0:
            raise BookIntegrityError(
                f"BookSnapshot.{name}_sizes_lots[{i}]: expected >= 0, got {sizes_lots[i]}"
            )
    return 0


cdef const int64_t[:] _int64_view(object array, str field):
    cdef const int64_t[:] view
    if array is None:
        raise BookIntegrityError(f"BookSnapshot.{field}: expected a 1-D int64 array, got None")
    try:
        view = array
    except (TypeError, ValueError, BufferError) as error:
        raise BookIntegrityError(
            f"BookSnapshot.{field}: expected a 1-D int64 array, got {type(array).__name__} "
            f"({error})"
        ) from None
    return view
