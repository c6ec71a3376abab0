"""Builders of order books for tests: ``make_l2_book`` and ``make_l1_book``."""

from collections.abc import Iterable

from hftcore.book import L1Book, L2Book
from hftcore.model.enums import Side
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
