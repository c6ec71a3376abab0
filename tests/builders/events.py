"""Builders of model events and orders with sensible defaults; override only what a test needs.

Every builder takes the instrument as an ``InstrumentId`` or its ``SYMBOL.VENUE`` text. Defaults:
``BTCUSDT.BINANCE``, prices around 100_000 ticks, ``ts_event`` `TS_EVENT` and ``ts_recv`` one
millisecond later.
"""

from collections.abc import Sequence

from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot, Quote, Trade
from hftcore.model.enums import AggressorSide, BookAction, OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, InstrumentId, StrategyId, TradeId
from hftcore.model.order import Order

INSTRUMENT_ID = "BTCUSDT.BINANCE"
"""Default instrument of every builder."""

TS_EVENT = 1_700_000_000_000_000_000
"""Default venue time, UNIX ns (2023-11-14T22:13:20Z)."""

TS_RECV = TS_EVENT + 1_000_000
"""Default local receive time: 1 ms after `TS_EVENT`."""


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
    client_order_id: ClientOrderId | str = "O-1",
    strategy_id: StrategyId | str = "S-1",
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
        client_order_id
        if isinstance(client_order_id, ClientOrderId)
        else ClientOrderId(client_order_id),
        strategy_id if isinstance(strategy_id, StrategyId) else StrategyId(strategy_id),
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
