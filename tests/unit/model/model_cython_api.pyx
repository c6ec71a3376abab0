"""``def`` wrappers around the model's cdef API, for the model tests (see conftest.py)."""

from libc.stdint cimport int64_t, uint64_t

from hftcore.model.account_events cimport BalanceUpdate, PositionUpdate
from hftcore.model.data cimport BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.enums cimport AggressorSide, BookAction, LiquiditySide, OrderStatus, Side
from hftcore.model.identifiers cimport (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    Venue,
    VenueOrderId,
)
from hftcore.model.money cimport Money
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)


# -- IDENTIFIERS -------------------------------------------------------------------------------

def instrument_id_same_as(InstrumentId a, InstrumentId b):
    return a.same_as(b)


def instrument_id_intern(str value):
    return InstrumentId.intern(value)


# -- MARKET DATA -------------------------------------------------------------------------------

def book_delta_create(
    InstrumentId instrument_id,
    BookAction action,
    Side side,
    int64_t price_ticks,
    int64_t size_lots,
    uint64_t sequence,
    bint is_last,
    int64_t ts_event,
    int64_t ts_recv,
):
    return BookDelta.create(
        instrument_id, action, side, price_ticks, size_lots, sequence, is_last, ts_event, ts_recv
    )


def book_deltas_create(InstrumentId instrument_id, list deltas):
    return BookDeltas.create(instrument_id, deltas)


def book_snapshot_create(
    InstrumentId instrument_id,
    bid_prices_ticks,
    bid_sizes_lots,
    ask_prices_ticks,
    ask_sizes_lots,
    uint64_t sequence,
    int64_t ts_event,
    int64_t ts_recv,
):
    return BookSnapshot.create(
        instrument_id,
        bid_prices_ticks,
        bid_sizes_lots,
        ask_prices_ticks,
        ask_sizes_lots,
        sequence,
        ts_event,
        ts_recv,
    )


def quote_create(
    InstrumentId instrument_id,
    int64_t bid_price_ticks,
    int64_t bid_size_lots,
    int64_t ask_price_ticks,
    int64_t ask_size_lots,
    int64_t ts_event,
    int64_t ts_recv,
):
    return Quote.create(
        instrument_id,
        bid_price_ticks,
        bid_size_lots,
        ask_price_ticks,
        ask_size_lots,
        ts_event,
        ts_recv,
    )


def trade_create(
    InstrumentId instrument_id,
    int64_t price_ticks,
    int64_t size_lots,
    AggressorSide aggressor_side,
    TradeId trade_id,
    int64_t ts_event,
    int64_t ts_recv,
):
    return Trade.create(
        instrument_id, price_ticks, size_lots, aggressor_side, trade_id, ts_event, ts_recv
    )


# -- ORDER -------------------------------------------------------------------------------------

def order_set_status(Order order, OrderStatus status):
    order.set_status(status)


def order_set_venue_order_id(Order order, VenueOrderId venue_order_id):
    order.set_venue_order_id(venue_order_id)


def order_set_price_and_quantity(Order order, int64_t price_ticks, int64_t quantity_lots):
    order.set_price_and_quantity(price_ticks, quantity_lots)


def order_set_ts_last(Order order, int64_t ts_ns):
    order.set_ts_last(ts_ns)


def order_add_fill(Order order, int64_t qty_lots, int64_t price_ticks, int64_t ts_ns):
    order.add_fill(qty_lots, price_ticks, ts_ns)


# -- ORDER EVENTS ------------------------------------------------------------------------------

def order_submitted_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderSubmitted.create(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)


def order_accepted_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    VenueOrderId venue_order_id,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderAccepted.create(
        strategy_id, instrument_id, client_order_id, venue_order_id, ts_event, ts_recv
    )


def order_rejected_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    str reason,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderRejected.create(
        strategy_id, instrument_id, client_order_id, reason, ts_event, ts_recv
    )


def order_denied_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    str reason_code,
    str message,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderDenied.create(
        strategy_id, instrument_id, client_order_id, reason_code, message, ts_event, ts_recv
    )


def order_updated_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    VenueOrderId venue_order_id,
    int64_t price_ticks,
    int64_t quantity_lots,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderUpdated.create(
        strategy_id,
        instrument_id,
        client_order_id,
        venue_order_id,
        price_ticks,
        quantity_lots,
        ts_event,
        ts_recv,
    )


def order_filled_create(
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
):
    return OrderFilled.create(
        strategy_id,
        instrument_id,
        client_order_id,
        venue_order_id,
        trade_id,
        order_side,
        last_price_ticks,
        last_qty_lots,
        liquidity_side,
        fee,
        ts_event,
        ts_recv,
    )


def order_canceled_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderCanceled.create(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)


def order_expired_create(
    StrategyId strategy_id,
    InstrumentId instrument_id,
    ClientOrderId client_order_id,
    int64_t ts_event,
    int64_t ts_recv,
):
    return OrderExpired.create(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)


# -- ACCOUNT EVENTS ----------------------------------------------------------------------------

def balance_update_create(
    Venue venue, str asset, Money free, Money locked, int64_t ts_event, int64_t ts_recv
):
    return BalanceUpdate.create(venue, asset, free, locked, ts_event, ts_recv)


def position_update_create(
    InstrumentId instrument_id,
    int64_t quantity_lots,
    avg_price,
    Money realized_pnl,
    int64_t ts_event,
    int64_t ts_recv,
):
    return PositionUpdate.create(
        instrument_id, quantity_lots, avg_price, realized_pnl, ts_event, ts_recv
    )
