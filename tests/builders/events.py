"""Builders of model events and orders with sensible defaults; override only what a test needs.

Every builder takes the instrument as an ``InstrumentId`` or its ``SYMBOL.VENUE`` text. Defaults:
``BTCUSDT.BINANCE``, prices around 100_000 ticks, ``ts_event`` `TS_EVENT` and ``ts_recv`` one
millisecond later.
"""

from collections.abc import Sequence
from decimal import Decimal

from hftcore.model.account_events import BalanceUpdate, PositionUpdate
from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.enums import (
    AggressorSide,
    BookAction,
    LiquiditySide,
    OrderType,
    Side,
    TimeInForce,
)
from hftcore.model.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    Venue,
    VenueOrderId,
)
from hftcore.model.money import Money
from hftcore.model.order import Order
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)

INSTRUMENT_ID = "BTCUSDT.BINANCE"
"""Default instrument of every builder."""

TS_EVENT = 1_700_000_000_000_000_000
"""Default venue time, UNIX ns (2023-11-14T22:13:20Z)."""

TS_RECV = TS_EVENT + 1_000_000
"""Default local receive time: 1 ms after `TS_EVENT`."""

CLIENT_ORDER_ID = "O-1"
"""Default client order id of order builders."""

STRATEGY_ID = "S-1"
"""Default strategy id of order builders."""

VENUE_ORDER_ID = "V-1"
"""Default venue order id of order event builders."""


def as_instrument_id(instrument_id: InstrumentId | str) -> InstrumentId:
    """Return ``instrument_id`` as an interned ``InstrumentId``.

    Parameters
    ----------
    instrument_id : InstrumentId or str
        The id, or its ``SYMBOL.VENUE`` text.

    Returns
    -------
    InstrumentId
    """
    if isinstance(instrument_id, InstrumentId):
        return instrument_id
    return InstrumentId.from_str(instrument_id)


def _client_order_id(value: ClientOrderId | str) -> ClientOrderId:
    return value if isinstance(value, ClientOrderId) else ClientOrderId(value)


def _strategy_id(value: StrategyId | str) -> StrategyId:
    return value if isinstance(value, StrategyId) else StrategyId(value)


def _venue_order_id(value: VenueOrderId | str) -> VenueOrderId:
    return value if isinstance(value, VenueOrderId) else VenueOrderId(value)


# -- MARKET DATA -------------------------------------------------------------------------------


def make_book_delta(
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    action: BookAction = BookAction.UPDATE,
    side: Side = Side.BUY,
    price_ticks: int = 100_000,
    size_lots: int = 10,
    sequence: int = 1,
    is_last: bool = True,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> BookDelta:
    """Return a ``BookDelta``; by default an UPDATE of the 100_000 bid to 10 lots.

    Parameters
    ----------
    instrument_id : InstrumentId or str
        The instrument.
    action : BookAction
        The action.
    side : Side
        BUY (bid) or SELL (ask); NO_SIDE with CLEAR.
    price_ticks : int
        Level price in ticks.
    size_lots : int
        New level size in lots.
    sequence : int
        Venue sequence.
    is_last : bool
        Last delta of its venue message.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Returns
    -------
    BookDelta
    """
    return BookDelta(
        as_instrument_id(instrument_id),
        action,
        side,
        price_ticks,
        size_lots,
        sequence=sequence,
        is_last=is_last,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def make_book_deltas(
    levels: Sequence[tuple[Side, int, int]] = ((Side.BUY, 100_000, 10), (Side.SELL, 100_001, 5)),
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    sequence: int = 1,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> BookDeltas:
    """Return a ``BookDeltas`` batch of UPDATE deltas (DELETE where the size is 0).

    Parameters
    ----------
    levels : sequence of (Side, int, int)
        ``(side, price_ticks, size_lots)`` per delta, in order; only the last one is last.
    instrument_id : InstrumentId or str
        The instrument.
    sequence : int
        Venue sequence of every delta.
    ts_event : int
        Venue time of every delta, UNIX ns.
    ts_recv : int
        Local receive time of every delta, UNIX ns.

    Returns
    -------
    BookDeltas
    """
    instrument = as_instrument_id(instrument_id)
    deltas = [
        make_book_delta(
            instrument,
            BookAction.DELETE if size_lots == 0 else BookAction.UPDATE,
            side,
            price_ticks,
            size_lots,
            sequence=sequence,
            is_last=index == len(levels) - 1,
            ts_event=ts_event,
            ts_recv=ts_recv,
        )
        for index, (side, price_ticks, size_lots) in enumerate(levels)
    ]
    return BookDeltas(instrument, deltas)


def make_book_snapshot(
    bids: Sequence[tuple[int, int]] = ((100_000, 10), (99_999, 20), (99_998, 30)),
    asks: Sequence[tuple[int, int]] = ((100_001, 5), (100_002, 15), (100_003, 25)),
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    sequence: int = 1,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> BookSnapshot:
    """Return a ``BookSnapshot``; by default three levels a side around a 1-tick spread.

    Parameters
    ----------
    bids : sequence of (int, int)
        ``(price_ticks, size_lots)`` per bid level, best (highest) first.
    asks : sequence of (int, int)
        ``(price_ticks, size_lots)`` per ask level, best (lowest) first.
    instrument_id : InstrumentId or str
        The instrument.
    sequence : int
        Venue sequence.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Returns
    -------
    BookSnapshot
    """
    return BookSnapshot(
        as_instrument_id(instrument_id),
        [price for price, _ in bids],
        [size for _, size in bids],
        [price for price, _ in asks],
        [size for _, size in asks],
        sequence=sequence,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def make_quote(
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    bid_price_ticks: int = 100_000,
    bid_size_lots: int = 10,
    ask_price_ticks: int = 100_001,
    ask_size_lots: int = 5,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> Quote:
    """Return a ``Quote``; by default 10 lots at 100_000 bid, 5 lots at 100_001 ask.

    Parameters
    ----------
    instrument_id : InstrumentId or str
        The instrument.
    bid_price_ticks, ask_price_ticks : int
        Best prices in ticks.
    bid_size_lots, ask_size_lots : int
        Best sizes in lots.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Returns
    -------
    Quote
    """
    return Quote(
        as_instrument_id(instrument_id),
        bid_price_ticks,
        bid_size_lots,
        ask_price_ticks,
        ask_size_lots,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def make_trade(
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    price_ticks: int = 100_000,
    size_lots: int = 3,
    aggressor_side: AggressorSide = AggressorSide.BUYER,
    trade_id: TradeId | str = "T-1",
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> Trade:
    """Return a ``Trade``; by default a buyer taking 3 lots at 100_000.

    Parameters
    ----------
    instrument_id : InstrumentId or str
        The instrument.
    price_ticks : int
        Trade price in ticks.
    size_lots : int
        Trade size in lots.
    aggressor_side : AggressorSide
        Which side took liquidity.
    trade_id : TradeId or str
        The venue's trade id.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Returns
    -------
    Trade
    """
    return Trade(
        as_instrument_id(instrument_id),
        price_ticks,
        size_lots,
        aggressor_side,
        trade_id if isinstance(trade_id, TradeId) else TradeId(trade_id),
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


# -- ORDERS ------------------------------------------------------------------------------------


def make_order(
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    side: Side = Side.BUY,
    order_type: OrderType = OrderType.LIMIT,
    quantity_lots: int = 10,
    price_ticks: int | None = None,
    time_in_force: TimeInForce = TimeInForce.GTC,
    is_post_only: bool = False,
    is_reduce_only: bool = False,
    ts_init: int = TS_RECV,
) -> Order:
    """Return a new ``Order`` (status INITIALIZED); by default a GTC limit buy of 10 at 100_000.

    Parameters
    ----------
    client_order_id : ClientOrderId or str
        Our id of the order.
    strategy_id : StrategyId or str
        The owning strategy.
    instrument_id : InstrumentId or str
        The instrument.
    side : Side
        BUY or SELL.
    order_type : OrderType
        LIMIT or MARKET.
    quantity_lots : int
        Quantity in lots.
    price_ticks : int or None
        Limit price in ticks; ``None`` means 100_000 for LIMIT and 0 for MARKET.
    time_in_force : TimeInForce
        Time in force.
    is_post_only : bool
        Post-only flag.
    is_reduce_only : bool
        Reduce-only flag.
    ts_init : int
        Creation time, UNIX ns.

    Returns
    -------
    Order
    """
    if price_ticks is None:
        price_ticks = 100_000 if order_type == OrderType.LIMIT else 0
    return Order(
        _client_order_id(client_order_id),
        _strategy_id(strategy_id),
        as_instrument_id(instrument_id),
        side,
        order_type,
        quantity_lots,
        price_ticks=price_ticks,
        time_in_force=time_in_force,
        is_post_only=is_post_only,
        is_reduce_only=is_reduce_only,
        ts_init=ts_init,
    )


# -- ORDER EVENTS ------------------------------------------------------------------------------
#
# Every order event builder takes the keyword arguments ``strategy_id``, ``instrument_id``,
# ``client_order_id`` (ids or their text), ``ts_event`` and ``ts_recv``, defaulting to the
# module constants, followed by the event's own fields.


def _order_ids(
    strategy_id: StrategyId | str,
    instrument_id: InstrumentId | str,
    client_order_id: ClientOrderId | str,
) -> tuple[StrategyId, InstrumentId, ClientOrderId]:
    return (
        _strategy_id(strategy_id),
        as_instrument_id(instrument_id),
        _client_order_id(client_order_id),
    )


def make_order_submitted(
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderSubmitted:
    """Return an ``OrderSubmitted``.

    Parameters
    ----------
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderSubmitted
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderSubmitted(*ids, ts_event=ts_event, ts_recv=ts_recv)


def make_order_accepted(
    venue_order_id: VenueOrderId | str = VENUE_ORDER_ID,
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderAccepted:
    """Return an ``OrderAccepted``.

    Parameters
    ----------
    venue_order_id : VenueOrderId or str
        The venue's id of the order.
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderAccepted
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderAccepted(*ids, _venue_order_id(venue_order_id), ts_event=ts_event, ts_recv=ts_recv)


def make_order_rejected(
    reason: str = "-2010: Account has insufficient balance for requested action.",
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderRejected:
    """Return an ``OrderRejected``; by default with a Binance insufficient-balance reason.

    Parameters
    ----------
    reason : str
        The venue's reason.
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderRejected
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderRejected(*ids, reason, ts_event=ts_event, ts_recv=ts_recv)


def make_order_denied(
    reason_code: str = "MAX_ORDER_NOTIONAL",
    message: str = "notional 150000 USDT exceeds max_order_notional 100000 USDT",
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_RECV,
    ts_recv: int = TS_RECV,
) -> OrderDenied:
    """Return an ``OrderDenied``; by default a max-notional denial.

    Parameters
    ----------
    reason_code : str
        Machine-readable reason.
    message : str
        Human-readable explanation.
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields (a denial is local: both times default to `TS_RECV`).

    Returns
    -------
    OrderDenied
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderDenied(*ids, reason_code, message, ts_event=ts_event, ts_recv=ts_recv)


def make_order_updated(
    price_ticks: int = 99_999,
    quantity_lots: int = 8,
    venue_order_id: VenueOrderId | str = VENUE_ORDER_ID,
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderUpdated:
    """Return an ``OrderUpdated``; by default moving the order to 8 lots at 99_999.

    Parameters
    ----------
    price_ticks : int
        New limit price in ticks.
    quantity_lots : int
        New quantity in lots.
    venue_order_id : VenueOrderId or str
        The venue's id of the order.
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderUpdated
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderUpdated(
        *ids,
        _venue_order_id(venue_order_id),
        price_ticks,
        quantity_lots,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def make_order_filled(
    last_price_ticks: int = 100_000,
    last_qty_lots: int = 4,
    order_side: Side = Side.BUY,
    liquidity_side: LiquiditySide = LiquiditySide.MAKER,
    fee: Money | None = None,
    trade_id: TradeId | str = "F-1",
    venue_order_id: VenueOrderId | str = VENUE_ORDER_ID,
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderFilled:
    """Return an ``OrderFilled``; by default a maker buy of 4 lots at 100_000.

    Parameters
    ----------
    last_price_ticks : int
        Fill price in ticks.
    last_qty_lots : int
        Fill quantity in lots.
    order_side : Side
        Side of the order filled.
    liquidity_side : LiquiditySide
        MAKER or TAKER.
    fee : Money or None
        The fee; ``None`` means 0.0012 USDT.
    trade_id : TradeId or str
        The venue's fill id.
    venue_order_id : VenueOrderId or str
        The venue's id of the order.
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderFilled
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderFilled(
        *ids,
        _venue_order_id(venue_order_id),
        trade_id if isinstance(trade_id, TradeId) else TradeId(trade_id),
        order_side,
        last_price_ticks,
        last_qty_lots,
        liquidity_side,
        Money.from_str("0.0012", "USDT") if fee is None else fee,
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def make_order_canceled(
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderCanceled:
    """Return an ``OrderCanceled``.

    Parameters
    ----------
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderCanceled
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderCanceled(*ids, ts_event=ts_event, ts_recv=ts_recv)


def make_order_expired(
    strategy_id: StrategyId | str = STRATEGY_ID,
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    client_order_id: ClientOrderId | str = CLIENT_ORDER_ID,
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> OrderExpired:
    """Return an ``OrderExpired``.

    Parameters
    ----------
    strategy_id, instrument_id, client_order_id, ts_event, ts_recv
        The order event's common fields.

    Returns
    -------
    OrderExpired
    """
    ids = _order_ids(strategy_id, instrument_id, client_order_id)
    return OrderExpired(*ids, ts_event=ts_event, ts_recv=ts_recv)


# -- ACCOUNT EVENTS ----------------------------------------------------------------------------


def make_balance_update(
    venue: Venue | str = "BINANCE",
    asset: str = "USDT",
    free: str = "10000",
    locked: str = "0",
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> BalanceUpdate:
    """Return a ``BalanceUpdate``; by default 10000 USDT free on BINANCE.

    Parameters
    ----------
    venue : Venue or str
        The venue.
    asset : str
        The asset code.
    free, locked : str
        Exact decimal amounts of ``asset``.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Returns
    -------
    BalanceUpdate
    """
    return BalanceUpdate(
        venue if isinstance(venue, Venue) else Venue(venue),
        asset,
        Money.from_str(free, asset),
        Money.from_str(locked, asset),
        ts_event=ts_event,
        ts_recv=ts_recv,
    )


def make_position_update(
    instrument_id: InstrumentId | str = INSTRUMENT_ID,
    quantity_lots: int = 10,
    avg_price: Decimal | str = "61737.64",
    realized_pnl: str = "0",
    pnl_currency: str = "USDT",
    ts_event: int = TS_EVENT,
    ts_recv: int = TS_RECV,
) -> PositionUpdate:
    """Return a ``PositionUpdate``; by default long 10 lots at 61737.64 with no realized PnL.

    Parameters
    ----------
    instrument_id : InstrumentId or str
        The instrument.
    quantity_lots : int
        Signed position in lots.
    avg_price : Decimal or str
        Exact average entry price.
    realized_pnl : str
        Exact decimal realized PnL in ``pnl_currency``.
    pnl_currency : str
        Currency of the PnL.
    ts_event : int
        Time of the change, UNIX ns.
    ts_recv : int
        Local time, UNIX ns.

    Returns
    -------
    PositionUpdate
    """
    return PositionUpdate(
        as_instrument_id(instrument_id),
        quantity_lots,
        Decimal(avg_price),
        Money.from_str(realized_pnl, pnl_currency),
        ts_event=ts_event,
        ts_recv=ts_recv,
    )
