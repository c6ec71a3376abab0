"""Arrow schemas and layout constants of the hftcore Parquet data catalog.

A catalog is a directory holding ``catalog.json`` (format version and instruments) and one
Parquet file per (kind, venue, symbol, UTC date of ``ts_recv``)::

    DIR/catalog.json
    DIR/<kind>/<VENUE>/<SYMBOL>/<YYYY-MM-DD>.parquet

Prices and sizes are exact int64 ticks and lots of the instrument; ``ts_recv`` and ``ts_event``
are int64 UNIX nanoseconds. ``docs/data-format.md`` documents every column.
"""

import pyarrow as pa

from hftcore.errors import ConfigError

FORMAT_VERSION = 1
"""Version written to ``catalog.json``; readers refuse any other."""

CATALOG_FILE = "catalog.json"
"""Name of the catalog's metadata file, at the catalog root."""

ROW_GROUP_ROWS = 131_072
"""Rows per Parquet row group (the last row group of a file may be shorter)."""

NS_PER_DAY = 86_400_000_000_000
"""Nanoseconds in a UTC day; a file holds the rows whose ``ts_recv`` falls in one day."""

BOOK_FLAG_LAST = 1
"""``flags`` bit 0: last row of a venue message; the book is consistent after it."""

BOOK_FLAG_SNAPSHOT = 2
"""``flags`` bit 1: the row belongs to a snapshot (a CLEAR row followed by its levels)."""

BOOK_SCHEMA = pa.schema(
    [
        pa.field("ts_recv", pa.int64(), nullable=False),
        pa.field("ts_event", pa.int64(), nullable=False),
        pa.field("sequence", pa.uint64(), nullable=False),
        pa.field("side", pa.int8(), nullable=False),
        pa.field("price_ticks", pa.int64(), nullable=False),
        pa.field("size_lots", pa.int64(), nullable=False),
        pa.field("action", pa.uint8(), nullable=False),
        pa.field("flags", pa.uint8(), nullable=False),
    ]
)
"""L2 book deltas and snapshots (``side`` 1 bid / 2 ask / 0 CLEAR; ``action`` a BookAction)."""

TRADES_SCHEMA = pa.schema(
    [
        pa.field("ts_recv", pa.int64(), nullable=False),
        pa.field("ts_event", pa.int64(), nullable=False),
        pa.field("price_ticks", pa.int64(), nullable=False),
        pa.field("size_lots", pa.int64(), nullable=False),
        pa.field("aggressor", pa.int8(), nullable=False),
        pa.field("trade_id", pa.string(), nullable=False),
    ]
)
"""Public trades (``aggressor`` an AggressorSide: 1 BUYER, 2 SELLER, 0 unknown)."""

QUOTES_SCHEMA = pa.schema(
    [
        pa.field("ts_recv", pa.int64(), nullable=False),
        pa.field("ts_event", pa.int64(), nullable=False),
        pa.field("bid_price_ticks", pa.int64(), nullable=False),
        pa.field("bid_size_lots", pa.int64(), nullable=False),
        pa.field("ask_price_ticks", pa.int64(), nullable=False),
        pa.field("ask_size_lots", pa.int64(), nullable=False),
    ]
)
"""Best bid and offer updates."""

SCHEMAS = {"book": BOOK_SCHEMA, "trades": TRADES_SCHEMA, "quotes": QUOTES_SCHEMA}
"""Schema of each kind, keyed by the kind's directory name."""

KINDS = ("book", "quotes", "trades")
"""Every kind, in merge tie-break order: at equal ``ts_recv`` book rows come first, then
quotes, then trades (see ``docs/data-format.md``)."""

KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
"""Position of each kind in the merge tie-break order."""


def check_kind(kind: str) -> str:
    """Return ``kind`` if it names a catalog kind.

    Parameters
    ----------
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.

    Returns
    -------
    str
        The same kind.

    Raises
    ------
    ConfigError
        If ``kind`` is not one of the catalog kinds.
    """
    if kind not in SCHEMAS:
        raise ConfigError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    return kind


def split_instrument_id(instrument_id: str) -> tuple[str, str]:
    """Split ``"SYMBOL.VENUE"`` into ``(VENUE, SYMBOL)``.

    Parameters
    ----------
    instrument_id : str
        An instrument id such as ``"BTCUSDT.BINANCE"`` or ``"BTC-USDT-SWAP.OKX"``.

    Returns
    -------
    tuple of str
        The venue (upper case) and the venue symbol.

    Raises
    ------
    ConfigError
        If the id has no ``"."`` separating a non-empty symbol and venue.
    """
    symbol, _, venue = instrument_id.rpartition(".")
    if not symbol or not venue:
        raise ConfigError(f"instrument_id: expected 'SYMBOL.VENUE', got {instrument_id!r}")
    return venue.upper(), symbol
