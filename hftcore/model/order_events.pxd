"""Order events: what happened to one of our orders, from submission to its final status."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.enums cimport LiquiditySide, Side
from hftcore.model.identifiers cimport (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from hftcore.model.money cimport Money


# -- BASE --------------------------------------------------------------------------------------

cdef class OrderEvent:
    cdef readonly StrategyId strategy_id
    """The strategy that owns the order."""
    cdef readonly InstrumentId instrument_id
    """The instrument of the order."""
    cdef readonly ClientOrderId client_order_id
    """Our id of the order."""
    cdef readonly int64_t ts_event
    """Time the event happened (venue time for venue reports, local for our own), UNIX ns."""
    cdef readonly int64_t ts_recv
    """Local time the event was received or created, UNIX ns."""

    cdef int _set_base(
        self,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    ) except -1
    cdef int _same_base(self, OrderEvent other) except -1
    cdef dict _base_record(self)


# -- LIFECYCLE ---------------------------------------------------------------------------------

@cython.final
cdef class OrderSubmitted(OrderEvent):
    @staticmethod
    cdef OrderSubmitted create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderAccepted(OrderEvent):
    cdef readonly VenueOrderId venue_order_id
    """The venue's id of the order."""

    @staticmethod
    cdef OrderAccepted create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderRejected(OrderEvent):
    cdef readonly str reason
    """The venue's reason, as the venue worded it."""

    @staticmethod
    cdef OrderRejected create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        str reason,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderDenied(OrderEvent):
    cdef readonly str reason_code
    """Machine-readable reason, e.g. ``MAX_ORDER_NOTIONAL``."""
    cdef readonly str message
    """Human-readable explanation with the values that caused the denial."""

    @staticmethod
    cdef OrderDenied create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        str reason_code,
        str message,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderUpdated(OrderEvent):
    cdef readonly VenueOrderId venue_order_id
    """The venue's id of the order."""
    cdef readonly int64_t price_ticks
    """New limit price in ticks (0 for a market order)."""
    cdef readonly int64_t quantity_lots
    """New order quantity in lots."""

    @staticmethod
    cdef OrderUpdated create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderFilled(OrderEvent):
    cdef readonly VenueOrderId venue_order_id
    """The venue's id of the order."""
    cdef readonly TradeId trade_id
    """The venue's id of the fill."""
    cdef readonly Side order_side
    """Side of the order filled: BUY or SELL."""
    cdef readonly int64_t last_price_ticks
    """Price of this fill in ticks."""
    cdef readonly int64_t last_qty_lots
    """Quantity of this fill in lots."""
    cdef readonly LiquiditySide liquidity_side
    """MAKER or TAKER (NO_LIQUIDITY_SIDE when the venue does not say)."""
    cdef readonly Money fee
    """Fee charged for this fill in ``fee.currency``; negative for a rebate."""

    @staticmethod
    cdef OrderFilled create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        TradeId trade_id,
        Side order_side,
        int64_t last_price_ticks,
        int64_t last_qty_lots,
        LiquiditySide liquidity_side,
        Money fee,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderCanceled(OrderEvent):
    @staticmethod
    cdef OrderCanceled create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    )


@cython.final
cdef class OrderExpired(OrderEvent):
    @staticmethod
    cdef OrderExpired create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    )
