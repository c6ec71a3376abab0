"""Import Binance public market data CSV files (data.binance.vision): ``trades``, ``aggTrades``,
``bookTicker``.

Format reference: https://github.com/binance/binance-public-data (README, "Trades",
"AggTrades", "BookTicker"). Files are named ``<SYMBOL>-<kind>-<YYYY-MM-DD>.csv`` inside a zip;
the importer reads the zip, a gzip or plain CSV. Spot files have no header line; USD-M/COIN-M
futures files have one. Columns, in file order::

    trades      id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match]
    aggTrades   agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time,
                is_buyer_maker[, is_best_match]
    bookTicker  update_id, best_bid_price, best_bid_qty, best_ask_price, best_ask_qty,
                transaction_time, event_time

Sample spot ``trades`` row: ``3420129571,61245.63000000,0.00090000,55.12106700,1723161253587,
True,True``.

Times are milliseconds, or microseconds in spot files from 2025 on; the unit is taken from the
first row (>= 10**14 means microseconds) and applies to the whole file. The files carry no
receive time: trades get ``ts_recv = ts_event = time``; ``bookTicker`` rows get ``ts_event =
transaction_time`` and ``ts_recv = event_time`` (when the venue pushed the update).
``is_buyer_maker`` true means the seller was the aggressor.
"""

import csv
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from backtest.catalog.schema import QUOTES_SCHEMA, TRADES_SCHEMA
from backtest.importers.columns import (
    NS_PER_MS,
    NS_PER_US,
    check_ordered,
    to_codes,
    to_time_ns,
    to_units,
)
from backtest.importers.kinds import Converter, FileKind
from backtest.importers.source import CsvSource, Issue
from hftcore.errors import DecodeError
from hftcore.model.enums import AggressorSide

MICROSECOND_THRESHOLD = 10**14
"""A first timestamp at or above this is in microseconds, below it in milliseconds."""

_FILE_NAME = re.compile(r"^([A-Za-z0-9]+)-(trades|aggTrades|bookTicker)-")
# is_buyer_maker -> aggressor: a buyer-maker trade was initiated by the seller.
_AGGRESSORS = {
    "true": int(AggressorSide.SELLER),
    "True": int(AggressorSide.SELLER),
    "TRUE": int(AggressorSide.SELLER),
    "false": int(AggressorSide.BUYER),
    "False": int(AggressorSide.BUYER),
    "FALSE": int(AggressorSide.BUYER),
}


def _normalized(name: str) -> str:
    return name.strip().lower().replace("_", "")


# Column names by column count (files without a header) and header aliases (normalized name
# -> canonical name), per kind.
_NONE: dict = {}
_TRADES_POSITIONAL = {
    6: ("id", "price", "qty", "quote_qty", "time", "is_buyer_maker"),
    7: ("id", "price", "qty", "quote_qty", "time", "is_buyer_maker", "is_best_match"),
}
_TRADES_ALIASES = {
    "id": "id",
    "price": "price",
    "qty": "qty",
    "quantity": "qty",
    "quoteqty": "quote_qty",
    "time": "time",
    "isbuyermaker": "is_buyer_maker",
    "isbestmatch": "is_best_match",
}
_AGG_TRADES_COLUMNS = (
    "agg_trade_id",
    "price",
    "quantity",
    "first_trade_id",
    "last_trade_id",
    "transact_time",
    "is_buyer_maker",
)
_AGG_TRADES_POSITIONAL = {7: _AGG_TRADES_COLUMNS, 8: (*_AGG_TRADES_COLUMNS, "is_best_match")}
_AGG_TRADES_ALIASES = {
    **{_normalized(name): name for name in (*_AGG_TRADES_COLUMNS, "is_best_match")},
    "a": "agg_trade_id",
    "qty": "quantity",
    "time": "transact_time",
}
_BOOK_TICKER_COLUMNS = (
    "update_id",
    "best_bid_price",
    "best_bid_qty",
    "best_ask_price",
    "best_ask_qty",
    "transaction_time",
    "event_time",
)
_BOOK_TICKER_POSITIONAL = {7: _BOOK_TICKER_COLUMNS}
_BOOK_TICKER_ALIASES = {_normalized(name): name for name in _BOOK_TICKER_COLUMNS}


class _BinanceKind(FileKind):
    format_name = "binance"
    has_header = None
    positional: dict[int, tuple[str, ...]] = _NONE
    aliases: dict[str, str] = _NONE
    time_column = ""

    def open(self, path: Path, *, skip_bad: bool, block_size_bytes: int) -> CsvSource:
        """Open a file, naming its columns from the header or by their position.

        Parameters
        ----------
        path : Path
            The file.
        skip_bad : bool
            Reject malformed rows instead of failing.
        block_size_bytes : int
            Bytes of text per batch.

        Returns
        -------
        CsvSource
            The open source with canonical column names.

        Raises
        ------
        DecodeError
            If the column count or header does not match this kind.
        """
        source = CsvSource(
            path,
            column_names=None,
            has_header=None,
            skip_bad=skip_bad,
            block_size_bytes=block_size_bytes,
        )
        if source.has_header:
            source.column_names = [
                self.aliases.get(_normalized(name), name) for name in source.column_names
            ]
        else:
            names = self.positional.get(len(source.column_names))
            if names is None:
                raise DecodeError(
                    f"{path}:1: not a Binance {self.name} file: expected"
                    f" {' or '.join(map(str, sorted(self.positional)))} columns, got"
                    f" {len(source.column_names)}"
                )
            source.column_names = list(names)
        self.check_columns(source)
        return source

    def symbol_in(self, source: CsvSource) -> str | None:
        """Return the symbol from a ``BTCUSDT-trades-2024-08-08.csv`` style file name.

        Parameters
        ----------
        source : CsvSource
            The open file.

        Returns
        -------
        str or None
            The symbol, or None if the name does not follow the Binance pattern.
        """
        match = _FILE_NAME.match(source.path.name)
        return match.group(1).upper() if match else None

    def time_unit_ns(self, source: CsvSource) -> int:
        """Return the nanoseconds per unit of the file's timestamps, from its first row.

        Parameters
        ----------
        source : CsvSource
            The open file.

        Returns
        -------
        int
            ``NS_PER_US`` when the first timestamp is >= ``MICROSECOND_THRESHOLD``, else
            ``NS_PER_MS``.
        """
        rows = source.head_lines[1:] if source.has_header else source.head_lines[:1]
        if not rows:
            return NS_PER_MS
        fields = next(csv.reader(rows[:1]))
        position = source.column_names.index(self.time_column)
        text = fields[position] if position < len(fields) else ""
        return NS_PER_US if text.isdigit() and int(text) >= MICROSECOND_THRESHOLD else NS_PER_MS


# -- TRADES --


class TradesConverter(Converter):
    """Convert Binance ``trades`` or ``aggTrades`` batches to trade rows."""

    def __init__(
        self,
        source: CsvSource,
        tick_size: Decimal,
        lot_size: Decimal,
        symbol: str,
        *,
        id_column: str,
        size_column: str,
        time_column: str,
        ns_per_unit: int,
    ) -> None:
        super().__init__(source, tick_size, lot_size, symbol)
        self.id_column = id_column
        self.size_column = size_column
        self.time_column = time_column
        self.ns_per_unit = ns_per_unit
        self.include_columns = (id_column, "price", size_column, time_column, "is_buyer_maker")

    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """See ``Converter.parse``."""
        times = batch[self.time_column]
        ts_ns = to_time_ns(times, self.ns_per_unit, self.time_column, issues, first_only=first_only)
        self.last_ts_recv_ns = check_ordered(
            ts_ns, self.last_ts_recv_ns, self.time_column, times, issues, first_only=first_only
        )
        return {
            "ts_recv": ts_ns,
            "ts_event": ts_ns,
            "price_ticks": to_units(
                batch["price"], self.tick_size, "price", issues, first_only=first_only
            ),
            "size_lots": to_units(
                batch[self.size_column],
                self.lot_size,
                self.size_column,
                issues,
                first_only=first_only,
            ),
            "aggressor": to_codes(
                batch["is_buyer_maker"],
                _AGGRESSORS,
                "is_buyer_maker",
                issues,
                first_only=first_only,
            ),
            "trade_id": batch[self.id_column],
        }

    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """See ``Converter.emit``."""
        return pa.RecordBatch.from_pydict(rows, schema=TRADES_SCHEMA)


class Trades(_BinanceKind):
    """Binance ``trades``: every trade."""

    name = "trades"
    catalog_kind = "trades"
    positional = _TRADES_POSITIONAL
    aliases = _TRADES_ALIASES
    required_columns = ("id", "price", "qty", "time", "is_buyer_maker")
    time_column = "time"

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return ["price"]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return ["qty"]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return TradesConverter(
            source,
            tick_size,
            lot_size,
            symbol,
            id_column="id",
            size_column="qty",
            time_column="time",
            ns_per_unit=self.time_unit_ns(source),
        )


class AggTrades(_BinanceKind):
    """Binance ``aggTrades``: trades of one taker order at one price, aggregated."""

    name = "aggTrades"
    catalog_kind = "trades"
    positional = _AGG_TRADES_POSITIONAL
    aliases = _AGG_TRADES_ALIASES
    required_columns = ("agg_trade_id", "price", "quantity", "transact_time", "is_buyer_maker")
    time_column = "transact_time"

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return ["price"]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return ["quantity"]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return TradesConverter(
            source,
            tick_size,
            lot_size,
            symbol,
            id_column="agg_trade_id",
            size_column="quantity",
            time_column="transact_time",
            ns_per_unit=self.time_unit_ns(source),
        )


# -- BOOK TICKER --


class BookTickerConverter(Converter):
    """Convert Binance ``bookTicker`` batches to quote rows."""

    include_columns = _BOOK_TICKER_COLUMNS[1:]

    def __init__(self, source, tick_size, lot_size, symbol, *, ns_per_unit: int) -> None:
        super().__init__(source, tick_size, lot_size, symbol)
        self.ns_per_unit = ns_per_unit

    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """See ``Converter.parse``."""
        pushed = batch["event_time"]
        ts_recv = to_time_ns(pushed, self.ns_per_unit, "event_time", issues, first_only=first_only)
        self.last_ts_recv_ns = check_ordered(
            ts_recv, self.last_ts_recv_ns, "event_time", pushed, issues, first_only=first_only
        )
        rows = {
            "ts_recv": ts_recv,
            "ts_event": to_time_ns(
                batch["transaction_time"],
                self.ns_per_unit,
                "transaction_time",
                issues,
                first_only=first_only,
            ),
        }
        for side in ("bid", "ask"):
            rows[f"{side}_price_ticks"] = to_units(
                batch[f"best_{side}_price"],
                self.tick_size,
                f"best_{side}_price",
                issues,
                first_only=first_only,
            )
            rows[f"{side}_size_lots"] = to_units(
                batch[f"best_{side}_qty"],
                self.lot_size,
                f"best_{side}_qty",
                issues,
                first_only=first_only,
            )
        return rows

    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """See ``Converter.emit``."""
        return pa.RecordBatch.from_pydict(rows, schema=QUOTES_SCHEMA)


class BookTicker(_BinanceKind):
    """Binance ``bookTicker``: best bid and ask after each change (futures)."""

    name = "bookTicker"
    catalog_kind = "quotes"
    positional = _BOOK_TICKER_POSITIONAL
    aliases = _BOOK_TICKER_ALIASES
    required_columns = _BOOK_TICKER_COLUMNS[1:]
    time_column = "transaction_time"

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return ["best_bid_price", "best_ask_price"]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return ["best_bid_qty", "best_ask_qty"]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return BookTickerConverter(
            source, tick_size, lot_size, symbol, ns_per_unit=self.time_unit_ns(source)
        )


KINDS: dict[str, FileKind] = {
    "trades": Trades(),
    "aggTrades": AggTrades(),
    "bookTicker": BookTicker(),
}
"""Importable Binance public-data kinds by name."""


def file_kind(name: str) -> FileKind | None:
    """Return the Binance file kind of a name.

    Parameters
    ----------
    name : str
        ``trades``, ``aggTrades`` or ``bookTicker``.

    Returns
    -------
    FileKind or None
        The kind, or None if unknown.
    """
    return KINDS.get(name)
