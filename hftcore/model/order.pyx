"""The Order record: what the cache and the OMS know about one of our orders.

An ``Order`` is a mutable record, read-only from Python. Only Cython code changes it, through the
``set_*`` and ``add_fill`` methods declared in ``order.pxd``; the order state machine
(``hftcore.execution.order_fsm``) decides which status changes are legal and calls them. The
record itself checks only what keeps it consistent: quantities stay positive, fills never go past
the order quantity, market orders have no price.
"""

cimport cython

from hftcore.errors import InvalidOrderError, OverfillError
from hftcore.model.enums import OrderStatus as PyOrderStatus
from hftcore.model.enums import OrderType as PyOrderType
from hftcore.model.enums import Side as PySide
from hftcore.model.enums import TimeInForce as PyTimeInForce


cdef inline bint _is_known_status(OrderStatus status) noexcept:
    return OrderStatus.INITIALIZED <= status <= OrderStatus.EXPIRED


cdef int _init_order(
    Order order,
    ClientOrderId client_order_id,
    StrategyId strategy_id,
    InstrumentId instrument_id,
    Side side,
    OrderType order_type,
    int64_t quantity_lots,
    int64_t price_ticks,
    TimeInForce time_in_force,
    bint is_post_only,
    bint is_reduce_only,
    int64_t ts_init,
) except -1:
    # Shared by ``Order.__init__`` and ``Order.create``; messages are built only on failure.
    if side != Side.BUY and side != Side.SELL:
        raise InvalidOrderError(
            f"order {client_order_id.value}: side: expected BUY or SELL, got {<int>side}"
        )
    if order_type != OrderType.LIMIT and order_type != OrderType.MARKET:
        raise InvalidOrderError(
            f"order {client_order_id.value}: order_type: expected LIMIT or MARKET, "
            f"got {<int>order_type}"
        )
    if not TimeInForce.GTC <= time_in_force <= TimeInForce.GTX:
        raise InvalidOrderError(
            f"order {client_order_id.value}: time_in_force: expected GTC, IOC, FOK or GTX, "
            f"got {<int>time_in_force}"
        )
    if is_post_only and not (
        order_type == OrderType.LIMIT
        and (time_in_force == TimeInForce.GTC or time_in_force == TimeInForce.GTX)
    ):
        raise InvalidOrderError(
            f"order {client_order_id.value}: is_post_only: expected a LIMIT order with GTC or "
            f"GTX, got {PyOrderType(order_type).name} {PyTimeInForce(time_in_force).name}"
        )
    if time_in_force == TimeInForce.GTX and order_type != OrderType.LIMIT:
        raise InvalidOrderError(
            f"order {client_order_id.value}: time_in_force: GTX needs a LIMIT order, got MARKET"
        )
    if ts_init < 0:
        raise InvalidOrderError(
            f"order {client_order_id.value}: ts_init: expected UNIX ns >= 0, got {ts_init}"
        )
    order.order_type = order_type
    order.client_order_id = client_order_id
    order._check_price_quantity(price_ticks, quantity_lots, 0)
    order.venue_order_id = None
    order.strategy_id = strategy_id
    order.instrument_id = instrument_id
    order.side = side
    order.time_in_force = time_in_force
    order.is_post_only = is_post_only
    order.is_reduce_only = is_reduce_only
    order.price_ticks = price_ticks
    order.quantity_lots = quantity_lots
    order.filled_lots = 0
    order.avg_fill_price_ticks = 0.0
    order.status = OrderStatus.INITIALIZED
    order.ts_init = ts_init
    order.ts_last = ts_init
    return 0


# No cyclic GC: an order holds only identifiers and numbers, so it can be in no cycle; the
# cache holds every order of the run and the collector need not walk them.
@cython.no_gc
cdef class Order:
    """One of our orders as the cache and the OMS track it.

    Parameters
    ----------
    client_order_id : ClientOrderId
        Our id of the order (the OMS generates it).
    strategy_id : StrategyId
        The strategy that owns the order.
    instrument_id : InstrumentId
        The instrument traded.
    side : Side
        BUY or SELL.
    order_type : OrderType
        LIMIT or MARKET.
    quantity_lots : int
        Order quantity in lots, > 0.
    price_ticks : int
        Limit price in ticks: > 0 for LIMIT, 0 for MARKET.
    time_in_force : TimeInForce
        GTC, IOC, FOK, or GTX (post-only time in force, LIMIT only).
    is_post_only : bool
        Only add liquidity; LIMIT with GTC or GTX only.
    is_reduce_only : bool
        Only reduce a position.
    ts_init : int
        Local creation time, UNIX ns; also the initial ``ts_last``.

    Raises
    ------
    InvalidOrderError
        If an enum is out of range, the quantity is not positive, the price does not match the
        order type, or the post-only flag or GTX time in force is used with a market order or an
        immediate time in force.
    """

    def __init__(
        self,
        ClientOrderId client_order_id not None,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        Side side,
        OrderType order_type,
        int64_t quantity_lots,
        int64_t price_ticks=0,
        TimeInForce time_in_force=TimeInForce.GTC,
        bint is_post_only=False,
        bint is_reduce_only=False,
        int64_t ts_init=0,
    ):
        _init_order(
            self,
            client_order_id,
            strategy_id,
            instrument_id,
            side,
            order_type,
            quantity_lots,
            price_ticks,
            time_in_force,
            is_post_only,
            is_reduce_only,
            ts_init,
        )

    cdef int _check_price_quantity(
        self, int64_t price_ticks, int64_t quantity_lots, int64_t filled_lots
    ) except -1:
        # The messages are built only on failure: this runs for every order and modify.
        if quantity_lots <= 0:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: quantity_lots: expected > 0, "
                f"got {quantity_lots}"
            )
        if quantity_lots < filled_lots:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: quantity_lots: expected >= filled_lots "
                f"{filled_lots}, got {quantity_lots}"
            )
        if self.order_type == OrderType.LIMIT and price_ticks <= 0:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: price_ticks: expected > 0 for a LIMIT "
                f"order, got {price_ticks}"
            )
        if self.order_type == OrderType.MARKET and price_ticks != 0:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: price_ticks: expected 0 for a MARKET "
                f"order, got {price_ticks}"
            )
        return 0

    # -- COMMANDS (called by the order state machine) ------------------------------------------

    cdef int set_status(self, OrderStatus status) except -1:
        if not _is_known_status(status):
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: status: expected an OrderStatus, "
                f"got {<int>status}"
            )
        self.status = status
        return 0

    cdef int set_venue_order_id(self, VenueOrderId venue_order_id) except -1:
        if venue_order_id is None:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: venue_order_id: expected a VenueOrderId, "
                f"got None"
            )
        self.venue_order_id = venue_order_id
        return 0

    cdef int set_price_and_quantity(self, int64_t price_ticks, int64_t quantity_lots) except -1:
        self._check_price_quantity(price_ticks, quantity_lots, self.filled_lots)
        self.price_ticks = price_ticks
        self.quantity_lots = quantity_lots
        return 0

    cdef int set_ts_last(self, int64_t ts_ns) except -1:
        if ts_ns < 0:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: ts_last: expected UNIX ns >= 0, got {ts_ns}"
            )
        self.ts_last = ts_ns
        return 0

    cdef int add_fill(self, int64_t qty_lots, int64_t price_ticks, int64_t ts_ns) except -1:
        cdef int64_t filled_lots
        if qty_lots <= 0:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: fill qty_lots: expected > 0, got {qty_lots}"
            )
        if price_ticks <= 0:
            raise InvalidOrderError(
                f"order {self.client_order_id.value}: fill price_ticks: expected > 0, "
                f"got {price_ticks}"
            )
        if qty_lots > self.quantity_lots - self.filled_lots:
            raise OverfillError(
                f"order {self.client_order_id.value}: fill of {qty_lots} lots would overfill: "
                f"filled {self.filled_lots} of {self.quantity_lots} lots"
            )
        self.set_ts_last(ts_ns)
        filled_lots = self.filled_lots + qty_lots
        self.avg_fill_price_ticks += (
            (price_ticks - self.avg_fill_price_ticks) * qty_lots / <double>filled_lots
        )
        self.filled_lots = filled_lots
        return 0

    # -- QUERIES -------------------------------------------------------------------------------

    cdef int64_t leaves_lots_c(self) noexcept:
        return self.quantity_lots - self.filled_lots

    cdef bint is_open_c(self) noexcept:
        return (
            self.status == OrderStatus.ACCEPTED
            or self.status == OrderStatus.PARTIALLY_FILLED
            or self.status == OrderStatus.PENDING_UPDATE
            or self.status == OrderStatus.PENDING_CANCEL
        )

    cdef bint is_closed_c(self) noexcept:
        return (
            self.status == OrderStatus.FILLED
            or self.status == OrderStatus.CANCELED
            or self.status == OrderStatus.REJECTED
            or self.status == OrderStatus.EXPIRED
            or self.status == OrderStatus.DENIED
        )

    @property
    def leaves_lots(self):
        """int: Quantity still to fill in lots (``quantity_lots - filled_lots``)."""
        return self.leaves_lots_c()

    @property
    def is_open(self):
        """bool: True when the order is live (ACCEPTED, PARTIALLY_FILLED, PENDING_*)."""
        return self.is_open_c()

    @property
    def is_closed(self):
        """bool: True when the order is final (FILLED, CANCELED, REJECTED, EXPIRED, DENIED)."""
        return self.is_closed_c()

    @property
    def is_buy(self):
        """bool: True for a BUY order."""
        return self.side == Side.BUY

    def __repr__(self):
        venue_order_id = None if self.venue_order_id is None else self.venue_order_id.value
        return (
            f"Order(client_order_id={self.client_order_id.value}, "
            f"venue_order_id={venue_order_id}, strategy_id={self.strategy_id.value}, "
            f"instrument_id={self.instrument_id.value}, side={PySide(self.side).name}, "
            f"order_type={PyOrderType(self.order_type).name}, "
            f"time_in_force={PyTimeInForce(self.time_in_force).name}, "
            f"price_ticks={self.price_ticks}, quantity_lots={self.quantity_lots}, "
            f"filled_lots={self.filled_lots}, status={PyOrderStatus(self.status).name})"
        )

    # -- FACTORY -------------------------------------------------------------------------------

    @staticmethod
    cdef Order create(
        ClientOrderId client_order_id,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        Side side,
        OrderType order_type,
        int64_t quantity_lots,
        int64_t price_ticks,
        TimeInForce time_in_force,
        bint is_post_only,
        bint is_reduce_only,
        int64_t ts_init,
    ):
        # The OMS's constructor: the checks of ``__init__`` without Python argument parsing.
        # The ids must not be None (the caller checked them).
        cdef Order order = Order.__new__(Order)
        _init_order(
            order,
            client_order_id,
            strategy_id,
            instrument_id,
            side,
            order_type,
            quantity_lots,
            price_ticks,
            time_in_force,
            is_post_only,
            is_reduce_only,
            ts_init,
        )
        return order
