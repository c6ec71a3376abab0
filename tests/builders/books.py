"""Builders of order books for tests: ``make_l2_book``, ``make_l1_book``, and book events
replayed from a real Binance capture (``load_binance_depth_replay``)."""

import gzip
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from hftcore.book import L1Book, L2Book
from hftcore.model.data import BookDelta, BookDeltas, BookSnapshot
from hftcore.model.enums import BookAction, Side
from hftcore.model.identifiers import InstrumentId

BOOK_INSTRUMENT_ID = InstrumentId.from_str("BTCUSDT.BINANCE")
"""Instrument of the books built here unless another is given."""

DEFAULT_BIDS = ((6_173_763, 378), (6_173_762, 120), (6_173_760, 55), (6_173_700, 1_000))
"""Bid levels ``(price_ticks, size_lots)``, best first: BTCUSDT at 0.01 USDT ticks."""

DEFAULT_ASKS = ((6_173_764, 154), (6_173_765, 40), (6_173_770, 300), (6_173_800, 2_500))
"""Ask levels ``(price_ticks, size_lots)``, best first; the spread is one tick."""


def make_l2_book(
    bids: Iterable[tuple[int, int]] = DEFAULT_BIDS,
    asks: Iterable[tuple[int, int]] = DEFAULT_ASKS,
    instrument_id: InstrumentId = BOOK_INSTRUMENT_ID,
) -> L2Book:
    """Return an ``L2Book`` holding the given levels.

    Parameters
    ----------
    bids, asks : iterable of tuple of (int, int)
        ``(price_ticks, size_lots)`` levels of each side, in any order.
    instrument_id : InstrumentId
        The book's instrument.

    Returns
    -------
    L2Book
        The book, with ``update_count`` equal to the number of levels set.
    """
    book = L2Book(instrument_id)
    _set_levels(book, bids, asks)
    return book


def make_l1_book(
    bid: tuple[int, int] | None = DEFAULT_BIDS[0],
    ask: tuple[int, int] | None = DEFAULT_ASKS[0],
    instrument_id: InstrumentId = BOOK_INSTRUMENT_ID,
) -> L1Book:
    """Return an ``L1Book`` whose best bid and ask are the given levels.

    Parameters
    ----------
    bid, ask : tuple of (int, int) or None
        ``(price_ticks, size_lots)`` of the top of each side; None leaves that side empty.
    instrument_id : InstrumentId
        The book's instrument.

    Returns
    -------
    L1Book
    """
    book = L1Book(instrument_id)
    _set_levels(book, [bid] if bid else [], [ask] if ask else [])
    return book


def _set_levels(book, bids: Iterable[tuple[int, int]], asks: Iterable[tuple[int, int]]) -> None:
    for price_ticks, size_lots in bids:
        book.update_level(Side.BUY, price_ticks, size_lots)
    for price_ticks, size_lots in asks:
        book.update_level(Side.SELL, price_ticks, size_lots)


BINANCE_BTCUSDT_TICK = Decimal("0.01")
"""Price tick of Binance spot BTCUSDT."""

BINANCE_BTCUSDT_LOT = Decimal("0.00000001")
"""Quantity unit of Binance spot BTCUSDT depth: level sizes carry 8 decimals, finer than the
0.00001 order step."""


def load_binance_depth_replay(
    capture: Path,
    instrument_id: InstrumentId = BOOK_INSTRUMENT_ID,
    tick: Decimal = BINANCE_BTCUSDT_TICK,
    lot: Decimal = BINANCE_BTCUSDT_LOT,
) -> tuple[BookSnapshot, list[BookDeltas]]:
    """Return the REST snapshot and the synced diff batches of an hftbacktest Binance capture.

    The capture (``binance/hftbacktest_spot_*.jsonl.gz`` in the shared data, lines of
    ``<ts_recv ns> <raw JSON>``) holds ``depthUpdate`` diffs and, a few diffs in, the REST
    ``{"lastUpdateId": ...}`` snapshot. Following Binance's spot sync rule, diffs with
    ``u <= lastUpdateId`` are dropped and the rest become one ``BookDeltas`` each (UPDATE
    actions, size 0 for a removed level), in capture order.

    Parameters
    ----------
    capture : pathlib.Path
        The gzip capture.
    instrument_id : InstrumentId
        Instrument of the events.
    tick, lot : Decimal
        Price tick and quantity step of the symbol; every price and quantity must be a whole
        number of them.

    Returns
    -------
    snapshot : BookSnapshot
    batches : list of BookDeltas

    Raises
    ------
    ValueError
        If the capture has no snapshot, or a price or quantity is not a whole number of ticks
        or lots.
    """
    snapshot = None
    pending: list[tuple[int, dict]] = []
    with gzip.open(capture, "rt") as lines:
        for line in lines:
            ts_recv, raw = line.split(" ", 1)
            message = json.loads(raw)
            if "lastUpdateId" in message:
                snapshot = _binance_snapshot(message, int(ts_recv), instrument_id, tick, lot)
            elif message["data"].get("e") == "depthUpdate":
                pending.append((int(ts_recv), message["data"]))
    if snapshot is None:
        raise ValueError(f"{capture}: no REST depth snapshot (lastUpdateId) line")
    return snapshot, [
        _binance_batch(data, ts_recv, instrument_id, tick, lot)
        for ts_recv, data in pending
        if data["u"] > snapshot.sequence
    ]


def _binance_snapshot(
    message: dict, ts_recv: int, instrument_id: InstrumentId, tick: Decimal, lot: Decimal
) -> BookSnapshot:
    bids, asks = message["bids"], message["asks"]
    return BookSnapshot(
        instrument_id,
        [decimal_text_to_units(price, tick) for price, _ in bids],
        [decimal_text_to_units(size, lot) for _, size in bids],
        [decimal_text_to_units(price, tick) for price, _ in asks],
        [decimal_text_to_units(size, lot) for _, size in asks],
        sequence=message["lastUpdateId"],
        ts_recv=ts_recv,
    )


def _binance_batch(
    data: dict, ts_recv: int, instrument_id: InstrumentId, tick: Decimal, lot: Decimal
) -> BookDeltas:
    levels = [(Side.BUY, level) for level in data["b"]] + [
        (Side.SELL, level) for level in data["a"]
    ]
    ts_event = data["E"] * 1_000_000
    deltas = [
        BookDelta(
            instrument_id,
            BookAction.UPDATE,
            side,
            decimal_text_to_units(price, tick),
            decimal_text_to_units(size, lot),
            sequence=data["u"],
            is_last=i == len(levels) - 1,
            ts_event=ts_event,
            ts_recv=ts_recv,
        )
        for i, (side, (price, size)) in enumerate(levels)
    ]
    return BookDeltas(instrument_id, deltas)


def decimal_text_to_units(text: str, unit: Decimal) -> int:
    """Return ``text`` as an exact whole number of ``unit`` (e.g. ``"61737.63"`` -> 6173763).

    Parameters
    ----------
    text : str
        A venue decimal string.
    unit : Decimal
        The tick or lot size.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``text`` is not a whole number of ``unit``.
    """
    units = Decimal(text) / unit
    if units != units.to_integral_value():
        raise ValueError(f"decimal {text!r}: expected a whole number of {unit}, got {units}")
    return int(units)
