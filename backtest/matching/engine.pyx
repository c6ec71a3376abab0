"""Order matching of one instrument at a simulated venue, against the book rebuilt from data.

Everything here runs on the venue timeline: the replay engine calls the ``on_*`` methods with
market data at its venue time (``ts_event``) and the command methods when a command arrives
(send time + entry latency). Every report goes to the venue's ``ReportQueue`` stamped with its
venue time and the local time it will reach the strategy.

Aggressive orders (and the crossing part of a limit order) walk the opposite side level by
level, filling at each level's price up to its displayed size (less what our earlier aggressive
orders took from it since the data last updated that level), with the taker fee. Nothing fills
beyond displayed depth. Resting orders fill with the maker fee, at their own price, when:

- a trade prints at their price and the queue ahead (``QueueModel``) is exhausted: the part of
  the trade left after the queue ahead fills them, partially if need be;
- a trade prints through their price (below a bid, above an ask): fully;
- the opposite side of the book moves to or through their price: fully.

Our orders do not change the recorded book (no market impact) and never match each other.
"""

from libc.math cimport NAN
from libc.stdint cimport int64_t
from libc.stdlib cimport free, realloc
from libc.string cimport memmove

from backtest.account cimport SimAccount
from backtest.matching.orders cimport SimOrder, sim_order_from
from backtest.matching.reports cimport ReportQueue, VenueIds
from backtest.models.fees cimport FeeSchedule
from backtest.models.queue cimport QueueModel
from hftcore.book.l2_book cimport L2Book, find_level
from hftcore.book.order_book cimport OrderBook
from hftcore.model.enums cimport (
    AggressorSide,
    LiquiditySide,
    OrderType,
    Side,
    TimeInForce,
)
from hftcore.model.identifiers cimport ClientOrderId, TradeId
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)
from hftcore.model.types cimport NO_PRICE_TICKS

cdef inline Side _opposite(Side side) noexcept:
    return Side.SELL if side == Side.BUY else Side.BUY


cdef class MatchingEngine:
    """Matches our orders of one instrument against the recorded book and trades.

    Parameters
    ----------
    instrument : Instrument
        The instrument.
    fees : FeeSchedule
        Its fee schedule at this venue.
    queue_model : QueueModel
        The queue-position model of resting orders.
    account : SimAccount
        The venue account (balances, positions).
    reports : ReportQueue
        The venue's report queue.
    ids : VenueIds
        The venue's id counters.
    local_book : OrderBook, optional
        The strategy-side book of the instrument, read for the mid at each fill.
    """

    def __cinit__(self):
        self._taken = NULL
        self._taken_count = 0
        self._taken_capacity = 0
        self._resting_keys = NULL
        self._resting_capacity = 0

    def __init__(
        self,
        Instrument instrument not None,
        FeeSchedule fees not None,
        QueueModel queue_model not None,
        SimAccount account not None,
        ReportQueue reports not None,
        VenueIds ids not None,
        OrderBook local_book=None,
    ):
        self.instrument = instrument
        self.instrument_id = instrument.id
        self.book = L2Book(instrument.id)
        self.fees = fees
        self.queue_model = queue_model
        self.account = account
        self.reports = reports
        self.ids = ids
        self.local_book = local_book
        self.resting_count = 0
        self._resting = []
        self._open = {}
        self._in_snapshot = False
        self._lot_size_f = instrument.lot_size_f

    def __dealloc__(self):
        free(self._taken)
        free(self._resting_keys)

    def __repr__(self):
        return (
            f"MatchingEngine({self.instrument_id.value}, resting={self.resting_count}, "
            f"book={self.book!r})"
        )

    def resting_orders(self):
        """Return our resting orders in arrival order (``SimOrder`` copies are live objects)."""
        return list(self._resting)

    def open_order(self, ClientOrderId client_order_id not None):
        """Return the venue's ``SimOrder`` of ``client_order_id``, or None when not open."""
        return self._open.get(client_order_id)

    # -- PYTHON ENTRY POINTS (paper mode, tests) -----------------------------------------------

    def apply_book_level(self, Side side, int64_t price_ticks, int64_t size_lots):
        """Set one level of the venue book (size 0 deletes it), as a book row would.

        Parameters
        ----------
        side : Side
            BUY (bid) or SELL (ask).
        price_ticks : int
            Level price, ticks, > 0.
        size_lots : int
            New level size, lots, >= 0.

        Raises
        ------
        ValueError
            If the side, price or size is out of range.
        """
        if side != Side.BUY and side != Side.SELL:
            raise ValueError(f"side: expected BUY or SELL, got {side!r}")
        if price_ticks <= 0 or size_lots < 0:
            raise ValueError(
                f"price_ticks/size_lots: expected > 0 and >= 0, got {price_ticks}, {size_lots}"
            )
        self.on_book_level(side, price_ticks, size_lots)

    def apply_book_clear(self):
        """Empty the venue book (a snapshot follows; queue estimates are kept)."""
        self.on_book_clear()

    def apply_book_consistent(self, int64_t venue_ns):
        """Mark the end of a venue message: fills resting orders the book has crossed."""
        self.on_book_consistent(venue_ns)

    def apply_trade(
        self, int64_t price_ticks, int64_t size_lots, AggressorSide aggressor, int64_t venue_ns
    ):
        """Apply a public trade printed at venue time ``venue_ns``.

        Parameters
        ----------
        price_ticks : int
            Trade price, ticks.
        size_lots : int
            Trade size, lots, > 0.
        aggressor : AggressorSide
            BUYER, SELLER or NO_AGGRESSOR (then it may fill either side).
        venue_ns : int
            Venue time, UNIX ns.
        """
        if size_lots <= 0:
            raise ValueError(f"size_lots: expected > 0, got {size_lots}")
        self.on_trade(price_ticks, size_lots, aggressor, venue_ns)

    def submit_order(self, Order order not None, int64_t venue_ns):
        """Process the arrival of a new order (a copy of ``order`` is taken)."""
        self.submit(sim_order_from(order), venue_ns)

    def cancel_order(self, ClientOrderId client_order_id not None, int64_t venue_ns):
        """Process the arrival of a cancel request."""
        self.cancel(client_order_id, venue_ns)

    def modify_order(
        self,
        ClientOrderId client_order_id not None,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t venue_ns,
    ):
        """Process the arrival of a cancel-replace request."""
        self.modify(client_order_id, price_ticks, quantity_lots, venue_ns)

    # -- MARKET DATA (venue timeline) ----------------------------------------------------------

    cdef int on_book_level(self, Side side, int64_t price_ticks, int64_t size_lots) except -1:
        cdef int64_t prev_lots
        cdef SimOrder order
        if self.resting_count == 0 or not self._rests_at(side, price_ticks):
            self.book._update_level(side, price_ticks, size_lots)
            if self._taken_count:
                self._clear_taken(side, price_ticks)
            return 0
        prev_lots = self._level_lots(side, price_ticks)
        self.book._update_level(side, price_ticks, size_lots)
        if self._taken_count:
            self._clear_taken(side, price_ticks)
        if self._in_snapshot or prev_lots == size_lots:
            return 0
        for order in self._resting:
            if order.side == side and order.price_ticks == price_ticks:
                self.queue_model.on_depth(&order.queue, prev_lots, size_lots, self._lot_size_f)
        return 0

    cdef int on_book_clear(self) except -1:
        # A snapshot follows: queue estimates are kept and re-capped when it ends.
        self.book._clear()
        self._taken_count = 0
        self._in_snapshot = True
        return 0

    cdef int on_book_consistent(self, int64_t venue_ns) except -1:
        cdef SimOrder order
        cdef int64_t level_lots
        if self._in_snapshot:
            self._in_snapshot = False
            for order in self._resting:
                level_lots = self._level_lots(order.side, order.price_ticks)
                if order.queue.ahead_lots > level_lots:
                    order.queue.ahead_lots = level_lots
        if self.resting_count:
            self._fill_crossed(venue_ns)
        return 0

    cdef int on_top_of_book(
        self,
        int64_t bid_price_ticks,
        int64_t bid_size_lots,
        int64_t ask_price_ticks,
        int64_t ask_size_lots,
        int64_t venue_ns,
    ) except -1:
        # Instruments recorded as quotes only: the book is the best bid and ask.
        self.on_book_clear()
        if bid_size_lots > 0:
            self.on_book_level(Side.BUY, bid_price_ticks, bid_size_lots)
        if ask_size_lots > 0:
            self.on_book_level(Side.SELL, ask_price_ticks, ask_size_lots)
        return self.on_book_consistent(venue_ns)

    cdef int on_trade(
        self, int64_t price_ticks, int64_t size_lots, AggressorSide aggressor, int64_t venue_ns
    ) except -1:
        cdef SimOrder order
        cdef list fills = None
        cdef int64_t reached_lots
        cdef Py_ssize_t i
        if self.resting_count == 0 or not self._trade_reaches(price_ticks, aggressor):
            return 0
        for order in self._resting:
            reached_lots = 0
            if order.side == Side.BUY and aggressor != AggressorSide.BUYER:
                if price_ticks < order.price_ticks:
                    reached_lots = order.leaves_lots_c()
                elif price_ticks == order.price_ticks:
                    reached_lots = self.queue_model.on_trade(&order.queue, size_lots)
            elif order.side == Side.SELL and aggressor != AggressorSide.SELLER:
                if price_ticks > order.price_ticks:
                    reached_lots = order.leaves_lots_c()
                elif price_ticks == order.price_ticks:
                    reached_lots = self.queue_model.on_trade(&order.queue, size_lots)
            if reached_lots > 0:
                if fills is None:
                    fills = []
                fills.append((order, min(reached_lots, order.leaves_lots_c())))
        if fills is not None:
            for i in range(len(fills)):
                order, reached_lots = fills[i]
                self._fill(order, order.price_ticks, reached_lots, LiquiditySide.MAKER, venue_ns)
        return 0

    # -- COMMANDS ------------------------------------------------------------------------------

    cdef int submit(self, SimOrder order, int64_t venue_ns) except -1:
        cdef str reason = self._validate(order)
        cdef list walk
        cdef int64_t fillable_lots = 0
        cdef int64_t check_price_ticks
        cdef int64_t check_lots
        cdef tuple need = None
        cdef object item
        if reason is not None:
            return self._reject(order, reason, venue_ns)
        walk = self._taker_walk(order)
        for item in walk:
            fillable_lots += (<tuple>item)[1]
        if order.order_type == OrderType.MARKET:
            check_price_ticks = (<tuple>walk[len(walk) - 1])[0] if walk else 0
            check_lots = fillable_lots
        else:
            check_price_ticks = order.price_ticks
            check_lots = order.quantity_lots
        if check_lots > 0:
            need = self.account.requirement(
                self.instrument, order.side, check_price_ticks, check_lots, self.fees,
                order.is_reduce_only,
            )
            if not self.account.can_lock(need[0], need[1]):
                self.account.rejected_count += 1
                return self._reject(
                    order,
                    f"insufficient balance: needs {self.account.amount(need[1])} {need[0]}, "
                    f"free {self.account.free(need[0])}",
                    venue_ns,
                )
        order.venue_order_id = self.ids.next_order_id()
        order.accepted_ns = venue_ns
        self._open[order.client_order_id] = order
        self.accepted_count += 1
        cdef int64_t recv_ns = self.reports.report_time(venue_ns)
        self.reports.push(
            recv_ns,
            OrderAccepted.create(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                order.venue_order_id,
                venue_ns,
                recv_ns,
            ),
        )
        if order.time_in_force == TimeInForce.FOK and fillable_lots < order.quantity_lots:
            return self._report_closed(order, False, venue_ns)
        self._take(order, walk, venue_ns)
        if order.leaves_lots_c() == 0:
            return 0
        if (
            order.order_type == OrderType.MARKET
            or order.time_in_force == TimeInForce.IOC
            or order.time_in_force == TimeInForce.FOK
        ):
            return self._report_closed(order, False, venue_ns)
        # A limit order that took nothing locks what was checked above.
        return self._rest(order, venue_ns, need if order.filled_lots == 0 else None)

    cdef int cancel(self, ClientOrderId client_order_id, int64_t venue_ns) except -1:
        cdef SimOrder order = self._open.get(client_order_id)
        if order is None:
            self.late_cancel_count += 1
            return 0
        self._unrest(order)
        return self._report_closed(order, True, venue_ns)

    cdef int modify(
        self,
        ClientOrderId client_order_id,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t venue_ns,
    ) except -1:
        cdef SimOrder order = self._open.get(client_order_id)
        cdef tuple need
        cdef list walk
        cdef object old_locked
        if order is None:
            self.late_modify_count += 1
            return 0
        if (
            quantity_lots <= order.filled_lots
            or price_ticks <= 0
            or (order.is_post_only and self._crosses(order.side, price_ticks))
        ):
            self.modify_rejected_count += 1
            return self._report_updated(order, venue_ns)
        if price_ticks == order.price_ticks and quantity_lots <= order.quantity_lots:
            # A size decrease keeps the queue position; release the funds no longer needed.
            if quantity_lots < order.quantity_lots:
                need = self.account.requirement(
                    self.instrument, order.side, order.price_ticks,
                    order.quantity_lots - quantity_lots, self.fees, order.is_reduce_only,
                )
                self.account.unlock(order.lock_asset, need[1])
                order.locked_amount -= need[1]
                order.quantity_lots = quantity_lots
            self.modified_count += 1
            return self._report_updated(order, venue_ns)
        # Cancel-replace: a new price or a larger size goes to the back of the queue.
        need = self.account.requirement(
            self.instrument, order.side, price_ticks, quantity_lots - order.filled_lots,
            self.fees, order.is_reduce_only,
        )
        old_locked = order.locked_amount
        self.account.unlock(order.lock_asset, old_locked)
        if not self.account.can_lock(need[0], need[1]):
            self.account.lock(order.lock_asset, old_locked)
            self.modify_rejected_count += 1
            return self._report_updated(order, venue_ns)
        order.lock_asset = None  # released above
        order.locked_amount = None
        self._unrest(order)
        order.price_ticks = price_ticks
        order.quantity_lots = quantity_lots
        order.accepted_ns = venue_ns
        self._open[order.client_order_id] = order
        self.modified_count += 1
        self._report_updated(order, venue_ns)
        walk = self._taker_walk(order)
        self._take(order, walk, venue_ns)
        if order.leaves_lots_c() > 0:
            self._rest(order, venue_ns, need if not walk else None)
        return 0

    # -- MATCHING ------------------------------------------------------------------------------

    cdef str _validate(self, SimOrder order):
        cdef Instrument instrument = self.instrument
        if order.client_order_id in self._open:
            return f"duplicate client order id {order.client_order_id.value}"
        if order.quantity_lots < instrument.min_quantity_lots:
            return (
                f"quantity {order.quantity_lots} lots below the minimum "
                f"{instrument.min_quantity_lots} lots"
            )
        if order.order_type == OrderType.LIMIT and not instrument.min_notional_ok_c(
            order.price_ticks, order.quantity_lots
        ):
            return (
                f"notional {instrument.notional(order.price_ticks, order.quantity_lots)} below "
                f"the minimum {instrument.min_notional}"
            )
        if order.is_reduce_only:
            reason = self.account.check_reduce_only(instrument, order.side, order.quantity_lots)
            if reason is not None:
                return reason
        if order.is_post_only and self._crosses(order.side, order.price_ticks):
            return "post-only order would immediately match and take liquidity"
        return None

    cdef bint _crosses(self, Side side, int64_t price_ticks) noexcept:
        cdef int64_t best_ticks = self._best_price(_opposite(side))
        if best_ticks == NO_PRICE_TICKS:
            return False
        return price_ticks >= best_ticks if side == Side.BUY else price_ticks <= best_ticks

    cdef int64_t _best_price(self, Side book_side) noexcept:
        # Best level of one side with liquidity left after what our takers consumed.
        cdef Py_ssize_t count = self.book._level_count(book_side)
        cdef Py_ssize_t i
        cdef int64_t price_ticks
        for i in range(count):
            price_ticks = self.book._price_at(book_side, i)
            if self._available_lots(book_side, price_ticks, self.book._size_at(book_side, i)) > 0:
                return price_ticks
            if self._taken_count == 0:
                break
        return NO_PRICE_TICKS

    cdef int64_t _available_lots(
        self, Side book_side, int64_t price_ticks, int64_t size_lots
    ) noexcept:
        cdef Py_ssize_t i
        for i in range(self._taken_count):
            if self._taken[i].side == book_side and self._taken[i].price_ticks == price_ticks:
                return size_lots - self._taken[i].lots
        return size_lots

    cdef int64_t _level_lots(self, Side side, int64_t price_ticks) noexcept:
        cdef bint found
        cdef Py_ssize_t index
        if side == Side.BUY:
            index = find_level(&self.book._bids, price_ticks, &found)
            return self.book._bids.sizes_lots[index] if found else 0
        index = find_level(&self.book._asks, -price_ticks, &found)
        return self.book._asks.sizes_lots[index] if found else 0

    cdef list _taker_walk(self, SimOrder order):
        # [(price_ticks, lots), ...] the order would take, best level first.
        cdef Side book_side = _opposite(order.side)
        cdef Py_ssize_t count = self.book._level_count(book_side)
        cdef int64_t wanted_lots = order.leaves_lots_c()
        cdef bint is_market = order.order_type == OrderType.MARKET
        cdef list walk = []
        cdef Py_ssize_t i
        cdef int64_t price_ticks
        cdef int64_t lots
        if order.is_post_only:
            return walk
        for i in range(count):
            if wanted_lots == 0:
                break
            price_ticks = self.book._price_at(book_side, i)
            if not is_market and (
                (order.side == Side.BUY and price_ticks > order.price_ticks)
                or (order.side == Side.SELL and price_ticks < order.price_ticks)
            ):
                break
            lots = min(
                wanted_lots,
                self._available_lots(book_side, price_ticks, self.book._size_at(book_side, i)),
            )
            if lots > 0:
                walk.append((price_ticks, lots))
                wanted_lots -= lots
        return walk

    cdef int _take(self, SimOrder order, list walk, int64_t venue_ns) except -1:
        cdef Side book_side = _opposite(order.side)
        cdef object item
        cdef int64_t price_ticks
        cdef int64_t lots
        for item in walk:
            price_ticks = (<tuple>item)[0]
            lots = (<tuple>item)[1]
            self._add_taken(book_side, price_ticks, lots)
            self._fill(order, price_ticks, lots, LiquiditySide.TAKER, venue_ns)
        return 0

    cdef int _rest(self, SimOrder order, int64_t venue_ns, tuple need) except -1:
        # ``need``: the order's requirement at its price and leaves quantity, when known.
        if need is None:
            need = self.account.requirement(
                self.instrument, order.side, order.price_ticks, order.leaves_lots_c(), self.fees,
                order.is_reduce_only,
            )
        cdef int64_t ahead_lots = self._available_lots(
            order.side, order.price_ticks, self._level_lots(order.side, order.price_ticks)
        )
        cdef SimOrder other
        # Our own orders already at the price are ahead too (they are not in the data).
        for other in self._resting:
            if other.side == order.side and other.price_ticks == order.price_ticks:
                ahead_lots += other.leaves_lots_c()
        self.account.lock(need[0], need[1])
        order.lock_asset = need[0]
        order.locked_amount = need[1]
        self.queue_model.on_new(&order.queue, ahead_lots)
        order.accepted_ns = venue_ns
        if self.resting_count == self._resting_capacity:
            self._grow_resting_keys()
        self._resting_keys[self.resting_count].price_ticks = order.price_ticks
        self._resting_keys[self.resting_count].side = order.side
        self._resting.append(order)
        self.resting_count += 1
        return 0

    cdef int _grow_resting_keys(self) except -1:
        cdef Py_ssize_t capacity = max(8, 2 * self._resting_capacity)
        cdef RestingKey* grown = <RestingKey*>realloc(
            self._resting_keys, capacity * sizeof(RestingKey)
        )
        if grown == NULL:
            raise MemoryError(f"MatchingEngine: cannot grow the resting keys to {capacity}")
        self._resting_keys = grown
        self._resting_capacity = capacity
        return 0

    cdef int _unrest(self, SimOrder order) except -1:
        # Remove a resting order (if it rests) and release its funds.
        cdef Py_ssize_t i
        for i in range(self.resting_count):
            if self._resting[i] is order:
                del self._resting[i]
                self.resting_count -= 1
                memmove(
                    &self._resting_keys[i],
                    &self._resting_keys[i + 1],
                    (self.resting_count - i) * sizeof(RestingKey),
                )
                break
        if order.lock_asset is not None:
            self.account.unlock(order.lock_asset, order.locked_amount)
            order.lock_asset = None
            order.locked_amount = None
        return 0

    cdef int _fill(
        self, SimOrder order, int64_t price_ticks, int64_t qty_lots, LiquiditySide liquidity,
        int64_t venue_ns
    ) except -1:
        cdef Money fee = self.fees.fee(
            self.instrument, order.side, price_ticks, qty_lots, liquidity == LiquiditySide.MAKER
        )
        cdef tuple need
        cdef TradeId trade_id
        cdef int64_t recv_ns
        cdef int64_t mid_x2
        cdef OrderFilled event
        if order.lock_asset is not None:
            if qty_lots == order.leaves_lots_c():
                self.account.unlock(order.lock_asset, order.locked_amount)
                order.locked_amount = 0
            else:
                need = self.account.requirement(
                    self.instrument, order.side, order.price_ticks, qty_lots, self.fees,
                    order.is_reduce_only,
                )
                self.account.unlock(order.lock_asset, need[1])
                order.locked_amount -= need[1]
        self.account.apply_fill(self.instrument, order.side, price_ticks, qty_lots, fee)
        order.filled_lots += qty_lots
        if liquidity == LiquiditySide.MAKER:
            self.maker_fill_count += 1
        else:
            self.taker_fill_count += 1
        trade_id = self.ids.next_trade_id()
        recv_ns = self.reports.report_time(venue_ns)
        event = OrderFilled.create(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            order.venue_order_id,
            trade_id,
            order.side,
            price_ticks,
            qty_lots,
            liquidity,
            fee,
            venue_ns,
            recv_ns,
        )
        if self.local_book is not None:
            mid_x2 = self.local_book._mid_price_ticks_x2()
            self.reports.push_fill(
                recv_ns, event, NAN if mid_x2 == NO_PRICE_TICKS else mid_x2 / 2.0
            )
        else:
            self.reports.push(recv_ns, event)
        if order.leaves_lots_c() == 0:
            self._unrest(order)
            del self._open[order.client_order_id]
        return 0

    cdef int _fill_crossed(self, int64_t venue_ns) except -1:
        cdef int64_t best_bid_ticks = self._best_price(Side.BUY)
        cdef int64_t best_ask_ticks = self._best_price(Side.SELL)
        cdef list crossed = None
        cdef SimOrder order
        if not self._any_crossed(best_bid_ticks, best_ask_ticks):
            return 0
        for order in self._resting:
            if (
                order.side == Side.BUY
                and best_ask_ticks != NO_PRICE_TICKS
                and best_ask_ticks <= order.price_ticks
            ) or (
                order.side == Side.SELL
                and best_bid_ticks != NO_PRICE_TICKS
                and best_bid_ticks >= order.price_ticks
            ):
                if crossed is None:
                    crossed = []
                crossed.append(order)
        if crossed is not None:
            for order in crossed:
                self._fill(
                    order, order.price_ticks, order.leaves_lots_c(), LiquiditySide.MAKER, venue_ns
                )
        return 0

    cdef int _add_taken(self, Side book_side, int64_t price_ticks, int64_t lots) except -1:
        cdef Py_ssize_t i
        cdef TakenLevel* grown
        for i in range(self._taken_count):
            if self._taken[i].side == book_side and self._taken[i].price_ticks == price_ticks:
                self._taken[i].lots += lots
                return 0
        if self._taken_count == self._taken_capacity:
            grown = <TakenLevel*>realloc(
                self._taken, max(8, 2 * self._taken_capacity) * sizeof(TakenLevel)
            )
            if grown == NULL:
                raise MemoryError("MatchingEngine: cannot grow the taken-liquidity table")
            self._taken = grown
            self._taken_capacity = max(8, 2 * self._taken_capacity)
        self._taken[self._taken_count].side = book_side
        self._taken[self._taken_count].price_ticks = price_ticks
        self._taken[self._taken_count].lots = lots
        self._taken_count += 1
        return 0

    cdef void _clear_taken(self, Side book_side, int64_t price_ticks) noexcept:
        cdef Py_ssize_t i
        for i in range(self._taken_count):
            if self._taken[i].side == book_side and self._taken[i].price_ticks == price_ticks:
                self._taken_count -= 1
                self._taken[i] = self._taken[self._taken_count]
                return

    # Scans of the resting keys: a row touching none of our orders skips the Python objects.

    cdef bint _rests_at(self, Side side, int64_t price_ticks) noexcept:
        cdef Py_ssize_t i
        for i in range(self.resting_count):
            if (
                self._resting_keys[i].price_ticks == price_ticks
                and self._resting_keys[i].side == side
            ):
                return True
        return False

    cdef bint _trade_reaches(self, int64_t price_ticks, AggressorSide aggressor) noexcept:
        # True when the trade prints at or through the price of a resting order it can fill.
        cdef Py_ssize_t i
        for i in range(self.resting_count):
            if self._resting_keys[i].side == Side.BUY:
                if aggressor != AggressorSide.BUYER and (
                    price_ticks <= self._resting_keys[i].price_ticks
                ):
                    return True
            elif aggressor != AggressorSide.SELLER and (
                price_ticks >= self._resting_keys[i].price_ticks
            ):
                return True
        return False

    cdef bint _any_crossed(self, int64_t best_bid_ticks, int64_t best_ask_ticks) noexcept:
        cdef Py_ssize_t i
        for i in range(self.resting_count):
            if self._resting_keys[i].side == Side.BUY:
                if (
                    best_ask_ticks != NO_PRICE_TICKS
                    and best_ask_ticks <= self._resting_keys[i].price_ticks
                ):
                    return True
            elif (
                best_bid_ticks != NO_PRICE_TICKS
                and best_bid_ticks >= self._resting_keys[i].price_ticks
            ):
                return True
        return False

    # -- REPORTS -------------------------------------------------------------------------------

    cdef int _reject(self, SimOrder order, str reason, int64_t venue_ns) except -1:
        cdef int64_t recv_ns = self.reports.report_time(venue_ns)
        self.rejected_count += 1
        self.reports.push(
            recv_ns,
            OrderRejected.create(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                reason,
                venue_ns,
                recv_ns,
            ),
        )
        return 0

    cdef int _report_updated(self, SimOrder order, int64_t venue_ns) except -1:
        cdef int64_t recv_ns = self.reports.report_time(venue_ns)
        self.reports.push(
            recv_ns,
            OrderUpdated.create(
                order.strategy_id,
                order.instrument_id,
                order.client_order_id,
                order.venue_order_id,
                order.price_ticks,
                order.quantity_lots,
                venue_ns,
                recv_ns,
            ),
        )
        return 0

    cdef int _report_closed(self, SimOrder order, bint is_canceled, int64_t venue_ns) except -1:
        cdef int64_t recv_ns = self.reports.report_time(venue_ns)
        self._open.pop(order.client_order_id, None)
        if is_canceled:
            self.canceled_count += 1
            event = OrderCanceled.create(
                order.strategy_id, order.instrument_id, order.client_order_id, venue_ns, recv_ns
            )
        else:
            self.expired_count += 1
            event = OrderExpired.create(
                order.strategy_id, order.instrument_id, order.client_order_id, venue_ns, recv_ns
            )
        self.reports.push(recv_ns, event)
        return 0
