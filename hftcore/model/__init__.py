"""hftcore's domain model: enums, fixed-point numbers, identifiers, instruments, events, orders.

Every public name of the model modules is re-exported here, so callers write
``from hftcore.model import InstrumentId, BookDelta, Money``. Cython code cimports from the
modules themselves (``from hftcore.model.data cimport BookDelta``).
"""

from hftcore.model.account_events import BalanceUpdate, PositionUpdate
from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.enums import (
    AggressorSide,
    BookAction,
    BookType,
    Environment,
    InstrumentKind,
    LiquiditySide,
    OrderStatus,
    OrderType,
    RoundingMode,
    Side,
    TimeInForce,
    TradingState,
    parse_enum,
)
from hftcore.model.fixed_point import Price, Quantity, format_fixed, parse_fixed
from hftcore.model.identifiers import (
    ClientOrderId,
    Identifier,
    InstrumentId,
    StrategyId,
    Symbol,
    TradeId,
    Venue,
    VenueOrderId,
)
from hftcore.model.instrument import Instrument
from hftcore.model.money import Money
from hftcore.model.order import Order
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)

__all__ = [
    "AggressorSide",
    "BalanceUpdate",
    "BookAction",
    "BookDelta",
    "BookDeltas",
    "BookSnapshot",
    "BookType",
    "ClientOrderId",
    "Environment",
    "Identifier",
    "Instrument",
    "InstrumentId",
    "InstrumentKind",
    "LiquiditySide",
    "Money",
    "Order",
    "OrderAccepted",
    "OrderCanceled",
    "OrderDenied",
    "OrderEvent",
    "OrderExpired",
    "OrderFilled",
    "OrderRejected",
    "OrderStatus",
    "OrderSubmitted",
    "OrderType",
    "OrderUpdated",
    "PositionUpdate",
    "Price",
    "Quantity",
    "Quote",
    "RoundingMode",
    "Side",
    "StrategyId",
    "Symbol",
    "TimeInForce",
    "Trade",
    "TradeId",
    "TradingState",
    "Venue",
    "VenueOrderId",
    "format_fixed",
    "parse_enum",
    "parse_fixed",
]
